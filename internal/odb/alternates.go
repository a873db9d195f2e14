package odb

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// maxAlternateDepth is git's own limit on chains of alternates.
const maxAlternateDepth = 5

// objectDirs lists objectsDir, then the extra alternates, then each
// directory's info/alternates entries, recursively, each directory once.
// A missing alternate is skipped, as git warns and goes on.
func objectDirs(objectsDir string, extra []string) ([]string, error) {
	var dirs []string
	seen := map[string]bool{}
	var add func(dir string, depth int) error
	add = func(dir string, depth int) error {
		dir = filepath.Clean(dir)
		key := dir
		if real, err := filepath.EvalSymlinks(dir); err == nil {
			key = real
		}
		if seen[key] {
			return nil
		}
		seen[key] = true
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			if depth == 0 && len(dirs) == 0 {
				return fmt.Errorf("object store: %s is not a directory", dir)
			}
			return nil
		}
		dirs = append(dirs, dir)
		if depth >= maxAlternateDepth {
			return nil
		}
		alts, err := readAlternates(filepath.Join(dir, "info", "alternates"))
		if err != nil {
			return err
		}
		for _, alt := range alts {
			if !filepath.IsAbs(alt) {
				alt = filepath.Join(dir, alt) // relative to this object directory
			}
			if err := add(alt, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if err := add(objectsDir, 0); err != nil {
		return nil, err
	}
	for _, alt := range extra {
		if alt != "" {
			if err := add(alt, 1); err != nil {
				return nil, err
			}
		}
	}
	return dirs, nil
}

// readAlternates reads an info/alternates file: one directory per line;
// blank lines and lines starting with '#' are ignored, and a line in
// double quotes is C-quoted, as git writes paths with special characters.
func readAlternates(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("object store: %w", err)
	}
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		if line[0] == '"' {
			if unq, err := strconv.Unquote(line); err == nil {
				line = unq
			}
		}
		out = append(out, line)
	}
	return out, sc.Err()
}
