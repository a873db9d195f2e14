package trace2

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// newSID returns this session's id as git's tr2_sid_compute makes it, and
// how many git sessions are above it. Its own part is
// "<yyyymmdd>T<hhmmss>.<microseconds>Z-H<host>-P<pid>", in UTC, where
// <host> is the first 8 hex digits of the SHA-1 of the host name
// ("Localhost" replaces "H<host>" when there is none) and <pid> the low 32
// bits of the process id in 8 hex digits. Below a parent (parent is
// GIT_TRACE2_PARENT_SID), the id is "<parent>/<own part>", so the ids of a
// process tree share their prefixes.
func newSID(parent string, now time.Time, host string, hostErr error, pid int) (string, int) {
	var b strings.Builder
	depth := 0
	if parent != "" {
		depth = strings.Count(parent, "/") + 1
		b.WriteString(parent)
		b.WriteByte('/')
	}
	b.WriteString(now.UTC().Format("20060102T150405.000000Z"))
	b.WriteByte('-')
	if hostErr != nil {
		b.WriteString("Localhost")
	} else {
		sum := sha1.Sum([]byte(host))
		b.WriteByte('H')
		b.WriteString(hex.EncodeToString(sum[:4]))
	}
	fmt.Fprintf(&b, "-P%08x", uint32(pid))
	return b.String(), depth
}
