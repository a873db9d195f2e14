package t

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
)

// jsonfield stdout|stderr <field> <value>: finds the one line of the last
// command's stdout or stderr that holds a JSON object (--stats=json) and
// asserts one of its fields.
//
// field is a dotted path: "blobs", "failed.0.path" (a number indexes a
// list), "failed.len" (the length of a list). value is compared with the
// field's JSON text, strings without their quotes: 48, true, a/file.2.txt,
// [] (an empty list). ">n" and "<n" compare numbers; "~re" matches a
// string against the regular expression re.
func cmdJsonfield(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "jsonfield")
	if len(args) != 3 || (args[0] != "stdout" && args[0] != "stderr") {
		ts.Fatalf("usage: jsonfield stdout|stderr <field> <value>")
	}
	var obj any
	found := 0
	for _, line := range strings.Split(ts.ReadFile(args[0]), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "{") {
			found++
			if err := json.Unmarshal([]byte(line), &obj); err != nil {
				ts.Fatalf("jsonfield: %s has a line that is not JSON: %v\n%s", args[0], err, line)
			}
		}
	}
	if found != 1 {
		ts.Fatalf("jsonfield: %s has %d JSON lines, want 1", args[0], found)
	}
	v, err := jsonPath(obj, args[1])
	if err != nil {
		ts.Fatalf("jsonfield: %v", err)
	}
	if err := jsonMatch(v, args[2]); err != nil {
		ts.Fatalf("jsonfield %s: %v", args[1], err)
	}
}

// jsonPath follows a dotted path through decoded JSON.
func jsonPath(v any, path string) (any, error) {
	for _, step := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			next, ok := x[step]
			if !ok {
				return nil, fmt.Errorf("no field %q in %s", step, path)
			}
			v = next
		case []any:
			if step == "len" {
				v = float64(len(x))
				continue
			}
			i, err := strconv.Atoi(step)
			if err != nil || i < 0 || i >= len(x) {
				return nil, fmt.Errorf("%s: no element %q in a list of %d", path, step, len(x))
			}
			v = x[i]
		default:
			return nil, fmt.Errorf("%s: %q is below a value that is neither an object nor a list", path, step)
		}
	}
	return v, nil
}

// jsonMatch compares a decoded JSON value with a jsonfield value.
func jsonMatch(v any, want string) error {
	text := ""
	if s, ok := v.(string); ok {
		text = s
	} else {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		text = string(b)
	}
	switch {
	case strings.HasPrefix(want, ">") || strings.HasPrefix(want, "<"):
		n, ok := v.(float64)
		bound, err := strconv.ParseFloat(want[1:], 64)
		if !ok || err != nil {
			return fmt.Errorf("%s: comparing %s, which is not a number", want, text)
		}
		if (want[0] == '>' && n <= bound) || (want[0] == '<' && n >= bound) {
			return fmt.Errorf("have %s, want %s", text, want)
		}
	case strings.HasPrefix(want, "~"):
		re, err := regexp.Compile(want[1:])
		if err != nil {
			return err
		}
		if !re.MatchString(text) {
			return fmt.Errorf("have %q, want a match for %s", text, want[1:])
		}
	case text != want:
		return fmt.Errorf("have %s, want %s", text, want)
	}
	return nil
}
