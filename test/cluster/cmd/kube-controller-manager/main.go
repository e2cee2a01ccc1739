// Command kube-controller-manager runs the controllers the real-node test cluster needs
// (namespaces, garbage collection, ReplicaSets, Deployments, EndpointSlices, node lifecycle).
package main

import (
	"os"
	_ "time/tzdata" // CronJob time zones without the host's zoneinfo

	"k8s.io/component-base/cli"
	"k8s.io/kubernetes/cmd/kube-controller-manager/app"
)

func main() {
	os.Exit(cli.Run(app.NewControllerManagerCommand()))
}
