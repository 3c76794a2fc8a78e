package main

import (
	_ "embed"
	"fmt"
	"os"
	"syscall"
)

// demoCapture is a real capture made by testdata/make-captures.sh on a veth
// pair with the kernel's default offloads (capture on "any", so every frame
// says whether this host sent it), in which three received frames were then
// damaged on purpose: the demo shows offload artifacts and real corruption
// side by side. TestDemo regenerates it (-update-demo) and checks its verdict.
//
//go:embed demo.pcap
var demoCapture []byte

// demoFile writes the demo capture to a temporary file, since the capture
// reader re-reads frames by offset from a file.
func demoFile() (string, error) {
	f, err := os.CreateTemp("", "wirelens-demo-*.pcap")
	if err != nil {
		return "", fmt.Errorf("writing the demo capture to a temporary file: %w", err)
	}
	if _, err := f.Write(demoCapture); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", fmt.Errorf("writing the demo capture to %s: %w", f.Name(), err)
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("writing the demo capture to %s: %w", f.Name(), err)
	}
	return f.Name(), nil
}

// removeOnSignal removes the demo's file when a signal ends batch output,
// then exits as the signal would have.
func removeOnSignal(sigs <-chan os.Signal, path string) {
	sig := <-sigs
	os.Remove(path)
	code := 128 + int(syscall.SIGTERM)
	if s, ok := sig.(syscall.Signal); ok {
		code = 128 + int(s)
	}
	os.Exit(code)
}
