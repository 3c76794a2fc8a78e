package decode

// Temporary until the protocol files land (helper work in progress).

func dissectSCTP(b *builder, off, end int) { dissectDataRange(b, off, end) }
func dissectGRE(b *builder, off, end int)  { dissectDataRange(b, off, end) }
func dissectDNS(b *builder, off, end int)  { dissectDataRange(b, off, end) }

var ()
