package config

import (
	"strings"
	"unicode"
)

// Kind is the type of a setting's value.
type Kind int

// The kinds of values a setting can hold.
const (
	KindBool   Kind = iota + 1 // true/false; git config and the environment also take yes/no, on/off, 1/0
	KindInt                    // a decimal integer
	KindSize                   // a decimal integer with an optional k, m or g suffix (times 1024)
	KindString                 // text, or one of a fixed set of words
	KindList                   // a list of names: repeatable in git config and flags
)

// String returns the kind's name as the documentation writes it.
func (k Kind) String() string {
	switch k {
	case KindBool:
		return "bool"
	case KindInt:
		return "int"
	case KindSize:
		return "size"
	case KindString:
		return "string"
	case KindList:
		return "list"
	}
	return "unknown"
}

// KeyInfo describes one setting. Exporter options are described once, with
// Name "exporter.<name>.<option>", where <name> stands for any exporter name.
type KeyInfo struct {
	Name     string // canonical name without "backfill.", e.g. "minBatchSize"
	Kind     Kind   // the value's type
	Default  string // the default as text ("" = not set); [Resolve] applies it
	Allowed  string // the accepted values, for help and error messages
	Help     string // one line of help
	RepoSafe bool   // may be set by the tracked .gitbackfill.toml
	Secret   bool   // the value is never shown in messages
}

// ExporterPrefix starts the name of every per-exporter key: "exporter.<name>.<option>".
const ExporterPrefix = "exporter."

// IsExporterOption reports whether k describes a per-exporter option.
func (k KeyInfo) IsExporterOption() bool { return strings.HasPrefix(k.Name, ExporterPrefix) }

// Option returns the option part of a per-exporter key ("bucket"), or "".
func (k KeyInfo) Option() string {
	if !k.IsExporterOption() {
		return ""
	}
	return k.Name[strings.LastIndexByte(k.Name, '.')+1:]
}

// GitKey returns the git config key, e.g. "backfill.minBatchSize" or
// "backfill.exporter.<name>.bucket".
func (k KeyInfo) GitKey() string { return "backfill." + k.Name }

// EnvVar returns the environment variable, e.g. "GIT_BACKFILL_MIN_BATCH_SIZE",
// or "" for exporter options, which have none.
func (k KeyInfo) EnvVar() string {
	if k.IsExporterOption() {
		return ""
	}
	return "GIT_BACKFILL_" + strings.ToUpper(splitCamel(k.Name, '_'))
}

// Flag returns the long command-line flag, e.g. "--min-batch-size", or "" for
// exporter options, which have none. For booleans the flag also has a "--no-" form.
func (k KeyInfo) Flag() string {
	if k.IsExporterOption() {
		return ""
	}
	return "--" + strings.ToLower(splitCamel(k.Name, '-'))
}

// splitCamel turns "minBatchSize" into "min<sep>Batch<sep>Size".
func splitCamel(s string, sep rune) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && unicode.IsUpper(r) {
			b.WriteRune(sep)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Lookup returns the description of a canonical key. Exporter options may be
// given with a real exporter name ("exporter.lake.bucket") or the placeholder.
func Lookup(name string) (KeyInfo, bool) {
	if _, opt, ok := splitExporterKey(name); ok {
		return exporterOption(opt)
	}
	k, ok := topKeys[name]
	return k, ok
}

// RepoSafeKeys returns the names of the keys the tracked .gitbackfill.toml may set,
// in table order.
func RepoSafeKeys() []string {
	var names []string
	for _, k := range Keys {
		if k.RepoSafe {
			names = append(names, k.Name)
		}
	}
	return names
}

// exporterOption describes an exporter option. Options this package knows
// (type, path, sha256, the built-ins' common ones) are checked here; any
// other well-formed name passes through as a string for the exporter to
// check in its Configure: exporters, custom ones included, own their
// options (compressionLevel, partSize, presignedForm ...).
func exporterOption(opt string) (KeyInfo, bool) {
	if k, ok := exporterOptions[opt]; ok {
		return k, true
	}
	if !validName(opt) {
		return KeyInfo{}, false
	}
	return KeyInfo{Name: exporterKey("<name>", opt), Kind: KindString,
		Allowed: "a value the exporter accepts", Help: "an option of the exporter"}, true
}
