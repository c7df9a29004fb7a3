package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"syscall"
)

// watchSignals returns a context cancelled by the first signal on sigs
// (SIGINT, SIGTERM): the command stops its work, cancels what runs on a
// server, and reports what was read. A second signal exits at once with
// 128 plus the signal's number, as a shell reports a killed process
// (signal.NotifyContext would swallow it). stop ends the watch.
func watchSignals(parent context.Context, sigs <-chan os.Signal, exit func(int), stderr io.Writer) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancel(parent)
	done := make(chan struct{})
	go func() {
		first := true
		for {
			select {
			case sig := <-sigs:
				if first {
					first = false
					fmt.Fprintln(stderr, "pgadvisor: interrupted, stopping (again to quit at once)")
					cancel()
					continue
				}
				code := 130
				if s, ok := sig.(syscall.Signal); ok {
					code = 128 + int(s)
				}
				exit(code)
				return
			case <-done:
				return
			}
		}
	}()
	return ctx, func() {
		close(done)
		cancel()
	}
}
