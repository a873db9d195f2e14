package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
)

// params describe a preset's server repository. Its Shape says how it is
// made: generated from the other fields (uniform, history) or copied from
// the repository the benchmark runs in (self).
//
// A uniform repository has Commits commits on main over Paths files, each
// written Versions times (its first version added and Versions-1 edits, at
// distinct commits chosen at random), each file about FileSize bytes. A
// history repository has Commits commits of 1 to historyMaxChanges changed
// files each over Paths files in nested directories (history.go); Versions
// is not used. Nothing is ever deleted, so HEAD's history reaches every
// blob written, each distinct. A uniform commit may write no file.
//
// Export presets are measured by exportPreset alone. DefaultsOnly presets
// fetch everything at the default settings only (no small batches, no
// -j1); NoLatency presets have no latency runs.
type params struct {
	Name         string
	Shape        shape
	Commits      int
	Paths        int
	Versions     int
	FileSize     int
	Seed         uint64
	Export       bool
	DefaultsOnly bool
	NoLatency    bool
}

// shape is how a preset's server repository is made.
type shape int

const (
	uniform shape = iota // every path written Versions times (schedule)
	history              // shaped like a long-lived project (history.go)
	self                 // a bare copy of this repository (self.go)
)

func (p params) String() string {
	switch p.Shape {
	case history:
		return fmt.Sprintf("%d commits of 1-%d changed files each, %d paths in %d nested directories, files ~%s",
			p.Commits, historyMaxChanges, p.Paths, countDirs(historyNames(p)), humanBytes(int64(p.FileSize)))
	case self:
		return "this repository (git rev-parse --show-toplevel), copied with git clone --bare --no-local"
	}
	return fmt.Sprintf("%d commits, %d paths x %d versions, files ~%s: %d blobs",
		p.Commits, p.Paths, p.Versions, humanBytes(int64(p.FileSize)), p.Paths*p.Versions)
}

func (p params) check() error {
	switch p.Shape {
	case self:
		return nil
	case history:
		if p.Commits < 1 || p.Paths < 1 || p.FileSize < 1 {
			return fmt.Errorf("preset %s: commits, paths and size must be positive", p.Name)
		}
		if p.Paths > historySpan(p) {
			return fmt.Errorf("preset %s: %d paths need at least %d commits (have %d)", p.Name, p.Paths, (p.Paths*4+2)/3, p.Commits)
		}
		return nil
	}
	if p.Commits < 1 || p.Paths < 1 || p.Versions < 1 || p.FileSize < 1 {
		return fmt.Errorf("preset %s: commits, paths, versions and size must be positive", p.Name)
	}
	if p.Versions > p.Commits {
		return fmt.Errorf("preset %s: %d versions per path need at least as many commits (have %d)", p.Name, p.Versions, p.Commits)
	}
	return nil
}

// pathName spreads files 16 to a directory, 16 directories to a parent,
// as source trees do.
func pathName(i int) string {
	return fmt.Sprintf("src/m%03d/d%02d/file%05d.go", i/256, i/16%16, i)
}

// layout returns the names of a generated repository's paths, by index.
func layout(p params) []string {
	if p.Shape == history {
		return historyNames(p)
	}
	names := make([]string, p.Paths)
	for i := range names {
		names[i] = pathName(i)
	}
	return names
}

// schedule returns, for each commit of a generated repository, the paths
// written in it, in increasing order.
func schedule(p params) [][]int {
	if p.Shape == history {
		return historySchedule(p)
	}
	rng := rand.New(rand.NewPCG(p.Seed, 0xc0ffee))
	at := make([][]int, p.Commits)
	for path := range p.Paths {
		picked := map[int]bool{}
		for len(picked) < p.Versions {
			picked[rng.IntN(p.Commits)] = true
		}
		for c := range picked {
			at[c] = append(at[c], path)
		}
	}
	return at
}

// writeStream writes the whole history as one git fast-import stream:
// first every blob, path by path and version by version, then the commits,
// which name the blobs by mark. fast-import deltas each blob against the
// one written just before it, so in this order its pack is already small.
// Each blob comes from its own generator seeded by (seed, path, version),
// so the repository depends on the parameters alone.
func writeStream(w io.Writer, p params) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	names, at := layout(p), schedule(p)
	versions := make([]int, len(names)) // how often each path is written
	for _, paths := range at {
		for _, path := range paths {
			versions[path]++
		}
	}
	first := make([]int, len(names)) // the mark of each path's first version
	next := 1
	for path, n := range versions {
		first[path] = next
		next += n
	}
	src := newSource(p.Seed)
	for path, n := range versions {
		seen := map[string]bool{}
		var prev []byte
		for v := range n {
			rng := rand.New(rand.NewPCG(p.Seed, uint64(path)<<16|uint64(v)))
			var data []byte
			if v == 0 {
				data = src.file(rng, p.FileSize)
			} else {
				data = src.edit(rng, prev)
			}
			// An edit may undo an earlier one; every version must be a
			// distinct blob for the counts to add up.
			for seen[string(data)] {
				data = append(data, fmt.Sprintf("// version %d\n", v+1)...)
			}
			seen[string(data)] = true
			prev = data
			fmt.Fprintf(bw, "blob\nmark :%d\ndata %d\n", first[path]+v, len(data))
			bw.Write(data)
			bw.WriteString("\n")
		}
	}
	written := make([]int, len(names))
	const epoch = 1700000000
	for c, paths := range at {
		msg := fmt.Sprintf("Change %d: %d files", c+1, len(paths))
		fmt.Fprintf(bw, "commit refs/heads/main\ncommitter Bench <bench@example.com> %d +0000\ndata %d\n%s\n",
			epoch+3600*c, len(msg), msg)
		for _, path := range paths {
			fmt.Fprintf(bw, "M 100644 :%d %s\n", first[path]+written[path], names[path])
			written[path]++
		}
	}
	bw.WriteString("done\n")
	return bw.Flush()
}

// generate creates the server repository: a bare repository filled by one
// git fast-import run (far faster than a git commit per commit), then
// repacked with a reachability bitmap, as a served repository is. The
// uniform presets are repacked from scratch: "repack -f" chooses the
// deltas as git gc would (each version of a path against another version
// of it, the first stored whole), where fast-import also deltas a path's
// first version against the previous path's last one. The history preset
// keeps fast-import's deltas: there every blob but a path's first is a
// delta against the path's previous version and every tree against its
// directory's previous version, and "repack -f" of its 266,000 objects
// would take about as long as the import and gives a larger pack (measured).
// The server allows the partial clone filter and fetching any object by id.
func generate(ctx context.Context, sb *sandbox, p params, dir string) error {
	if _, err := sb.git(ctx, sb.dir, "init", "--quiet", "--bare", "--initial-branch=main", dir); err != nil {
		return err
	}
	cmd := sb.command(ctx, dir, "git", "fast-import", "--quiet", "--done")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	var stderr limitedBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("git fast-import: %w", err)
	}
	werr := writeStream(stdin, p)
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		return commandError(cmd, err, stderr.Bytes())
	}
	if werr != nil {
		return fmt.Errorf("writing to git fast-import: %w", werr)
	}
	repack := []string{"repack", "-a", "-d", "-b", "-q"}
	if p.Shape != history {
		repack = append(repack, "-f")
	}
	if _, err := sb.git(ctx, dir, repack...); err != nil {
		return err
	}
	return serve(ctx, sb, dir)
}

// serve configures the bare repository dir as the server of a partial
// clone: it allows the filter and fetching any object by id, which is how
// git-backfill (and git's lazy fetch) asks for blobs.
func serve(ctx context.Context, sb *sandbox, dir string) error {
	for _, kv := range [][2]string{
		{"uploadpack.allowFilter", "true"},
		{"uploadpack.allowAnySHA1InWant", "true"},
	} {
		if _, err := sb.git(ctx, dir, "config", kv[0], kv[1]); err != nil {
			return err
		}
	}
	return nil
}

// limitedBuffer keeps the first 64 KiB written to it: enough of a failing
// process's standard error to explain the failure.
type limitedBuffer struct{ b []byte }

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := 64<<10 - len(l.b); room > 0 {
		l.b = append(l.b, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

func (l *limitedBuffer) Bytes() []byte { return l.b }
