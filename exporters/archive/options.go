package archive

import (
	"compress/gzip"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// hostKeys are the keys of backfill.exporter.<name> that the host uses to
// choose and start an exporter; exporters accept and ignore them.
var hostKeys = []string{"type", "path", "sha256"}

// Options reads an exporter's options as Configure receives them. Keys
// compare case-insensitively, since git config lower-cases variable names
// (backfill.exporter.s3.presignedUrl arrives as "presignedurl") while TOML
// keeps them as written. Options is not safe for concurrent use.
type Options struct {
	values map[string]string // by lower-case key
	keys   map[string]string // lower-case key -> key as given
	used   map[string]bool
}

// NewOptions reads options; a key given twice in different cases is an
// error.
func NewOptions(options map[string]string) (*Options, error) {
	o := &Options{values: map[string]string{}, keys: map[string]string{}, used: map[string]bool{}}
	for k, v := range options {
		lk := strings.ToLower(k)
		if prev, ok := o.keys[lk]; ok {
			a, b := min(prev, k), max(prev, k)
			return nil, fmt.Errorf("option %s given twice (also as %s)", a, b)
		}
		o.values[lk], o.keys[lk] = v, k
	}
	return o, nil
}

// Get returns the value of key ("" when not set) and marks it known.
func (o *Options) Get(key string) string {
	lk := strings.ToLower(key)
	o.used[lk] = true
	return o.values[lk]
}

// Level returns the gzip level of option "compressionLevel", 1 (fastest)
// to 9 (smallest); gzip's default (6) when not set.
func (o *Options) Level() (int, error) {
	s := o.Get("compressionLevel")
	if s == "" {
		return gzip.DefaultCompression, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < gzip.BestSpeed || n > gzip.BestCompression {
		return 0, fmt.Errorf("option compressionLevel: %q is not a number from 1 to 9", s)
	}
	return n, nil
}

// Unknown returns an error naming the options that no Get asked for,
// apart from the host's keys (type, path, sha256), which exporters accept
// and ignore; nil when there are none.
func (o *Options) Unknown() error {
	var unknown []string
	for lk, k := range o.keys {
		if !o.used[lk] && !slices.Contains(hostKeys, lk) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	slices.Sort(unknown)
	if len(unknown) == 1 {
		return fmt.Errorf("unknown option %s", unknown[0])
	}
	return fmt.Errorf("unknown options %s", strings.Join(unknown, ", "))
}
