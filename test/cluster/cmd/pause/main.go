// Command pause is the pod sandbox process of the real-node test cluster's pause image: it holds
// the pod's namespaces and exits on SIGINT or SIGTERM (about 2 MiB of memory per pod).
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	<-stop
}
