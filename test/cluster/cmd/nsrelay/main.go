// Command nsrelay makes an API server that listens inside another network namespace reachable
// from this one: it accepts TCP connections on LISTEN and, for each, dials TARGET from inside the
// network namespace at NETNS (a /proc/PID/ns/net path), then copies bytes both ways.
//
//	nsrelay 127.0.0.1:34567 /proc/4242/ns/net 127.0.0.1:6443
package main

import (
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"sync"

	"golang.org/x/sys/unix"
)

// dialInside dials target from a goroutine whose OS thread has joined the namespace. The thread
// stays locked, so Go discards it when the goroutine ends and no other goroutine runs in the
// namespace; the socket keeps the namespace it was created in.
func dialInside(netns, target string) (net.Conn, error) {
	type result struct {
		conn net.Conn
		err  error
	}
	done := make(chan result, 1)
	go func() {
		runtime.LockOSThread()
		fd, err := unix.Open(netns, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			done <- result{nil, fmt.Errorf("open %s: %w", netns, err)}
			return
		}
		defer unix.Close(fd)
		if err := unix.Setns(fd, unix.CLONE_NEWNET); err != nil {
			done <- result{nil, fmt.Errorf("setns %s: %w", netns, err)}
			return
		}
		conn, err := net.Dial("tcp", target)
		done <- result{conn, err}
	}()
	r := <-done
	return r.conn, r.err
}

func relay(client net.Conn, netns, target string) {
	defer client.Close()
	upstream, err := dialInside(netns, target)
	if err != nil {
		fmt.Fprintln(os.Stderr, "nsrelay:", err)
		return
	}
	defer upstream.Close()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		io.Copy(upstream, client)
		upstream.(*net.TCPConn).CloseWrite()
	}()
	io.Copy(client, upstream)
	wg.Wait()
}

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintf(os.Stderr, "usage: %s LISTEN NETNS TARGET\n", os.Args[0])
		os.Exit(2)
	}
	listener, err := net.Listen("tcp", os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "nsrelay:", err)
		os.Exit(1)
	}
	for {
		client, err := listener.Accept()
		if err != nil {
			fmt.Fprintln(os.Stderr, "nsrelay:", err)
			os.Exit(1)
		}
		go relay(client, os.Args[2], os.Args[3])
	}
}
