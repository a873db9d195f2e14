// Command layers checks that the module's packages import only what their
// layer may: dependencies point one way, from the command line down to
// git plumbing, and built-in exporters stay runnable as external plugins.
// `make lint` runs it; it exits 1 and names each import that breaks a rule.
//
// The rules are in rules.go. A package's non-test imports are read with
// "go list", so a rule cannot be dodged by a build tag of ours.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
)

const module = "github.com/git-backfill/git-backfill"

// pkg is what go list says of one package.
type pkg struct {
	ImportPath string
	Imports    []string
	Standard   bool
}

func main() {
	pkgs, err := list()
	if err != nil {
		fmt.Fprintln(os.Stderr, "layers:", err)
		os.Exit(2)
	}
	bad := check(pkgs, rules)
	for _, v := range bad {
		fmt.Fprintln(os.Stderr, "layers:", v)
	}
	if len(bad) > 0 {
		os.Exit(1)
	}
	fmt.Printf("layers: %d packages keep their layers\n", len(pkgs))
}

// list runs "go list -json" over the module, with every build tag the
// Makefile uses.
func list() ([]pkg, error) {
	cmd := exec.Command("go", "list", "-tags", "versitygw", "-json", "./...")
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("go list: %v: %s", err, stderr.String())
	}
	var pkgs []pkg
	dec := json.NewDecoder(&out)
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			return pkgs, nil
		} else if err != nil {
			return nil, fmt.Errorf("go list: %w", err)
		}
		pkgs = append(pkgs, p)
	}
}
