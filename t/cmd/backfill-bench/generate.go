package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
)

// params describe a generated server repository: Commits commits on main
// over Paths files, each written Versions times (its first version added
// and Versions-1 edits, at distinct commits chosen at random), each file
// about FileSize bytes. Nothing is ever deleted, so HEAD's history reaches
// all Paths*Versions blobs, each distinct. A commit may write no file.
// Export presets are measured by exportPreset alone.
type params struct {
	Name     string
	Commits  int
	Paths    int
	Versions int
	FileSize int
	Seed     uint64
	Export   bool
}

func (p params) blobs() int { return p.Paths * p.Versions }

func (p params) String() string {
	return fmt.Sprintf("%d commits, %d paths x %d versions, files ~%s: %d blobs",
		p.Commits, p.Paths, p.Versions, humanBytes(int64(p.FileSize)), p.blobs())
}

func (p params) check() error {
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

// schedule returns, for each commit, the paths written in it, in
// increasing order.
func schedule(p params) [][]int {
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
	src := newSource(p.Seed)
	mark := func(path, version int) int { return path*p.Versions + version + 1 }
	for path := range p.Paths {
		var versions [][]byte
		for v := range p.Versions {
			rng := rand.New(rand.NewPCG(p.Seed, uint64(path)<<16|uint64(v)))
			var data []byte
			if v == 0 {
				data = src.file(rng, p.FileSize)
			} else {
				data = src.edit(rng, versions[v-1])
			}
			// An edit may undo an earlier one; every version must be a
			// distinct blob for the counts to add up.
			for slices.ContainsFunc(versions, func(old []byte) bool { return bytes.Equal(old, data) }) {
				data = append(data, fmt.Sprintf("// version %d\n", v+1)...)
			}
			versions = append(versions, data)
			fmt.Fprintf(bw, "blob\nmark :%d\ndata %d\n", mark(path, v), len(data))
			bw.Write(data)
			bw.WriteString("\n")
		}
	}
	version := make([]int, p.Paths)
	const epoch = 1700000000
	for c, paths := range schedule(p) {
		msg := fmt.Sprintf("Change %d: %d files", c+1, len(paths))
		fmt.Fprintf(bw, "commit refs/heads/main\ncommitter Bench <bench@example.com> %d +0000\ndata %d\n%s\n",
			epoch+3600*c, len(msg), msg)
		for _, path := range paths {
			fmt.Fprintf(bw, "M 100644 :%d %s\n", mark(path, version[path]), pathName(path))
			version[path]++
		}
	}
	bw.WriteString("done\n")
	return bw.Flush()
}

// generate creates the server repository: a bare repository filled by one
// git fast-import run (far faster than a git commit per commit), then
// repacked from scratch with a reachability bitmap, as a served repository
// is: "repack -f" chooses the deltas as git gc would (each version of a
// path against another version of it, the first stored whole), where
// fast-import also deltas a path's first version against the previous
// path's last one. The server allows the partial clone filter and fetching
// any object by id.
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
	if _, err := sb.git(ctx, dir, "repack", "-a", "-d", "-f", "-b", "-q"); err != nil {
		return err
	}
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
