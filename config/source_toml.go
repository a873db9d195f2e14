package config

import (
	"fmt"
	"strings"
)

// File names this package knows.
const (
	TOMLFileName = "backfill.toml"     // in $GIT_DIR
	RepoFileName = ".gitbackfill.toml" // tracked, at the top of the worktree
)

// exportersKey is TOML's spelling of the exporter list beside exporter tables.
const exportersKey = "exporters"

// FromTOML decodes a TOML config file (path names it in messages; data is its
// content). Keys are those of git config without "backfill.", spelled exactly as
// in [Keys]; exporters are tables:
//
//	exporters = ["archive"]   # or exporter = [...] when there are no tables
//	[exporter.archive]
//	type = "tar"
//	output = "exports/"
//
// Decoding is strict. An unknown or misspelled key is a [*KeyError] naming the key,
// the file and the line, with a suggestion when one is close. A value of the wrong
// TOML type (sparse = "maybe") is a [*ValueError] with file and line; sizes may be
// integers or strings such as "20k". A syntax error names the file and line. Value
// ranges are checked by [Resolve], which reports the same file and line.
func FromTOML(path string, data []byte) (Source, error) {
	src, _, err := parseTOML(path, data, false)
	return src, err
}

// FromRepoFile decodes the tracked .gitbackfill.toml. Anyone who can push to the
// repository writes this file, so only the keys marked RepoSafe in [Keys] are kept
// (minBatchSize, maxBatchSize, sparse, days, diffBase). Any other key, unknown ones
// included, is dropped with a warning naming it and the file: an executable path or
// exporter choice must never come from the repository. Syntax errors and values of
// the wrong type in kept keys are errors, as in [FromTOML].
func FromRepoFile(path string, data []byte) (Source, []string, error) {
	return parseTOML(path, data, true)
}

// tomlParser collects one file's entries.
type tomlParser struct {
	doc      *tomlDoc
	repo     bool
	src      Source
	warnings []string
	listKey  string // the key that set the exporter list, to refuse a second one
	ignored  int    // warnings not given, beyond maxWarnings
}

// maxWarnings bounds the warnings about one tracked file.
const maxWarnings = 10

func parseTOML(path string, data []byte, repo bool) (Source, []string, error) {
	doc, top, err := decodeTOML(path, data)
	if err != nil {
		return Source{}, nil, err
	}
	p := &tomlParser{doc: doc, repo: repo, src: Source{Name: path}}
	for _, k := range top {
		if err := p.topKey(k); err != nil {
			return Source{}, nil, err
		}
	}
	if p.ignored > 0 {
		p.warnings = append(p.warnings, fmt.Sprintf("ignoring %d more keys in tracked %s", p.ignored, path))
	}
	return p.src, p.warnings, nil
}

// topKey handles one top-level key.
func (p *tomlParser) topKey(k tomlKey) error {
	name := k.name
	if name == exportersKey {
		name = "exporter"
	}
	info, known := topKeys[name]
	switch {
	case !known:
		err := func() error {
			return &KeyError{Key: k.name, Origin: p.doc.where(k),
				Suggestion: suggest(k.name, append(topKeyNames(), exportersKey))}
		}
		if p.repo { // a newer version's key must not break older ones
			p.ignore(func() string { return "ignoring " + err().Error() })
			return nil
		}
		return err()
	case p.repo && !info.RepoSafe:
		p.ignore(func() string {
			return "ignoring " + k.name + " in tracked " + p.doc.where(k) +
				": only " + strings.Join(RepoSafeKeys(), ", ") + " may be set there"
		})
		return nil
	case info.Kind == KindList:
		return p.exporter(k, info)
	}
	value, ok := tomlScalar(info.Kind, p.doc.raw(k.prim))
	if !ok {
		return p.typeError(info, k.name, k, tomlWant(info.Kind), p.doc.raw(k.prim))
	}
	p.add(info.Name, value, p.doc.line(k))
	return nil
}

// exporter handles "exporter" (a list, or a table of exporter tables) and
// "exporters" (a list).
func (p *tomlParser) exporter(k tomlKey, info KeyInfo) error {
	raw := p.doc.raw(k.prim)
	if _, ok := raw.(map[string]any); ok && k.name == "exporter" {
		for _, ex := range p.doc.table(k) {
			if err := p.exporterTable(ex); err != nil {
				return err
			}
		}
		return nil
	}
	items, ok := raw.([]any)
	if !ok {
		want := "an array of exporter names"
		if k.name == "exporter" {
			want += " or [exporter.<name>] tables"
		}
		return p.typeError(info, k.name, k, want, raw)
	}
	if p.listKey != "" {
		return fmt.Errorf("both %s and %s set the exporter list in %s: keep one",
			p.listKey, k.name, p.doc.where(k))
	}
	p.listKey = k.name
	line := p.doc.line(k)
	p.add("exporter", "", line) // the file's list replaces, never extends
	for _, item := range items {
		s, ok := item.(string)
		if !ok {
			return p.typeError(info, k.name, k, "an array of exporter names (strings)", item)
		}
		if s == "" {
			return &ValueError{Key: k.name, Origin: p.doc.where(k), Want: info.Allowed}
		}
		p.add("exporter", s, line)
	}
	return nil
}

// exporterTable handles [exporter.<name>].
func (p *tomlParser) exporterTable(ex tomlKey) error {
	opts := p.doc.table(ex)
	if opts == nil {
		key := ExporterPrefix + ex.name
		return p.typeError(KeyInfo{}, key, ex, "a table [exporter."+ex.name+"]", p.doc.raw(ex.prim))
	}
	for _, o := range opts {
		key := exporterKey(ex.name, o.name)
		info, known := exporterOption(o.name)
		if !known {
			s := suggest(o.name, optionNames())
			if s != "" {
				s = exporterKey(ex.name, s)
			}
			return &KeyError{Key: key, Origin: p.doc.where(o), Suggestion: s}
		}
		raw := p.doc.raw(o.prim)
		value, ok := raw.(string)
		if !ok {
			return p.typeError(info, key, o, "a string: "+info.Allowed, raw)
		}
		p.add(key, value, p.doc.line(o))
	}
	return nil
}

// ignore records a warning about an ignored key of the tracked file; msg is only
// called for the first maxWarnings, which spares the line lookups of the rest.
func (p *tomlParser) ignore(msg func() string) {
	if len(p.warnings) < maxWarnings {
		p.warnings = append(p.warnings, msg())
	} else {
		p.ignored++
	}
}

// add appends an entry from this file.
func (p *tomlParser) add(key, value string, line int) {
	p.src.Entries = append(p.src.Entries, Entry{Key: key, Value: value, Origin: p.doc.path, Line: line})
}

// typeError reports that v, the value of k or one element of it, has the wrong
// TOML type.
func (p *tomlParser) typeError(info KeyInfo, key string, k tomlKey, want string, v any) error {
	return &ValueError{Key: key, Origin: p.doc.where(k), Want: want,
		Got: tomlDescribe(v, info.Secret), Secret: info.Secret}
}
