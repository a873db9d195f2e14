package main

import (
	"strings"
	"testing"
)

func TestCheckFindsViolations(t *testing.T) {
	pkgs := []pkg{
		{ImportPath: module + "/internal/git", Imports: []string{"bytes", module + "/internal/cli"}},
		{ImportPath: module + "/exporters/tar", Imports: []string{module + "/exporters", module + "/config"}},
		{ImportPath: module + "/exporters/s3", Imports: []string{"github.com/aws/aws-sdk-go-v2/aws", "github.com/other/lib"}},
		{ImportPath: module + "/internal/backfill", Imports: []string{"github.com/sourcegraph/conc/pool", module + "/internal/odb"}},
		{ImportPath: module + "/newpkg", Imports: nil},
		{ImportPath: module + "/t/cmd/tool", Imports: []string{"github.com/anything/at/all", module + "/internal/cli"}},
	}
	got := strings.Join(check(pkgs, rules), "\n")
	for _, want := range []string{
		"internal/git imports " + module + "/internal/cli",
		"exporters/tar imports " + module + "/config",
		"exporters/s3 imports github.com/other/lib",
		"newpkg: no rule covers this package",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing violation %q in:\n%s", want, got)
		}
	}
	for _, fine := range []string{"internal/backfill", "t/cmd/tool", "aws-sdk"} {
		if strings.Contains(got, fine) {
			t.Errorf("%s is allowed, but was reported:\n%s", fine, got)
		}
	}
}
