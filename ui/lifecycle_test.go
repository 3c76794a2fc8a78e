package ui

import (
	"errors"
	"os"
	"syscall"
	"testing"
	"time"
)

func waitDone(t *testing.T, h *harness) error {
	t.Helper()
	select {
	case err := <-h.done:
		h.done <- err // for the harness's clean-up
		return err
	case <-time.After(5 * time.Second):
		t.Fatal("the UI did not stop")
		return nil
	}
}

// A signal delivered on Options.Signals ends the run with a SignalError
// whose code is what a shell reports for that signal.
func TestSignalEndsRun(t *testing.T) {
	sigs := make(chan os.Signal, 1)
	h := start(t, newFake(standardFrames()), Options{Signals: sigs}, 100, 30)
	sigs <- syscall.SIGTERM
	err := waitDone(t, h)
	var se *SignalError
	if !errors.As(err, &se) || se.Code() != 143 {
		t.Fatalf("Run returned %v, want a SignalError with code 143", err)
	}
}

// A panic in a background goroutine (a filter run) or in the UI goroutine
// stops the UI, restoring the screen, and becomes Run's error instead of
// killing the process with the terminal raw.
func TestPanicEndsRun(t *testing.T) {
	for _, where := range []string{"goroutine", "ui"} {
		t.Run(where, func(t *testing.T) {
			h := start(t, newFake(standardFrames()), Options{}, 100, 30)
			if where == "goroutine" {
				goSafe(func() { panic("boom in a filter run") })
			} else {
				go h.v.app.QueueUpdate(func() { panic("boom in the UI") })
			}
			err := waitDone(t, h)
			var pe *PanicError
			if !errors.As(err, &pe) || len(pe.Stack) == 0 {
				t.Fatalf("Run returned %v, want a PanicError with a stack", err)
			}
		})
	}
}
