package t

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"slices"
	"sort"
	"sync"
	"testing"
)

// schema is the part of JSON Schema that docs/record.schema.json uses:
// type, const, enum, pattern, minimum, required, properties,
// additionalProperties (false) and items.
type schema struct {
	Type                 string             `json:"type"`
	Const                any                `json:"const"`
	Enum                 []any              `json:"enum"`
	Pattern              string             `json:"pattern"`
	Minimum              *float64           `json:"minimum"`
	Required             []string           `json:"required"`
	Properties           map[string]*schema `json:"properties"`
	AdditionalProperties *bool              `json:"additionalProperties"`
	Items                *schema            `json:"items"`
}

var recordSchema = sync.OnceValues(func() (*schema, error) {
	data, err := os.ReadFile("../docs/record.schema.json")
	if err != nil {
		return nil, err
	}
	var s schema
	return &s, json.Unmarshal(data, &s)
})

// validate reports the first way v (decoded JSON) breaks s, or nil.
func (s *schema) validate(path string, v any) error {
	if s.Type != "" && jsonType(v) != s.Type {
		return fmt.Errorf("%s: %s where %s is expected", path, jsonType(v), s.Type)
	}
	if s.Const != nil && fmt.Sprint(v) != fmt.Sprint(s.Const) {
		return fmt.Errorf("%s: %v, want %v", path, v, s.Const)
	}
	if len(s.Enum) > 0 && !slices.ContainsFunc(s.Enum, func(e any) bool { return e == v }) {
		return fmt.Errorf("%s: %v is not one of %v", path, v, s.Enum)
	}
	if str, ok := v.(string); ok && s.Pattern != "" && !regexp.MustCompile(s.Pattern).MatchString(str) {
		return fmt.Errorf("%s: %q does not match %s", path, str, s.Pattern)
	}
	if n, ok := v.(float64); ok && s.Minimum != nil && n < *s.Minimum {
		return fmt.Errorf("%s: %v is below %v", path, n, *s.Minimum)
	}
	if obj, ok := v.(map[string]any); ok {
		for _, name := range s.Required {
			if _, ok := obj[name]; !ok {
				return fmt.Errorf("%s: no %s", path, name)
			}
		}
		names := make([]string, 0, len(obj))
		for name := range obj {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			sub, ok := s.Properties[name]
			if !ok {
				if s.AdditionalProperties != nil && !*s.AdditionalProperties {
					return fmt.Errorf("%s: unexpected field %s", path, name)
				}
				continue
			}
			if err := sub.validate(path+"."+name, obj[name]); err != nil {
				return err
			}
		}
	}
	if arr, ok := v.([]any); ok && s.Items != nil {
		for i, item := range arr {
			if err := s.Items.validate(fmt.Sprintf("%s[%d]", path, i), item); err != nil {
				return err
			}
		}
	}
	return nil
}

func jsonType(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case float64:
		if x == float64(int64(x)) {
			return "integer"
		}
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "unknown"
}

// validateRecord checks one JSON line against the documented schema.
func validateRecord(line []byte) error {
	s, err := recordSchema()
	if err != nil {
		return fmt.Errorf("reading docs/record.schema.json: %w", err)
	}
	var v any
	if err := json.Unmarshal(line, &v); err != nil {
		return err
	}
	return s.validate("record", v)
}

// TestSchemaRejects: the validator the scenarios use can fail.
func TestSchemaRejects(t *testing.T) {
	good := `{"schema_version":1,"commit_sha":"` + fmt.Sprintf("%040d", 1) + `","parent_shas":[],
		"author_name":"a","author_email":"a@b","author_date":"2026-01-02T03:04:05+01:00",
		"committer_name":"c","committer_email":"c@d","committer_date":"2026-01-02T03:04:05Z",
		"message":"m","files_changed":"f","diff_stat":"1\t0\tf","diff_base":"` + fmt.Sprintf("%040d", 2) + `",
		"files":[{"path":"f","status":"M","additions":1,"deletions":0,"binary":false}],"trailers":[]}`
	if err := validateRecord([]byte(good)); err != nil {
		t.Fatalf("a good record: %v", err)
	}
	for _, bad := range []struct{ from, to string }{
		{`"schema_version":1`, `"schema_version":2`},
		{`"status":"M"`, `"status":"X"`},
		{`"additions":1`, `"additions":-1`},
		{`"author_date":"2026-01-02T03:04:05+01:00"`, `"author_date":"Jan 2 2026"`},
		{`"trailers":[]`, `"trailers":null`},
		{`"message":"m",`, ``},
		{`"binary":false`, `"binary":false,"extra":1`},
	} {
		rec := regexp.MustCompile(regexp.QuoteMeta(bad.from)).ReplaceAllLiteralString(good, bad.to)
		if rec == good {
			t.Fatalf("test broken: %q not in the record", bad.from)
		}
		if err := validateRecord([]byte(rec)); err == nil {
			t.Errorf("%s -> %s: accepted", bad.from, bad.to)
		}
	}
}
