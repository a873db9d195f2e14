package config

import (
	"slices"
	"strings"
	"time"
)

// applyExporters builds ExporterConfigs from the winning exporter.<name>.<option>
// entries, in key order so that the first error is always the same.
func (s *Settings) applyExporters(won map[string][]Entry) error {
	var keys []string
	for key := range won {
		if _, _, ok := splitExporterKey(key); ok {
			keys = append(keys, key)
		}
	}
	slices.Sort(keys)
	for _, key := range keys {
		e := won[key][len(won[key])-1]
		name, opt, _ := splitExporterKey(key)
		info, _ := exporterOption(opt)
		if !validName(name) {
			return &ValueError{Key: key, Value: name, Origin: e.Where(), Want: allowedName}
		}
		if e.NoValue || !validOption(opt, e.Value) {
			return valueError(info, e, "")
		}
		c, ok := s.ExporterConfigs[name]
		if !ok {
			c = ExporterConfig{Name: name, Type: name, Options: map[string]string{}}
		}
		switch opt {
		case "type":
			c.Type = e.Value
		case "path":
			c.Path = e.Value
		case "sha256":
			c.SHA256 = strings.ToLower(e.Value)
		case "timeout":
			c.Timeout, _ = time.ParseDuration(e.Value) // checked by validOption
		default:
			c.Options[opt] = e.Value
		}
		s.ExporterConfigs[name] = c
		s.origins[key] = e.Where()
	}
	return nil
}

// validOption checks an exporter option's value. Empty values of the
// exporter-specific options are allowed and mean "the exporter's default".
func validOption(opt, v string) bool {
	switch opt {
	case "type":
		return validName(v)
	case "path":
		return validPath(v)
	case "sha256":
		return validSHA256(v)
	case "timeout":
		d, err := time.ParseDuration(v)
		return err == nil && d > 0
	case "endpoint", "presignedUrl":
		return v == "" || validURL(v)
	}
	return true
}
