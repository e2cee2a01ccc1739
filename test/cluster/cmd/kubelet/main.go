// Command kubelet runs the node agent of the real-node test cluster (test/node). Built from the
// k8s.io/kubernetes module like kube-apiserver; flags are those of the upstream kubelet.
package main

import (
	"context"
	"os"

	"k8s.io/component-base/cli"
	"k8s.io/kubernetes/cmd/kubelet/app"
)

func main() {
	os.Exit(cli.Run(app.NewKubeletCommand(context.Background())))
}
