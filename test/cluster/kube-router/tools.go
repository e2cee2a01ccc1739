//go:build tools

// Package tools pins kube-router (the NetworkPolicy enforcer of the real-node test cluster) in this
// module's go.mod, so `go build github.com/cloudnativelabs/kube-router/v2/cmd/kube-router` is
// reproducible with -mod=readonly.
package tools

import _ "github.com/cloudnativelabs/kube-router/v2/cmd/kube-router"
