package decode

import (
	"encoding/binary"
	"fmt"
	"strconv"
)

// NTP (RFC 5905) with Wireshark's field names (packet-ntp.c) and tshark's
// Info, "NTP Version 4, client". Control (mode 6) and private (mode 7)
// messages get the header fields and Info only.

var ntpModes = map[uint64]string{0: "reserved", 1: "symmetric active", 2: "symmetric passive", 3: "client", 4: "server",
	5: "broadcast", 6: "reserved for NTP control message", 7: "reserved for private use"}

var ntpLeap = map[uint64]string{0: "no warning", 1: "last minute of the day has 61 seconds", 2: "last minute of the day has 59 seconds", 3: "unknown (clock unsynchronized)"}

// ntpEpochOffset is 1900-01-01 to 1970-01-01 in seconds.
const ntpEpochOffset = 2208988800

var (
	fNTP      = Register(FieldDef{Name: "ntp", Label: "Network Time Protocol", Type: FTProtocol})
	fNTPFlags = Register(FieldDef{Name: "ntp.flags", Label: "Flags", Type: FTUint, Base: BaseHex, Bits: 8,
		Display: func(f *Field) string {
			return fmt.Sprintf("Flags: 0x%02x, Leap Indicator: %s, Version number: NTP Version %d, Mode: %s", f.U, ntpLeap[f.U>>6], f.U>>3&7, ntpModes[f.U&7])
		}})
	fNTPLI        = Register(FieldDef{Name: "ntp.flags.li", Label: "Leap Indicator", Type: FTUint, Bits: 8, Bitmask: 0xc0, Values: ntpLeap, Display: bitLine})
	fNTPVN        = Register(FieldDef{Name: "ntp.flags.vn", Label: "Version number", Type: FTUint, Bits: 8, Bitmask: 0x38, Display: bitLine})
	fNTPMode      = Register(FieldDef{Name: "ntp.flags.mode", Label: "Mode", Type: FTUint, Bits: 8, Bitmask: 0x07, Values: ntpModes, Display: bitLine})
	fNTPStratum   = Register(FieldDef{Name: "ntp.stratum", Label: "Peer Clock Stratum", Type: FTUint})
	fNTPPoll      = Register(FieldDef{Name: "ntp.ppoll", Label: "Peer Polling Interval", Type: FTUint})
	fNTPPrecision = Register(FieldDef{Name: "ntp.precision", Label: "Peer Clock Precision", Type: FTUint})
	fNTPRootDelay = Register(FieldDef{Name: "ntp.rootdelay", Label: "Root Delay", Type: FTUint})
	fNTPRootDisp  = Register(FieldDef{Name: "ntp.rootdispersion", Label: "Root Dispersion", Type: FTUint})
	fNTPRefID     = Register(FieldDef{Name: "ntp.refid", Label: "Reference ID", Type: FTBytes})
	fNTPRefTime   = ntpTimeDef("ntp.reftime", "Reference Timestamp")
	fNTPOrg       = ntpTimeDef("ntp.org", "Origin Timestamp")
	fNTPRec       = ntpTimeDef("ntp.rec", "Receive Timestamp")
	fNTPXmt       = ntpTimeDef("ntp.xmt", "Transmit Timestamp")
)

// ntpTimeDef is an NTP timestamp: U holds the raw 64-bit value; zero is
// "NULL", as Wireshark writes it.
func ntpTimeDef(name, label string) *FieldDef {
	format := func(f *Field) string {
		if f.Aux == 1 {
			return "NULL"
		}
		return formatAbs(int64(f.U))
	}
	return Register(FieldDef{Name: name, Label: label, Type: FTAbsTime, Format: format,
		Display: func(f *Field) string { return label + ": " + format(f) }})
}

// ntpTime stores a raw NTP timestamp as nanoseconds since 1970; zero is
// "NULL" (Aux 1, and no time: a filter can only test its presence).
func ntpTime(f *Field, raw uint64) {
	if raw == 0 {
		f.U, f.Aux = ^uint64(0), 1
		return
	}
	secs := int64(raw>>32) - ntpEpochOffset
	ns := int64((raw & 0xffffffff) * 1e9 >> 32)
	f.U = uint64(secs*1e9 + ns)
}

func dissectNTP(b *builder, off int) int {
	d := b.enterLayer("ntp", "NTP", off, len(b.data))
	if len(d) < 48 {
		b.malformed("NTP", off, "shorter than the 48-byte header")
		return len(b.data)
	}
	fl := d[0]
	vn, mode := fl>>3&7, fl&7
	root := b.open(fNTP, off, len(d))
	root.S = fmt.Sprintf("Network Time Protocol (NTP Version %d, %s)", vn, ntpModes[uint64(mode)])
	b.addU(fNTPFlags, off, 1, uint64(fl))
	b.depth++
	b.addU(fNTPLI, off, 1, uint64(fl>>6))
	b.addU(fNTPVN, off, 1, uint64(vn))
	b.addU(fNTPMode, off, 1, uint64(mode))
	b.depth--
	if mode != 6 && mode != 7 {
		b.addU(fNTPStratum, off+1, 1, uint64(d[1]))
		b.addU(fNTPPoll, off+2, 1, uint64(d[2]))
		b.addU(fNTPPrecision, off+3, 1, uint64(d[3]))
		b.addU(fNTPRootDelay, off+4, 4, uint64(binary.BigEndian.Uint32(d[4:])))
		b.addU(fNTPRootDisp, off+8, 4, uint64(binary.BigEndian.Uint32(d[8:])))
		b.addB(fNTPRefID, off+12, 4)
		for i, def := range []*FieldDef{fNTPRefTime, fNTPOrg, fNTPRec, fNTPXmt} {
			ntpTime(b.add(def, off+16+8*i, 8), binary.BigEndian.Uint64(d[16+8*i:]))
		}
	}
	b.close()
	if b.ds.Summary {
		b.setInfo("NTP Version " + strconv.Itoa(int(vn)) + ", " + ntpModes[uint64(mode)])
	}
	return len(b.data)
}

var ntpPayload = func() *Payload {
	p := newPayload("ntp", "Network Time Protocol", dissectNTP)
	p.Optional = true
	return p
}()

var _ = udpPorts.register(123, ntpPayload)
