package config

import (
	"errors"
	"math"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
)

var (
	errSyntax = errors.New("invalid syntax")
	errRange  = errors.New("out of range")
)

// ParseSize parses a size as git's git_parse_ulong does: decimal digits with an
// optional k, m or g suffix (any case) multiplying by 1024, 1024² or 1024³.
// Surrounding blanks are ignored. Unlike git, a leading 0 does not mean octal and
// "0x" is not accepted: "010" is ten. It returns an error for anything else, for
// negative values and for sizes that do not fit in an int64.
func ParseSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	mult := int64(1)
	if s != "" {
		switch s[len(s)-1] {
		case 'k', 'K':
			mult = 1 << 10
		case 'm', 'M':
			mult = 1 << 20
		case 'g', 'G':
			mult = 1 << 30
		}
		if mult > 1 {
			s = s[:len(s)-1]
		}
	}
	if s == "" || strings.Trim(s, "0123456789") != "" {
		return 0, errSyntax
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n > math.MaxInt64/mult {
		return 0, errRange
	}
	return n * mult, nil
}

// ParseBool parses a boolean as git config does: true, yes, on, 1 and false, no,
// off, 0 in any case; the empty string is false, as in git. Surrounding blanks are
// ignored. A git config key with no "=" at all means true; that is [Entry.NoValue].
func ParseBool(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "yes", "on", "1":
		return true, nil
	case "false", "no", "off", "0", "":
		return false, nil
	}
	return false, errSyntax
}

// parseInt parses a decimal integer between lo and hi inclusive.
func parseInt(s string, lo, hi int) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, errSyntax
	}
	if n < lo || n > hi {
		return 0, errRange
	}
	return n, nil
}

// validName reports whether s is usable as an exporter name or type: it becomes
// part of a git config subsection and of the program name git-backfill-exporter-<s>,
// so only letters, digits, '-' and '_' are allowed, starting with a letter or digit.
func validName(s string) bool {
	if s == "" || s[0] == '-' || s[0] == '_' {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// validRemote reports whether s can name a remote (or a URL) on git's command
// line: not empty, not starting with '-' (git would read an option), no blanks or
// control characters.
func validRemote(s string) bool {
	if s == "" || s[0] == '-' {
		return false
	}
	return !strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f })
}

// validSHA256 reports whether s is 64 hexadecimal digits.
func validSHA256(s string) bool {
	return len(s) == 64 && strings.Trim(strings.ToLower(s), "0123456789abcdef") == ""
}

// validURL reports whether s is an absolute http or https URL with a host.
func validURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// validPath reports whether s is an absolute path.
func validPath(s string) bool { return filepath.IsAbs(s) }
