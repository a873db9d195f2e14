package main

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
)

// The history shape imitates a long-lived project such as git/git: tens of
// thousands of commits that each change one to three files, over a few
// thousand paths in a few hundred directories nested up to four deep. A
// few paths change very often (git's Makefile and main headers), most
// rarely; new files appear all through the first three quarters of the
// history. Each commit's trees therefore repeat almost every entry of its
// parent's: a walk of such a history sees the same entries again and again
// and must not redo the work each time. Files start at about FileSize and
// drift with their edits, the busiest growing as real ones do: with the
// preset's 1 KiB, the blobs' median is 1.3 KiB and a few pass 10 KiB.
const (
	historyMaxChanges  = 3  // files changed per commit: 1 to this
	historyMaxDepth    = 4  // directory levels below the top
	historyFilesPerDir = 12 // paths per directory, on average
)

// historySpan is the number of commits at the start of a history preset in
// which its paths are added, one commit each.
func historySpan(p params) int { return p.Commits * 3 / 4 }

// historyNames returns the names of a history preset's paths, by index.
// Directories are named from the content vocabulary, mostly two or three
// levels deep, as Documentation/technical or t/t4013 are; their sizes are
// skewed as well, a few holding hundreds of files (as git's t/ and its top
// level do), most a handful. Every directory holds at least one file.
func historyNames(p params) []string {
	rng := rand.New(rand.NewPCG(p.Seed, 0xd12ec7))
	vocab := newSource(p.Seed).vocab
	word := func() string { return strings.ToLower(vocab[rng.IntN(len(vocab))]) }

	dirs := []string{""}      // with their trailing slash; "" is the top
	levels := [][]int{{0}}    // the indices in dirs of each level's directories
	used := map[string]bool{} // dirs, to keep names unique
	for len(dirs) < max(1, p.Paths/historyFilesPerDir) {
		level := 1 + pick(rng, []float64{0.10, 0.45, 0.35, 0.10})
		level = min(level, len(levels), historyMaxDepth)
		parents := levels[level-1]
		name := dirs[parents[rng.IntN(len(parents))]] + word()
		if used[name+"/"] {
			name += fmt.Sprint(len(dirs))
		}
		name += "/"
		used[name] = true
		if level == len(levels) {
			levels = append(levels, nil)
		}
		levels[level] = append(levels[level], len(dirs))
		dirs = append(dirs, name)
	}

	weights := zipf(rng, len(dirs), 2)
	exts := []string{".c", ".h", ".sh", ".txt"}
	names := make([]string, p.Paths)
	for i := range names {
		d := i
		if i >= len(dirs) {
			d = search(weights, rng.Float64()*weights[len(weights)-1])
		}
		names[i] = fmt.Sprintf("%s%s%d%s", dirs[d], word(), i, exts[rng.IntN(len(exts))])
	}
	// Mixed, so that directories appear all through the history rather
	// than each with its first path at the start.
	rng.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
	return names
}

// historySchedule returns, for each commit of a history preset, the paths
// written in it, in increasing order. Path i is added at the i-th of
// p.Paths distinct commits (the first is commit 0) among the first
// historySpan; every commit also edits existing paths, chosen by a
// popularity that falls off as 1/rank, until it changes 1 to
// historyMaxChanges files (fewer when few paths exist yet).
func historySchedule(p params) [][]int {
	rng := rand.New(rand.NewPCG(p.Seed, 0xc0ffee))
	births := rng.Perm(historySpan(p) - 1)[:p.Paths-1]
	for i := range births {
		births[i]++
	}
	births = append(births, 0)
	slices.Sort(births)
	popularity := zipf(rng, p.Paths, 8) // cumulative, by path index
	at := make([][]int, p.Commits)
	born := 0 // paths [0, born) exist
	for c := range at {
		var paths []int
		if born < p.Paths && births[born] == c {
			paths = append(paths, born)
			born++
		}
		want := 1 + rng.IntN(historyMaxChanges)
		for try := 0; len(paths) < want && try < 2*historyMaxChanges; try++ {
			i := search(popularity[:born], rng.Float64()*popularity[born-1])
			if !slices.Contains(paths, i) {
				paths = append(paths, i)
			}
		}
		slices.Sort(paths)
		at[c] = paths
	}
	return at
}

// zipf returns the cumulative weights of n items ranked at random, the
// item of rank r weighing 1/(r+offset).
func zipf(rng *rand.Rand, n int, offset float64) []float64 {
	cum := make([]float64, n)
	sum := 0.0
	for i, rank := range rng.Perm(n) {
		sum += 1 / (float64(rank) + offset)
		cum[i] = sum
	}
	return cum
}

// search returns the first index whose cumulative weight exceeds x.
func search(cum []float64, x float64) int {
	i, _ := slices.BinarySearchFunc(cum, x, func(w, x float64) int {
		if w <= x {
			return -1
		}
		return 1
	})
	return min(i, len(cum)-1)
}

// pick returns an index drawn with the given probabilities (summing to 1).
func pick(rng *rand.Rand, probs []float64) int {
	x := rng.Float64()
	for i, p := range probs {
		if x < p {
			return i
		}
		x -= p
	}
	return len(probs) - 1
}

// countDirs returns the number of directories that hold the paths, the top
// level not counted.
func countDirs(names []string) int {
	dirs := map[string]bool{}
	for _, name := range names {
		for i, r := range name {
			if r == '/' {
				dirs[name[:i]] = true
			}
		}
	}
	return len(dirs)
}
