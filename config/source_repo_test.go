package config

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

const repoPath = "/repo/.gitbackfill.toml"

func TestFromRepoFile(t *testing.T) {
	only := ": only minBatchSize, maxBatchSize, sparse, days, diffBase may be set there"
	in := `minBatchSize = "20k"
maxBatchSize = 1000000
sparse = true
days = 30
diffBase = "fork-point"
remote = "evil"
exporters = ["lake"]
jobs = 64
minBatchSzie = 3
[exporter.lake]
type = "s3"
path = "/tmp/evil"
`
	src, warnings, err := FromRepoFile(repoPath, []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	at := func(line int, key, value string) Entry {
		return Entry{Key: key, Value: value, Origin: repoPath, Line: line}
	}
	want := []Entry{
		at(1, "minBatchSize", "20k"), at(2, "maxBatchSize", "1000000"), at(3, "sparse", "true"),
		at(4, "days", "30"), at(5, "diffBase", "fork-point"),
	}
	if !reflect.DeepEqual(src.Entries, want) {
		t.Errorf("entries:\n got %+v\nwant %+v", src.Entries, want)
	}
	wantWarnings := []string{
		"ignoring remote in tracked /repo/.gitbackfill.toml:6" + only,
		"ignoring exporters in tracked /repo/.gitbackfill.toml:7" + only,
		"ignoring jobs in tracked /repo/.gitbackfill.toml:8" + only,
		`ignoring unknown key "minBatchSzie" in /repo/.gitbackfill.toml:9 (did you mean "minBatchSize"?)`,
		"ignoring exporter in tracked /repo/.gitbackfill.toml:10" + only,
	}
	if strings.Join(warnings, "\n") != strings.Join(wantWarnings, "\n") {
		t.Errorf("warnings:\n got %s\nwant %s", strings.Join(warnings, "\n"), strings.Join(wantWarnings, "\n"))
	}
	s, err := Resolve(src)
	if err != nil {
		t.Fatal(err)
	}
	if s.Remote != "" || len(s.ExporterConfigs) != 0 || len(s.Exporters) != 0 || s.Jobs != DefaultJobs || s.Origin("jobs") != "default" {
		t.Errorf("unsafe keys leaked: %+v", s)
	}
	if s.MinBatchSize != 20<<10 || s.Days != 30 || s.Origin("days") != repoPath+":4" {
		t.Errorf("safe keys lost: %+v, days from %q", s, s.Origin("days"))
	}
}

func TestFromRepoFileErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"sparse = \"maybe\"\n",
			`bad value for sparse (/repo/.gitbackfill.toml:1): expected a boolean (true or false), got a string ("maybe")`},
		{"days = \n", `parsing /repo/.gitbackfill.toml:1: expected value but found '\n' instead`},
	}
	for _, tt := range tests {
		_, _, err := FromRepoFile(repoPath, []byte(tt.in))
		if err == nil || err.Error() != tt.want {
			t.Errorf("FromRepoFile(%q) error:\n got %v\nwant %s", tt.in, err, tt.want)
		}
	}
	// A bad type under an unsafe key is not even looked at.
	if _, w, err := FromRepoFile(repoPath, []byte("remote = 3\n")); err != nil || len(w) != 1 {
		t.Errorf("unsafe key with bad type: warnings %q, error %v", w, err)
	}
	// Range errors surface in Resolve with the tracked file's line.
	src, _, _ := FromRepoFile(repoPath, []byte("\ndays = -1\n"))
	_, err := Resolve(src)
	var ve *ValueError
	if !errors.As(err, &ve) || ve.Origin != repoPath+":2" {
		t.Errorf("Resolve error %v, want a ValueError from %s:2", err, repoPath)
	}
}

// TestFromRepoFileHostile checks that a tracked file with very many keys costs
// little and gives a bounded number of warnings.
func TestFromRepoFileHostile(t *testing.T) {
	var b strings.Builder
	for i := range 20000 {
		fmt.Fprintf(&b, "key%d = %d\n", i, i)
	}
	b.WriteString("[exporter]\n")
	for i := range 20000 {
		fmt.Fprintf(&b, "e%d.type = \"x\"\n", i)
	}
	start := time.Now()
	_, warnings, err := FromRepoFile(repoPath, []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if elapsed := time.Since(start); elapsed > 10*time.Second {
		t.Errorf("took %v", elapsed)
	}
	want := []string{
		`ignoring unknown key "key0" in /repo/.gitbackfill.toml:1`,
		"ignoring 19991 more keys in tracked /repo/.gitbackfill.toml",
	}
	if len(warnings) != maxWarnings+1 || warnings[0] != want[0] || warnings[maxWarnings] != want[1] {
		t.Errorf("warnings: %q", warnings)
	}
	start = time.Now()
	src, err := FromTOML(tomlPath, []byte(b.String()[strings.Index(b.String(), "[exporter]"):]))
	if err != nil || len(src.Entries) != 20000 {
		t.Fatalf("strict: %d entries, %v", len(src.Entries), err)
	}
	if src.Entries[0].Line != 2 || src.Entries[19999].Line != 0 {
		t.Errorf("lines %d, %d: want 2 and unknown", src.Entries[0].Line, src.Entries[19999].Line)
	}
	if elapsed := time.Since(start); elapsed > 10*time.Second {
		t.Errorf("strict took %v", elapsed)
	}
}
