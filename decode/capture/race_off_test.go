//go:build !race

package capture_test

const raceOn = false
