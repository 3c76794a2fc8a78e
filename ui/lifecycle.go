package ui

import (
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"syscall"
)

// The UI owns the terminal while it runs: raw mode, the alternate screen,
// mouse reporting and bracketed paste. Whatever ends the run (q, a signal,
// a panic in any of its goroutines) must give the terminal back as it was,
// so every way out goes through tview's Stop, which finalises the screen.

// SignalError is Run's error when a signal (SIGINT, SIGTERM, SIGHUP or
// SIGQUIT sent from outside: Ctrl-C in the UI is a key) ended it. The
// terminal has been restored; the caller cleans up and exits 128+signal.
type SignalError struct{ Signal os.Signal }

func (e *SignalError) Error() string { return "stopped by " + signalName(e.Signal) }

// Code is the exit status a shell reports for a process killed by the signal.
func (e *SignalError) Code() int {
	if s, ok := e.Signal.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 128 + int(syscall.SIGTERM)
}

func signalName(s os.Signal) string {
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

// PanicError is Run's error when the UI panicked: the terminal was restored
// first, so the message and stack are readable.
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("internal error (please report it): %v\n%s", e.Value, e.Stack)
}

// Signals are the signals that end the UI cleanly. SIGQUIT is among them so
// that the Go runtime does not dump its goroutines over the raw screen.
var Signals = []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT}

// stopper ends a run once, with the first reason given.
type stopper struct {
	once sync.Once
	err  error
	stop func()
}

func (s *stopper) fail(err error) {
	s.once.Do(func() {
		s.err = err
		s.stop()
	})
}

// current is the running UI's stopper: goroutines started with goSafe
// report a panic to it. Only one UI runs in a process at a time.
var current atomic.Pointer[stopper]

// goSafe runs f in a goroutine; a panic in it stops the UI (restoring the
// terminal) and becomes Run's error instead of killing the process with
// the terminal in raw mode.
func goSafe(f func()) {
	go func() {
		defer func() {
			if p := recover(); p != nil {
				err := &PanicError{Value: p, Stack: debug.Stack()}
				if s := current.Load(); s != nil {
					s.fail(err)
					return
				}
				panic(p)
			}
		}()
		f()
	}()
}

// watchSignals stops the run on a signal from sigs, or from the process's
// own subscription when sigs is nil and the real terminal is used. It
// returns a function that stops watching.
func watchSignals(sigs <-chan os.Signal, own bool, s *stopper) func() {
	var ch chan os.Signal
	if sigs == nil && own {
		ch = make(chan os.Signal, 1)
		signal.Notify(ch, Signals...)
		sigs = ch
	}
	if sigs == nil {
		return func() {}
	}
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-sigs:
			s.fail(&SignalError{Signal: sig})
		case <-done:
		}
	}()
	return func() {
		close(done)
		if ch != nil {
			signal.Stop(ch)
		}
	}
}
