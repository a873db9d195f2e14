package config

import "fmt"

// ValueError reports a bad value: its key, where it came from and what is allowed.
// It means bad configuration (exit code 128).
type ValueError struct {
	Key     string // the key as the source spells it, e.g. "minBatchSize"
	Value   string // the value as given; not shown when Secret
	Origin  string // where it came from, with the line when known
	Want    string // what is allowed, e.g. "a positive size such as 50000, 20k or 1m"
	Got     string // for a value of the wrong type in TOML, e.g. "a table"; else ""
	NoValue bool   // the key had no value at all (git config "[backfill] days")
	Secret  bool   // the value must not appear in messages
}

// Error returns e.g. `bad value "12q" for minBatchSize (git config
// file:.git/config): expected a positive size such as 50000, 20k or 1m`.
func (e *ValueError) Error() string {
	switch {
	case e.NoValue:
		return fmt.Sprintf("missing value for %s (%s): expected %s", e.Key, e.Origin, e.Want)
	case e.Got != "":
		return fmt.Sprintf("bad value for %s (%s): expected %s, got %s", e.Key, e.Origin, e.Want, e.Got)
	case e.Secret:
		return fmt.Sprintf("bad value for %s (%s): expected %s", e.Key, e.Origin, e.Want)
	}
	return fmt.Sprintf("bad value %q for %s (%s): expected %s", e.Value, e.Key, e.Origin, e.Want)
}

// KeyError reports an unknown key in a strict source (a TOML file, or an entry the
// caller built by hand). It means bad configuration (exit code 128).
type KeyError struct {
	Key        string // the key as the source spells it
	Origin     string // where it came from, with the line when known
	Suggestion string // a known key it may be a misspelling of, or ""
}

// Error returns e.g. `unknown key "minBatchSzie" in /repo/.git/backfill.toml:2
// (did you mean "minBatchSize"?)`.
func (e *KeyError) Error() string {
	msg := fmt.Sprintf("unknown key %q in %s", e.Key, e.Origin)
	if e.Suggestion != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", e.Suggestion)
	}
	return msg
}

// valueError builds the ValueError for entry e of key k.
func valueError(k KeyInfo, e Entry, want string) *ValueError {
	if want == "" {
		want = k.Allowed
	}
	return &ValueError{Key: e.Key, Value: e.Value, Origin: e.Where(), Want: want,
		NoValue: e.NoValue, Secret: k.Secret}
}
