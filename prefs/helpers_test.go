package prefs_test

import (
	// The preferences are registered by the protocols that read them.
	_ "github.com/wirelens/wirelens/decode"
	. "github.com/wirelens/wirelens/prefs"
)

// mustSet sets a preference the test names; a typo in a test is a bug in
// the test.
func mustSet(p *Prefs, name, value string) {
	if err := p.Set(name, value); err != nil {
		panic(err)
	}
}

// with returns p with name/value pairs set.
func with(p Prefs, kv ...string) Prefs {
	for i := 0; i+1 < len(kv); i += 2 {
		mustSet(&p, kv[i], kv[i+1])
	}
	return p
}
