// Package credential asks for HTTP credentials once per run and hands them
// to every git process that fetches.
//
// Each fetch request is its own "git fetch", and each would ask the user
// (or the credential helpers) again. Instead, the fetches get one
// credential helper, this program's "credential-relay", which asks the
// Relay in the git-backfill process over a private socket. The Relay asks
// git's own credential machinery ("git credential fill": the user's
// helpers, GIT_ASKPASS, the terminal) the first time, keeps the answer in
// memory, and gives it to every later fetch; it passes git's "store" and
// "erase" on to the user's helpers once, as git would. Credentials never
// appear on a command line, in an environment, in a file or in output.
package credential

import (
	"bufio"
	"bytes"
	"strings"
)

// attrs is a credential description in git's helper protocol: "key=value"
// lines, a key repeated for array values ("wwwauth[]=…"). Order is kept.
type attrs []attr

type attr struct{ key, value string }

// parseAttrs reads git's credential format up to a blank line or the end.
// Lines without "=" are skipped, as git does.
func parseAttrs(text []byte) attrs {
	var a attrs
	sc := bufio.NewScanner(bytes.NewReader(text))
	sc.Buffer(make([]byte, 0, 4096), maxMessage)
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			break
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		a = append(a, attr{k, v})
	}
	return a
}

func (a attrs) get(key string) string {
	for _, kv := range a {
		if kv.key == key {
			return kv.value
		}
	}
	return ""
}

// bytes is a in git's format, ending with a blank line is left to the
// caller (git reads to the end of the stream).
func (a attrs) bytes() []byte {
	var b bytes.Buffer
	for _, kv := range a {
		b.WriteString(kv.key)
		b.WriteByte('=')
		b.WriteString(kv.value)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// without is a minus the given keys.
func (a attrs) without(keys ...string) attrs {
	var out attrs
	for _, kv := range a {
		drop := false
		for _, k := range keys {
			drop = drop || kv.key == k
		}
		if !drop {
			out = append(out, kv)
		}
	}
	return out
}

// target names what a credential is for: the request's protocol, host and
// path (git sends the path only with credential.useHttpPath) and the user
// name when the URL carries one. Two requests for one target share the
// credential.
func (a attrs) target() string {
	return a.get("protocol") + "\x00" + a.get("host") + "\x00" + a.get("path") + "\x00" + a.get("username")
}
