package config

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
)

// tomlDoc is a decoded TOML file whose keys can be visited in document order
// and located by line.
//
// BurntSushi/toml records every key's position but has no API to read it. It
// does put the position into the ParseError it returns when a value's
// UnmarshalTOML fails, and [toml.MetaData.PrimitiveDecode] may be called any
// number of times. So the document is decoded into [toml.Primitive] values, and
// a key's line is read by decoding its primitive into [lineProbe], which always
// fails. Keys of tables that are only implied ("exporter" in "[exporter.lake]")
// have no position; they get their first child's line.
//
// Each probe costs the library a pass over the whole file, so lines are found
// only for the keys a message or an entry needs, and at most maxLineProbes times
// per file (beyond that a line is reported as unknown): a hostile tracked file
// with thousands of keys must not make this quadratic.
type tomlDoc struct {
	md     toml.MetaData
	path   string
	order  map[string]int // key (and its prefixes, to depth 3) → 1 + first index in md.Keys()
	probes int            // line probes left
}

const maxLineProbes = 1000

// tomlKey is one key of a table, with its undecoded value.
type tomlKey struct {
	path toml.Key // the full key, e.g. ["exporter", "lake", "bucket"]
	name string   // its last part
	prim toml.Primitive
}

// decodeTOML parses data and returns the top-level keys in document order.
func decodeTOML(path string, data []byte) (doc *tomlDoc, top []tomlKey, err error) {
	defer func() {
		if r := recover(); r != nil { // a parser bug must not become a stack trace
			doc, top, err = nil, nil, fmt.Errorf("parsing %s: %v", path, r)
		}
	}()
	var m map[string]toml.Primitive
	md, err := toml.Decode(string(data), &m)
	if err != nil {
		return nil, nil, syntaxError(path, err)
	}
	doc = &tomlDoc{md: md, path: path, order: map[string]int{}, probes: maxLineProbes}
	for i, k := range md.Keys() {
		for n := 1; n <= min(len(k), 3); n++ {
			if s := k[:n].String(); doc.order[s] == 0 {
				doc.order[s] = i + 1 // 0 means not seen yet
			}
		}
	}
	return doc, doc.keys(nil, m), nil
}

// keys returns the keys of table m, whose own key is parent, in document order.
func (d *tomlDoc) keys(parent toml.Key, m map[string]toml.Primitive) []tomlKey {
	type ranked struct {
		tomlKey
		rank int
	}
	rs := make([]ranked, 0, len(m))
	for name, p := range m {
		path := append(slices.Clone(parent), name)
		rank, ok := d.order[path.String()]
		if !ok {
			rank = math.MaxInt // deeper than indexed: after the rest
		}
		rs = append(rs, ranked{tomlKey{path: path, name: name, prim: p}, rank})
	}
	slices.SortFunc(rs, func(a, b ranked) int {
		return cmp.Or(cmp.Compare(a.rank, b.rank), strings.Compare(a.name, b.name))
	})
	keys := make([]tomlKey, len(rs))
	for i, r := range rs {
		keys[i] = r.tomlKey
	}
	return keys
}

// table returns the keys of a table value in document order, or nil if the
// value is not a table.
func (d *tomlDoc) table(k tomlKey) []tomlKey {
	if _, ok := d.raw(k.prim).(map[string]any); !ok {
		return nil
	}
	var m map[string]toml.Primitive
	if err := d.md.PrimitiveDecode(k.prim, &m); err != nil {
		return nil
	}
	return d.keys(k.path, m)
}

// raw returns the value as the library decodes it into an interface: string,
// int64, float64, bool, time values, []any, map[string]any or []map[string]any.
func (d *tomlDoc) raw(p toml.Primitive) any {
	var v any
	if err := d.md.PrimitiveDecode(p, &v); err != nil {
		return nil
	}
	return v
}

// line returns the line where k is defined, or for an implied table the line of
// its first child; 0 when unknown.
func (d *tomlDoc) line(k tomlKey) int {
	for depth := 0; depth < 3 && d.probes > 0; depth++ {
		d.probes--
		var pe toml.ParseError
		if errors.As(d.md.PrimitiveDecode(k.prim, lineProbe{}), &pe) && pe.Position.Line > 0 {
			return pe.Position.Line
		}
		children := d.table(k)
		if len(children) == 0 {
			break
		}
		k = children[0]
	}
	return 0
}

// where formats path:line for k, or the path alone when the line is unknown.
func (d *tomlDoc) where(k tomlKey) string { return Entry{Origin: d.path, Line: d.line(k)}.Where() }

// lineProbe fails to decode anything, so that the library reports a position.
type lineProbe struct{}

var errLineProbe = errors.New("line probe")

// UnmarshalTOML implements [toml.Unmarshaler] by failing.
func (lineProbe) UnmarshalTOML(any) error { return errLineProbe }

// syntaxError describes a TOML syntax error with file and line.
func syntaxError(path string, err error) error {
	var pe toml.ParseError
	if !errors.As(err, &pe) {
		return &syntaxErr{wrapError{fmt.Sprintf("parsing %s: %v", path, err), err}, "it is not valid TOML"}
	}
	msg := strings.TrimSuffix(pe.Message, ".")
	if strings.Contains(msg, "'exporter'") {
		msg += " (TOML cannot hold both exporter = [...] and [exporter.<name>] tables:" +
			" write the list as exporters = [...])"
	}
	where := Entry{Origin: path, Line: pe.Position.Line}.Where()
	return &syntaxErr{wrapError{fmt.Sprintf("parsing %s: %s", where, msg), err},
		fmt.Sprintf("line %d is not valid TOML", pe.Position.Line)}
}

// syntaxErr is a TOML syntax error. The parser's message may quote the
// file; safe says where the error is without quoting anything.
type syntaxErr struct {
	wrapError
	safe string
}

// wrapError is an error with its own message that still unwraps to its cause.
type wrapError struct {
	msg string
	err error
}

func (e *wrapError) Error() string { return e.msg }
func (e *wrapError) Unwrap() error { return e.err }
