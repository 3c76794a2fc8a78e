package main

import (
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wirelens/wirelens/live"
)

// TestGetopt: the command lines tshark users type, parsed as tshark's
// getopt parses them.
func TestGetopt(t *testing.T) {
	cases := []struct {
		args  []string
		check func(o *options) bool
	}{
		{[]string{"-nr", "f.pcap"}, func(o *options) bool { return o.noResolve && o.read == "f.pcap" }},
		{[]string{"-nrf.pcap"}, func(o *options) bool { return o.noResolve && o.read == "f.pcap" }},
		{[]string{"-c1", "-r", "f"}, func(o *options) bool { return o.count == 1 }},
		{[]string{"-Tfields", "-eframe.number", "-e", "ip.src", "-r", "f"}, func(o *options) bool {
			return o.format == "fields" && reflect.DeepEqual(o.fields, []string{"frame.number", "ip.src"})
		}},
		{[]string{"-r", "f", "-Eheader=y", "-E", "separator=,"}, func(o *options) bool {
			return reflect.DeepEqual(o.fieldOpts, []string{"header=y", "separator=,"})
		}},
		{[]string{"f.pcap", "-V"}, func(o *options) bool { return o.read == "f.pcap" && o.verbose }},
		{[]string{"-r", "f", "--", "-weird"}, nil}, // two files: an error below
		{[]string{"--read-file=f", "--display-filter", "udp"}, func(o *options) bool { return o.read == "f" && o.filter == "udp" }},
		{[]string{"--disp=udp", "-r", "f"}, func(o *options) bool { return o.filter == "udp" }},
		{[]string{"-qz", "io,phs", "-r", "f"}, func(o *options) bool { return o.quiet && reflect.DeepEqual(o.stats, []string{"io,phs"}) }},
		{[]string{"-r", "f", "-t", "ad", "-u", "hms"}, func(o *options) bool { return o.timeFormat.Kind == "ad" && o.timeFormat.HMS }},
		{[]string{"-r", "f", "-a", "packets:5"}, func(o *options) bool { return o.count == 5 }},
		{[]string{"-r", "f", "-2", "-R", "udp"}, func(o *options) bool { return o.twoPass && o.readFilter == "udp" }},
		{[]string{"-r", "f", "-w", "o", "-F", "pcap"}, func(o *options) bool { return o.write == "o" && o.writeFormat == "pcap" }},
		{[]string{"-r", "f", "-Oip,tcp"}, func(o *options) bool { return reflect.DeepEqual(o.onlyProtos, []string{"ip", "tcp"}) }},
		{[]string{"-G"}, func(o *options) bool { return o.wantGloss && o.glossary == "" }},
		{[]string{"-G", "protocols"}, func(o *options) bool { return o.wantGloss && o.glossary == "protocols" }},
		{[]string{"-i", "eth0", "tcp", "port", "80"}, func(o *options) bool { return o.captureFilter == "tcp port 80" }},
		{[]string{"-i", "lo", "-w", "x.pcapng", "-b", "filesize:10", "-b", "files:3", "-b", "duration:1.5", "-b", "interval:60", "-b", "packets:7", "-a", "files:4"}, func(o *options) bool {
			return o.ringSet && reflect.DeepEqual(o.ring, live.RingOptions{FileSize: 10000, Files: 3, Duration: 1500 * time.Millisecond, Interval: time.Minute, Packets: 7, StopAfter: 4})
		}},
		{[]string{"-i", "lo", "-w", "x", "--ring-buffer=packets:2"}, func(o *options) bool { return o.ring.Packets == 2 }},
	}
	for _, c := range cases {
		o, err := parseFlags(c.args, io.Discard)
		if c.check == nil {
			if err == nil {
				t.Errorf("%q: no error", c.args)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", c.args, err)
			continue
		}
		if !c.check(o) {
			t.Errorf("%q: parsed as %+v", c.args, *o)
		}
	}
}

// TestGetoptErrors: each bad command line is refused naming what is wrong.
func TestGetoptErrors(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"-Z"}, "'Z'"},
		{[]string{"--frobnicate"}, "--frobnicate"},
		{[]string{"-r"}, "'r'"},
		{[]string{"--read-file"}, "--read-file"},
		{[]string{"-c", "x"}, `"x"`},
		{[]string{"-Tyaml"}, `"yaml"`},
		{[]string{"-t", "ad.3"}, `"ad.3"`},
		{[]string{"-u", "ms"}, `"ms"`},
		{[]string{"-r", "f", "-R", "udp"}, "-2"},
		{[]string{"-r", "f", "-w", "-", "-P"}, "standard output"},
		{[]string{"-r", "f", "-F", "erf", "-w", "x"}, `"erf"`},
		{[]string{"-r", "f", "-e", "ip.src"}, "-e requires"},
		{[]string{"-I"}, "monitor mode"},
		{[]string{"--d"}, "ambiguous"},
		{[]string{"--demo=1"}, "doesn't allow"},
		{[]string{"-N", "q"}, `'q'`},
		{[]string{"-a", "filesize"}, `"filesize"`},
		{[]string{"-i", "lo", "-w", "x", "-b", "filesize:abc"}, `-b "filesize:abc": "abc" is not a positive whole number`},
		{[]string{"-i", "lo", "-w", "x", "-b", "duration:0"}, `-b "duration:0"`},
		{[]string{"-i", "lo", "-w", "x", "-b", "packets:-1"}, `-b "packets:-1"`},
		{[]string{"-i", "lo", "-w", "x", "-b", "size:10"}, `-b "size:10"`},
		{[]string{"-i", "lo", "-w", "x", "-b", "packets"}, `-b "packets"`},
		{[]string{"-i", "lo", "-b", "packets:3"}, "give -w FILE"},
		{[]string{"-i", "lo", "-w", "-", "-b", "packets:3"}, "standard output"},
		{[]string{"-i", "lo", "-w", "x", "-b", "files:3"}, "no file size, duration, interval or packet count"},
		{[]string{"-r", "f", "-w", "x", "-b", "packets:3"}, "live capture"},
		{[]string{"-i", "ssh://h/eth0", "-w", "x", "-b", "packets:3"}, "remote capture"},
		{[]string{"-i", "lo", "-w", "x", "-F", "pcap", "-b", "packets:3"}, "-F pcap"},
	}
	for _, c := range cases {
		_, err := parseFlags(c.args, io.Discard)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want one containing %s", c.args, err, c.want)
		}
	}
}

// TestStatErrors: a bad -z argument exits 1 naming it.
func TestStatErrors(t *testing.T) {
	in := "../../testdata/crafted/dns.pcap"
	for _, z := range []string{"bogus", "conv", "conv,ipx", "io,phs,((", "follow,tcp,ascii", "follow,sctp,ascii,0", "follow,tcp,yaml,0", "follow,tcp,hex,x", "io,stat,x", "expert,((", "io,stat,1,MAX(nosuch)"} {
		_, stderr, code := runCapture(t, []string{"-r", in, "-q", "-z", z})
		if code != exitUsage || !strings.Contains(stderr, z) {
			t.Errorf("-z %s: exit %d, stderr %q", z, code, stderr)
		}
	}
}
