package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// signalError is the cause of a context cancelled by a signal: the error of a command it
// interrupted wraps it, and the exit status is 128 + the signal's number (130 for SIGINT, 143 for
// SIGTERM).
type signalError struct{ sig syscall.Signal }

func (e signalError) Error() string { return "interrupted by " + signalName(e.sig) }

func (e signalError) status() int { return 128 + int(e.sig) }

func signalName(s syscall.Signal) string {
	switch s {
	case syscall.SIGINT:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	case syscall.SIGHUP:
		return "SIGHUP"
	case syscall.SIGQUIT:
		return "SIGQUIT"
	}
	return s.String()
}

// interruptStatus returns the exit status of an error caused by a signal, or 0.
func interruptStatus(err error) int {
	var se signalError
	if errors.As(err, &se) {
		return se.status()
	}
	return 0
}

// exit ends the process; a variable so that tests can watch it.
var exit = os.Exit

// withSignals returns a context that the first SIGINT, SIGTERM or SIGHUP cancels, with a
// signalError as its cause: the running command stops at its next step and saves what it has. A
// second such signal, or SIGQUIT, exits at once with 128 + its number, saying so on stderr (and
// never with a goroutine dump). Signals the process was started with ignored (SIGHUP under nohup,
// SIGINT in a background job of a script) stay ignored. stop releases the signals.
func withSignals(parent context.Context, stderr io.Writer) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(parent)
	ch := make(chan os.Signal, 4)
	for _, s := range []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT} {
		if !signal.Ignored(s) { // under nohup SIGHUP stays ignored, as the user asked
			signal.Notify(ch, s)
		}
	}
	done := make(chan struct{})
	go func() {
		interrupted := false
		for {
			var s os.Signal
			select {
			case s = <-ch:
			case <-done:
				return
			}
			sig, _ := s.(syscall.Signal)
			if interrupted || sig == syscall.SIGQUIT {
				fmt.Fprintf(stderr, "flow: %s: exiting at once\n", signalName(sig))
				exit(128 + int(sig))
				return
			}
			interrupted = true
			fmt.Fprintf(stderr, "flow: %s: stopping at the next step to save what there is (send it again to exit at once)\n", signalName(sig))
			cancel(signalError{sig})
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		close(done)
		cancel(nil)
	}
}
