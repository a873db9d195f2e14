package main

import (
	"fmt"
	"slices"
	"strings"
)

// rule says what the packages under Prefix (a path in the module; "" is
// the module root package only) may import besides the standard library:
// module packages under one of Module, and outside packages under one of
// External. The most specific prefix applies.
type rule struct {
	Prefix   string
	Module   []string
	External []string
}

// rules: git plumbing and the object store need nothing but the standard
// library; the walk, the filters and the backfill build on them; exporters
// import only the exporter API and their SDK, so each runs unchanged as an
// external plugin; only the command line sees everything.
var rules = []rule{
	{Prefix: "cmd/git-backfill", Module: []string{"internal/cli", "plugins"}},
	{Prefix: "internal/cli", Module: []string{"config", "exporters", "internal", "plugins"}},
	{Prefix: "internal/git"},
	{Prefix: "internal/odb"},
	{Prefix: "internal/progress"},
	{Prefix: "internal/wildmatch"},
	{Prefix: "internal/gittest"},
	{Prefix: "internal/pathwalk", Module: []string{"internal/git"}},
	{Prefix: "internal/credential"},
	{Prefix: "internal/pathspec", Module: []string{"internal/pathwalk", "internal/wildmatch"}},
	{Prefix: "internal/sparse", Module: []string{"internal/pathwalk", "internal/wildmatch"}},
	{Prefix: "internal/trace2"},
	{Prefix: "internal/backfill", Module: []string{"internal/git", "internal/odb", "internal/pathwalk", "internal/trace2", "exporters/flock"},
		External: []string{"github.com/sourcegraph/conc"}},
	{Prefix: "internal/export", Module: []string{"exporters", "internal/git"},
		External: []string{"github.com/sourcegraph/conc"}},
	{Prefix: "internal/pipeline", Module: []string{"config", "exporters", "internal/backfill", "internal/export",
		"internal/git", "internal/pathwalk", "internal/progress", "internal/selection", "internal/snapshot"}},
	{Prefix: "internal/selection", Module: []string{"internal/backfill", "internal/git", "internal/odb"}},
	{Prefix: "internal/snapshot", Module: []string{"internal/git", "exporters/flock"}},
	{Prefix: "config", Module: []string{"exporters/safefile"}, External: []string{"github.com/BurntSushi/toml"}},
	{Prefix: "exporters", Module: []string{"exporters"}},
	{Prefix: "exporters/presign"}, // the standard library only
	{Prefix: "exporters/buildkite", Module: []string{"exporters"}},
	{Prefix: "exporters/s3", Module: []string{"exporters"},
		External: []string{"github.com/aws/aws-sdk-go-v2", "github.com/aws/smithy-go"}},
	{Prefix: "exporters/parquet", Module: []string{"exporters"},
		External: []string{"github.com/parquet-go/parquet-go"}},
	{Prefix: "plugins", Module: []string{"exporters", "plugins"},
		External: []string{"github.com/hashicorp/", "google.golang.org/grpc", "google.golang.org/protobuf"}},
	{Prefix: "t", Module: []string{""}, External: []string{""}}, // tests and tools may use anything
}

// check returns one line per import that no rule allows, and per package
// that no rule covers.
func check(pkgs []pkg, rules []rule) []string {
	std := map[string]bool{}
	for _, p := range pkgs {
		if p.Standard {
			std[p.ImportPath] = true
		}
	}
	var bad []string
	for _, p := range pkgs {
		rel, ok := inModule(p.ImportPath)
		if !ok {
			continue
		}
		r := ruleFor(rel, rules)
		if r == nil {
			bad = append(bad, fmt.Sprintf("%s: no rule covers this package; add one to t/cmd/layers/rules.go", rel))
			continue
		}
		for _, imp := range p.Imports {
			if allowed(imp, r) {
				continue
			}
			bad = append(bad, fmt.Sprintf("%s imports %s, which its layer (%s) may not", rel, imp, r.Prefix))
		}
	}
	slices.Sort(bad)
	return bad
}

func inModule(path string) (string, bool) {
	if path == module {
		return "", true
	}
	rel, ok := strings.CutPrefix(path, module+"/")
	return rel, ok
}

// ruleFor returns the rule with the longest prefix that covers rel.
func ruleFor(rel string, rules []rule) *rule {
	var best *rule
	for i, r := range rules {
		if under(rel, r.Prefix) && (best == nil || len(r.Prefix) > len(best.Prefix)) {
			best = &rules[i]
		}
	}
	return best
}

// under reports whether path is prefix or below it.
func under(path, prefix string) bool {
	return path == prefix || strings.HasPrefix(path, prefix+"/")
}

func allowed(imp string, r *rule) bool {
	if rel, ok := inModule(imp); ok {
		if under(rel, r.Prefix) {
			return true // within its own layer
		}
		for _, m := range r.Module {
			if m == "" || under(rel, m) {
				return true
			}
		}
		return false
	}
	first, _, _ := strings.Cut(imp, "/")
	if !strings.Contains(first, ".") {
		return true // the standard library
	}
	for _, e := range r.External {
		if strings.HasPrefix(imp, e) {
			return true
		}
	}
	return false
}
