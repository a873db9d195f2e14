package config

import (
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
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
	data, err := readRegular(path, MaxRepoFileSize)
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

// readRegular reads the regular file at path, refusing a symbolic link
// (O_NOFOLLOW), anything else than a regular file (opened without blocking,
// so a FIFO cannot hang the run), and more than limit bytes.
func readRegular(path string, limit int64) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	if errors.Is(err, syscall.ELOOP) {
		return nil, errors.New("it is a symbolic link")
	}
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
		return nil, errors.New("it cannot be opened")
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, errors.New("it cannot be read")
	}
	if !fi.Mode().IsRegular() {
		return nil, errors.New("it is not a regular file")
	}
	if fi.Size() > limit {
		return nil, fmt.Errorf("it is larger than %d KiB", limit>>10)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, errors.New("it cannot be read")
	}
	if int64(len(data)) > limit { // it grew after the check
		return nil, fmt.Errorf("it is larger than %d KiB", limit>>10)
	}
	return data, nil
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
