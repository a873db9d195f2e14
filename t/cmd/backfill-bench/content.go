package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"unicode"
)

// source makes file contents that look and compress like source code:
// indented lines of keywords and punctuation around identifiers that each
// file mostly draws from a few names of its own (taken, skewed, from a
// vocabulary of the repository's). gzip -9 shrinks a 2 KiB file 2.6 times,
// about as much as real code (this repository's internal/git/*.go: 2.9
// times). A new version of a file changes a few lines of the previous one,
// so versions of a path delta against each other as in real history.
// Everything follows from the seed.
type source struct {
	vocab []string
	known map[string]bool // the words of vocab
}

var syllables = []string{
	"ba", "ca", "con", "de", "dex", "en", "er", "fo", "get", "han", "in", "ix",
	"ka", "le", "lo", "man", "mo", "na", "or", "pa", "po", "que", "ra", "re",
	"set", "so", "ta", "ter", "to", "un", "va", "ver", "wa", "xe", "yo", "ze",
}

var types = []string{"int", "string", "error", "bool", "[]byte", "*Node", "map[string]int", "uint64", "context.Context"}

func newSource(seed uint64) *source {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	s := &source{known: map[string]bool{}}
	for len(s.vocab) < 600 {
		var b strings.Builder
		for n := 2 + rng.IntN(3); n > 0; n-- {
			b.WriteString(syllables[rng.IntN(len(syllables))])
		}
		w := b.String()
		if rng.IntN(3) == 0 {
			w = strings.ToUpper(w[:1]) + w[1:]
		}
		if !s.known[w] {
			s.known[w] = true
			s.vocab = append(s.vocab, w)
		}
	}
	return s
}

// words returns a picker of identifiers: mostly one of local (the first
// ones most often), sometimes one of the whole vocabulary.
func (s *source) words(rng *rand.Rand, local []string) func() string {
	return func() string {
		if len(local) == 0 || rng.IntN(8) == 0 {
			return s.vocab[rng.IntN(rng.IntN(len(s.vocab))+1)]
		}
		return local[rng.IntN(rng.IntN(len(local))+1)]
	}
}

// line returns one line at the given nesting depth (without the newline)
// and the depth of the next line. Blocks open and close equally often.
func line(rng *rand.Rand, w func() string, depth int) (string, int) {
	ind := strings.Repeat("\t", depth)
	t := func() string { return types[rng.IntN(len(types))] }
	switch k := rng.IntN(20); {
	case depth == 0 && k < 6:
		return fmt.Sprintf("func (%s *%s) %s(%s %s, %s %s) (%s, error) {", w(), w(), w(), w(), t(), w(), t(), t()), 1
	case depth == 0 && k < 10:
		return fmt.Sprintf("// %s %s the %s of %s when %s is %s.", w(), w(), w(), w(), w(), w()), 0
	case depth == 0:
		return fmt.Sprintf("var %s = %s(%d)", w(), t(), rng.IntN(1000)), 0
	case k < 2 && depth < 4:
		return fmt.Sprintf("%sif %s, err := %s.%s(%s); err != nil {", ind, w(), w(), w(), w()), depth + 1
	case k < 3 && depth < 4:
		return fmt.Sprintf("%sfor i := 0; i < len(%s); i++ {", ind, w()), depth + 1
	case k < 17:
		return ind + statement(rng, w), depth
	default:
		return strings.Repeat("\t", depth-1) + "}", depth - 1
	}
}

// statement returns a line that neither opens nor closes a block, without
// indentation.
func statement(rng *rand.Rand, w func() string) string {
	switch rng.IntN(10) {
	case 0, 1:
		return fmt.Sprintf("return nil, fmt.Errorf(\"%s %s: %%w\", err)", w(), w())
	case 2, 3:
		return fmt.Sprintf("// %s %s %s", w(), w(), w())
	case 4, 5:
		return fmt.Sprintf("%s.%s = append(%s.%s, %s)", w(), w(), w(), w(), w())
	default:
		return fmt.Sprintf("%s := %s.%s(%s, %d)", w(), w(), w(), w(), rng.IntN(100))
	}
}

// file returns a new file of about size bytes (half to one and a half
// times size).
func (s *source) file(rng *rand.Rand, size int) []byte {
	local := make([]string, 24)
	for i := range local {
		local[i] = s.vocab[rng.IntN(rng.IntN(len(s.vocab))+1)]
	}
	w := s.words(rng, local)
	target := size/2 + rng.IntN(size+1)
	var b bytes.Buffer
	fmt.Fprintf(&b, "package %s\n\n", strings.ToLower(w()))
	var l string
	for depth := 0; b.Len() < target || depth > 0; {
		if b.Len() >= target { // close the open blocks
			depth--
			b.WriteString(strings.Repeat("\t", depth) + "}\n")
			continue
		}
		l, depth = line(rng, w, depth)
		b.WriteString(l + "\n")
	}
	return b.Bytes()
}

// edit returns the next version of old: about one line in fifteen
// replaced, with a few inserted or deleted, as a typical commit touches a
// file, using the names old already uses. It always differs from old.
func (s *source) edit(rng *rand.Rand, old []byte) []byte {
	var local []string
	for _, f := range strings.FieldsFunc(string(old), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if s.known[f] {
			local = append(local, f)
		}
	}
	w := s.words(rng, local)
	lines := strings.SplitAfter(string(old), "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	out := make([]string, 0, len(lines)+4)
	for _, l := range lines {
		depth := len(l) - len(strings.TrimLeft(l, "\t"))
		// Lines that open or close a block stay, so nesting stays balanced.
		if depth == 0 || strings.HasSuffix(l, "{\n") || strings.TrimSpace(l) == "}" || rng.IntN(15) != 0 {
			out = append(out, l)
			continue
		}
		switch rng.IntN(5) {
		case 0: // deleted
		case 1: // a line inserted before it
			out = append(out, strings.Repeat("\t", depth)+statement(rng, w)+"\n", l)
		default: // replaced
			out = append(out, strings.Repeat("\t", depth)+statement(rng, w)+"\n")
		}
	}
	next := []byte(strings.Join(out, ""))
	if bytes.Equal(next, old) {
		next = append(next, fmt.Sprintf("// %s\n", w())...)
	}
	return next
}
