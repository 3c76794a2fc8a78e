//go:build race

package capfile

// raceOn: the race detector slows inflating some 10x; the sweeps over
// gigabytes or every capture run in the plain go test.
const raceOn = true
