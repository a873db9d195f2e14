package config

import (
	"fmt"
	"strconv"
)

// tomlScalar converts a decoded TOML value to the text an [Entry] holds, if its
// TOML type fits the key's kind: booleans for KindBool, integers for KindInt,
// integers or strings ("20k") for KindSize, strings for KindString.
func tomlScalar(kind Kind, v any) (string, bool) {
	switch v := v.(type) {
	case bool:
		return strconv.FormatBool(v), kind == KindBool
	case int64:
		return strconv.FormatInt(v, 10), kind == KindInt || kind == KindSize
	case string:
		return v, kind == KindString || kind == KindSize
	}
	return "", false
}

// tomlWant describes the TOML type a kind takes.
func tomlWant(kind Kind) string {
	switch kind {
	case KindBool:
		return "a boolean (true or false)"
	case KindInt:
		return "an integer"
	case KindSize:
		return `an integer or a size string such as "20k"`
	}
	return "a string"
}

// tomlDescribe names a decoded TOML value's type, and its value when short and
// not secret: `a string ("maybe")`, "an integer (3)", "a table".
func tomlDescribe(v any, secret bool) string {
	var kind, text string
	switch v := v.(type) {
	case string:
		kind, text = "a string", strconv.Quote(v)
	case int64:
		kind, text = "an integer", strconv.FormatInt(v, 10)
	case float64:
		kind, text = "a float", strconv.FormatFloat(v, 'g', -1, 64)
	case bool:
		kind, text = "a boolean", strconv.FormatBool(v)
	case []map[string]any:
		kind = "an array of tables"
	case []any:
		kind = "an array"
	case map[string]any:
		kind = "a table"
	default:
		kind, text = "a date or time", fmt.Sprint(v)
	}
	if secret || text == "" || len(text) > 40 {
		return kind
	}
	return kind + " (" + text + ")"
}
