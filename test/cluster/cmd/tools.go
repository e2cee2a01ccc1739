//go:build tools

// Package tools keeps in go.mod the dependencies of the main packages built straight from the
// k8s.io/kubernetes module (agnhost needs an SCTP library that nothing else imports), so that
// `go build -mod=readonly k8s.io/kubernetes/test/images/agnhost` and `k8s.io/kubernetes/cmd/kubectl` work.
package tools

import (
	_ "github.com/ishidawataru/sctp"
	_ "k8s.io/kubectl/pkg/cmd"
)
