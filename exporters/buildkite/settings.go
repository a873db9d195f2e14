package buildkite

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/git-backfill/git-backfill/exporters/archive"
)

// The environment variables of bktec's backfill-commit-metadata.
const (
	EnvAccessToken      = "BUILDKITE_TEST_ENGINE_API_ACCESS_TOKEN"
	EnvOrganizationSlug = "BUILDKITE_ORGANIZATION_SLUG"
	EnvSuiteSlug        = "BUILDKITE_TEST_ENGINE_SUITE_SLUG"
	EnvBaseURL          = "BUILDKITE_TEST_ENGINE_BASE_URL"
	EnvDays             = "BUILDKITE_TEST_ENGINE_BACKFILL_DAYS"
	EnvRemote           = "BUILDKITE_TEST_ENGINE_REMOTE"
	EnvBackfillRemote   = "BUILDKITE_TEST_ENGINE_BACKFILL_REMOTE" // read after EnvRemote, as bktec does
	EnvSkipDiffs        = "BUILDKITE_TEST_ENGINE_SKIP_DIFFS"
	EnvConcurrency      = "BUILDKITE_TEST_ENGINE_BACKFILL_CONCURRENCY"
	EnvOIDC             = "BUILDKITE_TEST_ENGINE_OIDC" // "false" turns OIDC tokens off
	EnvJobID            = "BUILDKITE_JOB_ID"           // set inside a Buildkite job
)

// Defaults, as bktec's.
const (
	DefaultBaseURL = "https://api.buildkite.com"
	DefaultDays    = 90
	DefaultRemote  = "origin"
)

// Settings are the buildkite exporter's, resolved by ReadSettings from its
// options and the environment. They hold no token: NewClient gets one.
type Settings struct {
	OrganizationSlug string
	SuiteSlug        string
	// BaseURL is the API's, without a trailing slash.
	BaseURL string
	// Days is the window of the commit list, and metadata.json's days.
	Days int
	// Remote is the git remote's name, written to metadata.json.
	Remote string
	// Output, when set, is where the archive is written instead of being
	// uploaded: a file name or a directory, as the tar exporter's.
	Output string
	// CompressionLevel is the archive's gzip level.
	CompressionLevel int
	// AccessTokenCommand, when set, is a shell command whose standard
	// output is the API access token.
	AccessTokenCommand string

	getenv func(string) string
}

// ReadSettings resolves the settings from the exporter's options (keys of
// backfill.exporter.<name>, compared case-insensitively) and the
// environment, read with getenv (os.Getenv if nil): an option wins over
// its environment variable, as bktec's flags win over theirs, and a
// variable set but empty counts as unset. See the package comment for
// the keys and variables. An access token is never an option.
func ReadSettings(options map[string]string, getenv func(string) string) (Settings, error) {
	if getenv == nil {
		getenv = osGetenv
	}
	for k := range options {
		if isTokenKey(k) {
			return Settings{}, fmt.Errorf("option %s is refused: option values live in configuration files and on command lines "+
				"that others may read; set %s, or option accessTokenCommand, or use OIDC in a Buildkite job",
				k, EnvAccessToken)
		}
	}
	opts, err := archive.NewOptions(options)
	if err != nil {
		return Settings{}, err
	}
	s := Settings{getenv: getenv}
	pick := func(key string, envs ...string) (value, from string) {
		if v := opts.Get(key); v != "" {
			return v, "option " + key
		}
		for _, e := range envs {
			if v := getenv(e); v != "" {
				return v, e
			}
		}
		return "", ""
	}
	var from string
	s.OrganizationSlug, _ = pick("organizationSlug", EnvOrganizationSlug)
	s.SuiteSlug, _ = pick("suiteSlug", EnvSuiteSlug)
	base, baseFrom := pick("baseUrl", EnvBaseURL)
	days, daysFrom := pick("days", EnvDays)
	s.Remote, from = pick("remote", EnvRemote, EnvBackfillRemote)
	s.Output = opts.Get("output")
	s.AccessTokenCommand = opts.Get("accessTokenCommand")
	if s.CompressionLevel, err = opts.Level(); err != nil {
		return Settings{}, err
	}
	if err := opts.Unknown(); err != nil {
		return Settings{}, err
	}

	if s.OrganizationSlug == "" {
		return Settings{}, fmt.Errorf("no organization: set option organizationSlug or %s", EnvOrganizationSlug)
	}
	if s.SuiteSlug == "" {
		return Settings{}, fmt.Errorf("no suite: set option suiteSlug or %s", EnvSuiteSlug)
	}
	if s.BaseURL, err = parseBaseURL(base); err != nil {
		return Settings{}, fmt.Errorf("%s: %w", baseFrom, err)
	}
	s.Days = DefaultDays
	if days != "" {
		if s.Days, err = strconv.Atoi(days); err != nil || s.Days < 1 {
			return Settings{}, fmt.Errorf("%s: %q is not a positive number of days", daysFrom, days)
		}
	}
	if s.Remote == "" {
		s.Remote = DefaultRemote
	} else if strings.HasPrefix(s.Remote, "-") || strings.ContainsAny(s.Remote, " \t\n\x00") {
		return Settings{}, fmt.Errorf("%s: %q is not a remote name", from, s.Remote)
	}
	return s, nil
}

// isTokenKey reports whether an option key names a token, in any case and
// spelling: accessToken, access_token, api-access-token, token.
func isTokenKey(key string) bool {
	k := strings.NewReplacer("-", "", "_", "", ".", "").Replace(strings.ToLower(key))
	return k == "token" || k == "accesstoken" || k == "apiaccesstoken" || k == "apitoken"
}

// parseBaseURL checks the API's base URL ("" for the default). The token
// goes to it, so plain http is refused but on loopback (a local proxy or
// a test server), and it may hold no user, query or fragment.
func parseBaseURL(raw string) (string, error) {
	if raw == "" {
		return DefaultBaseURL, nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", errors.New("not an http or https URL")
	}
	if u.User != nil || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return "", errors.New("a URL without credentials, query or fragment expected")
	}
	if u.Scheme == "http" && !loopback(u.Hostname()) {
		return "", errors.New("plain http would send the token in the clear: use https (http is for loopback only)")
	}
	return strings.TrimSuffix(u.String(), "/"), nil
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
