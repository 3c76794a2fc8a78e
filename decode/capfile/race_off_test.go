//go:build !race

package capfile

const raceOn = false
