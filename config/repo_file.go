package config

import (
	"errors"
	"fmt"
	"os"

	"github.com/git-backfill/git-backfill/exporters/safefile"
)

// MaxRepoFileSize bounds the tracked .gitbackfill.toml: a settings file is
// a few hundred bytes, and anyone who can push decides what it holds.
const MaxRepoFileSize = 64 << 10

// LoadRepoFile reads the tracked .gitbackfill.toml at path as untrusted
// input. Only a regular file is read, never through a symbolic link (as
// git reads .gitattributes from the work tree), and at most
// MaxRepoFileSize bytes. Whatever is wrong with it (a link, a FIFO, its
// size, its syntax, a value out of range) makes it a warning and the file
// is ignored: a bad commit must not stop every command. Messages name the
// file, the line and the key, never a value from the file. ok is false
// when there is no file or it is ignored.
func LoadRepoFile(path string) (src Source, warnings []string, ok bool) {
	return loadRepoFile(path, MaxRepoFileSize)
}

// loadRepoFile is LoadRepoFile with limit for MaxRepoFileSize.
func loadRepoFile(path string, limit int64) (src Source, warnings []string, ok bool) {
	data, err := readRegular(path, limit)
	if errors.Is(err, os.ErrNotExist) {
		return Source{}, nil, false
	}
	if err != nil {
		return Source{}, []string{fmt.Sprintf("ignoring tracked %s: %v", path, err)}, false
	}
	src, warnings, err = FromRepoFile(path, data)
	if err == nil {
		// Values are checked on their own, so that one out of range drops
		// this file rather than failing the run with the others.
		_, err = Resolve(src)
	}
	if err != nil {
		return Source{}, append(warnings, fmt.Sprintf("ignoring tracked %s: %s", path, withoutValue(err))), false
	}
	return src, warnings, true
}

// readRegular reads the tracked file, saying what is wrong with it in
// words that show nothing from it.
func readRegular(path string, limit int64) ([]byte, error) {
	data, err := safefile.ReadRegular(path, limit)
	switch {
	case err == nil, safefile.IsNotExist(err):
		return data, err
	case errors.Is(err, safefile.ErrSymlink), errors.Is(err, safefile.ErrNotRegular):
		return nil, err
	case errors.Is(err, safefile.ErrTooLarge):
		return nil, fmt.Errorf("it is larger than %d KiB", limit>>10)
	}
	return nil, errors.New("it cannot be read")
}

// withoutValue is err's message with no value from the file in it.
func withoutValue(err error) string {
	var ve *ValueError
	if errors.As(err, &ve) {
		quiet := *ve
		quiet.Secret, quiet.Got = true, tomlKindOnly(quiet.Got)
		return quiet.Error()
	}
	var se *syntaxErr
	if errors.As(err, &se) {
		return se.safe
	}
	return "it is not valid"
}

// tomlKindOnly keeps "a string" of "a string (\"x\")".
func tomlKindOnly(got string) string {
	for i := 0; i < len(got); i++ {
		if got[i] == '(' {
			return got[:max(i-1, 0)]
		}
	}
	return got
}
