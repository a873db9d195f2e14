package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// errUsage reports a bad command line (exit code 2); flag has printed why.
var errUsage = errors.New("usage")

// config is the parsed command line.
type config struct {
	presets   []params
	binary    string
	toxiproxy string
	runs      int
	batches   int
	latency   time.Duration
	jobs      []int
	keep      bool
}

func parseFlags(args []string) (*config, error) {
	fs := flag.NewFlagSet("backfill-bench", flag.ContinueOnError)
	preset := fs.String("preset", "all", "repository to measure: "+presetNames+" or all")
	binary := fs.String("binary", "bin/git-backfill", "git-backfill binary under test")
	toxiproxy := fs.String("toxiproxy", ".cache/bin/toxiproxy-server", "toxiproxy-server binary (make tools)")
	commits := fs.Int("commits", 0, "override the generated presets' number of commits")
	paths := fs.Int("paths", 0, "override the generated presets' number of paths")
	versions := fs.Int("versions", 0, "override the versions per path of small, large and export")
	size := fs.Int("size", 0, "override the generated presets' typical file size in bytes")
	seed := fs.Uint64("seed", 1, "seed of the generated contents and history")
	runs := fs.Int("runs", 3, "repetitions of each measurement; the median is reported")
	batches := fs.Int("batches", 20, "number of batches wanted in the small-batch runs")
	latency := fs.Duration("latency", 25*time.Millisecond, "latency added each way in the latency runs (not history, self); 0 skips them")
	jobs := fs.String("jobs", "1,2,4,8", "-j values of the latency runs (1 is always included)")
	keep := fs.Bool("keep", false, "keep the temporary directory")
	fs.Usage = func() { usage(fs) }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, errUsage
	}
	if fs.NArg() > 0 {
		return nil, usagef(fs, "unexpected argument %q", fs.Arg(0))
	}
	cfg := &config{runs: *runs, batches: *batches, latency: *latency, keep: *keep}
	if cfg.runs < 1 || cfg.batches < 1 {
		return nil, usagef(fs, "-runs and -batches must be positive")
	}
	for _, p := range presets {
		if *preset != "all" && *preset != p.Name {
			continue
		}
		p.Seed = *seed
		if p.Shape == self {
			cfg.presets = append(cfg.presets, p)
			continue
		}
		for _, o := range []struct{ v, to *int }{{commits, &p.Commits}, {paths, &p.Paths}, {versions, &p.Versions}, {size, &p.FileSize}} {
			if *o.v != 0 {
				*o.to = *o.v
			}
		}
		if err := p.check(); err != nil {
			return nil, usagef(fs, "%v", err)
		}
		cfg.presets = append(cfg.presets, p)
	}
	if len(cfg.presets) == 0 {
		return nil, usagef(fs, "unknown preset %q (%s or all)", *preset, presetNames)
	}
	cfg.jobs = []int{1}
	for _, f := range strings.Split(*jobs, ",") {
		j, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || j < 1 {
			return nil, usagef(fs, "bad -jobs value %q", f)
		}
		if !slices.Contains(cfg.jobs, j) {
			cfg.jobs = append(cfg.jobs, j)
		}
	}
	slices.Sort(cfg.jobs)
	var err error
	if cfg.binary, err = executable(*binary, "-binary"); err != nil {
		return nil, err
	}
	if cfg.latency > 0 && slices.ContainsFunc(cfg.presets, func(p params) bool { return !p.Export && !p.NoLatency }) {
		if cfg.toxiproxy, err = executable(*toxiproxy, "-toxiproxy"); err != nil {
			return nil, err
		}
	}
	return cfg, nil
}

// usage is -h: what the program does, the presets, then the flags.
func usage(fs *flag.FlagSet) {
	w := fs.Output()
	fmt.Fprint(w, `usage: backfill-bench [flags]

Measures git-backfill against the limits git sets (one fetch of every missing
blob; git rev-list --objects --missing=print HEAD) in blobless clones over
file://, and prints a table per measurement, then "ratio: <name> <preset>
<value>" lines. Presets (-preset):
`)
	for _, p := range presets {
		fmt.Fprintf(w, "  %-8s %s\n", p.Name, p)
	}
	fmt.Fprint(w, "\nFlags:\n")
	fs.PrintDefaults()
}

func usagef(fs *flag.FlagSet, format string, args ...any) error {
	fmt.Fprintf(fs.Output(), "backfill-bench: "+format+"\n", args...)
	fs.Usage()
	return errUsage
}

// executable returns the absolute path of an executable file (the
// processes run in other directories).
func executable(path, flagName string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	fi, err := os.Stat(abs)
	if err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
		return "", fmt.Errorf("%s %s: not an executable file (make build, make tools)", flagName, path)
	}
	return abs, nil
}
