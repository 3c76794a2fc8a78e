package main

import (
	"os"
	"testing"
)

// BenchmarkBatchFields times the batch path of bench/batch.sh on the file
// named by WIRELENS_BENCH_FILE (make one with go run ./bench/gencap).
func BenchmarkBatchFields(b *testing.B) {
	file := os.Getenv("WIRELENS_BENCH_FILE")
	if file == "" {
		b.Skip("set WIRELENS_BENCH_FILE to a capture (go run ./bench/gencap -n 100000 -o /tmp/b.pcap)")
	}
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer devnull.Close()
	b.Setenv("XDG_CONFIG_HOME", b.TempDir())
	args := []string{"-r", file, "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
		"-T", "fields", "-e", "frame.number", "-e", "ip.checksum.status", "-e", "tcp.checksum.status", "-e", "udp.checksum.status"}
	for i := 0; i < b.N; i++ {
		if code := run(args, os.Stdin, devnull, os.Stderr); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
}
