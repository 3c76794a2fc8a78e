package main

import "errors"

// TEMPORARY (this session): replaced by the embedded demo capture.
func demoFile() (string, error) { return "", errors.New("no demo yet") }
