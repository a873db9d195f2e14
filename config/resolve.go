package config

import (
	"slices"
	"strings"
)

// Resolve merges sources, highest precedence first (command line, environment,
// git config, TOML file, tracked repository file), over the defaults in [Keys].
//
// For each key the highest source that sets it wins; within a source the last
// entry wins, except that exporter list entries accumulate and an empty one
// resets the list. Each exporter option is resolved separately. Only the winning
// value of a key is parsed, as git does, so a bad value hidden by a higher source
// is not an error.
//
// The first bad value, in [Keys] order, is returned as a [*ValueError]; an entry
// whose key is not in [Keys] is a [*KeyError]. Resolve() with no sources returns
// the defaults.
func Resolve(sources ...Source) (*Settings, error) {
	won := map[string][]Entry{} // key → the winning source's entries for it
	for _, src := range sources {
		local := map[string][]Entry{}
		for _, e := range src.Entries {
			if _, ok := Lookup(e.Key); !ok {
				return nil, &KeyError{Key: e.Key, Origin: e.Where()}
			}
			if e.Key == "exporter" && !e.resets() {
				local[e.Key] = append(local[e.Key], e)
			} else {
				local[e.Key] = []Entry{e}
			}
		}
		for key, entries := range local {
			if _, done := won[key]; !done {
				won[key] = entries
			}
		}
	}

	s := &Settings{origins: map[string]string{}, ExporterConfigs: map[string]ExporterConfig{}}
	for _, k := range Keys {
		if k.IsExporterOption() {
			continue
		}
		if k.Default != "" {
			_ = setters[k.Name](s, k.Default) // valid: TestDefaults checks every one
		}
		entries, ok := won[k.Name]
		if !ok {
			continue
		}
		if err := s.apply(k, entries); err != nil {
			return nil, err
		}
		s.origins[k.Name] = entries[len(entries)-1].Where()
	}
	if err := s.applyExporters(won); err != nil {
		return nil, err
	}
	return s, nil
}

// apply sets one top-level key from its winning entries.
func (s *Settings) apply(k KeyInfo, entries []Entry) error {
	if k.Kind == KindList {
		return s.applyList(k, entries)
	}
	e := entries[len(entries)-1]
	value := e.Value
	if e.NoValue {
		if k.Kind != KindBool {
			return valueError(k, e, "")
		}
		value = "true"
	}
	if err := setters[k.Name](s, value); err != nil {
		return valueError(k, e, "")
	}
	return nil
}

// applyList sets the exporter list.
func (s *Settings) applyList(k KeyInfo, entries []Entry) error {
	s.Exporters = []string{}
	for _, e := range entries {
		if e.resets() {
			s.Exporters = s.Exporters[:0]
			continue
		}
		if e.NoValue || !validName(e.Value) {
			return valueError(k, e, "")
		}
		if !slices.Contains(s.Exporters, e.Value) {
			s.Exporters = append(s.Exporters, e.Value)
		}
	}
	return nil
}

// setters parse and store each top-level scalar key's value.
var setters = map[string]func(*Settings, string) error{
	"minBatchSize": func(s *Settings, v string) (err error) {
		s.MinBatchSize, err = ParseSize(v)
		if err == nil && s.MinBatchSize == 0 {
			err = errRange
		}
		return err
	},
	"maxBatchSize": func(s *Settings, v string) (err error) {
		s.MaxBatchSize, err = ParseSize(v)
		return err
	},
	"jobs": func(s *Settings, v string) (err error) {
		if s.Jobs, err = parseInt(v, 0, 1024); s.Jobs == 0 {
			s.Jobs = DefaultJobs // 0: choose automatically
		}
		return err
	},
	"concurrency":  func(s *Settings, v string) (err error) { s.Concurrency, err = parseInt(v, 0, 1024); return err },
	"days":         func(s *Settings, v string) (err error) { s.Days, err = parseInt(v, 1, 100000); return err },
	"includeEdges": func(s *Settings, v string) (err error) { s.IncludeEdges, err = ParseBool(v); return err },
	"skipDiffs":    func(s *Settings, v string) (err error) { s.SkipDiffs, err = ParseBool(v); return err },
	"snapshot":     func(s *Settings, v string) (err error) { s.Snapshot, err = ParseBool(v); return err },
	"sparse": func(s *Settings, v string) error {
		b, err := ParseBool(v)
		s.Sparse = &b
		return err
	},
	"remote": func(s *Settings, v string) error {
		if !validRemote(v) {
			return errSyntax
		}
		s.Remote = v
		return nil
	},
	"diffBase": func(s *Settings, v string) error {
		v = strings.ToLower(strings.TrimSpace(v))
		if v != DiffBaseParent && v != DiffBaseForkPoint {
			return errSyntax
		}
		s.DiffBase = v
		return nil
	},
	"exporter": nil, // a list: see applyList
}
