package buildkite

import (
	"reflect"
	"testing"

	"github.com/git-backfill/git-backfill/exporters/exportertest"
)

func TestReadSettings(t *testing.T) {
	env := map[string]string{
		EnvOrganizationSlug: "env-org", EnvSuiteSlug: "env-suite", EnvBaseURL: "https://bk.example.com/",
		EnvDays: "30", EnvBackfillRemote: "backfill-remote", EnvSkipDiffs: "true", EnvConcurrency: "4",
		EnvAccessToken: testToken,
	}
	getenv := func(k string) string { return env[k] }

	// The environment alone.
	s, err := ReadSettings(nil, getenv)
	if err != nil {
		t.Fatal(err)
	}
	want := Settings{OrganizationSlug: "env-org", SuiteSlug: "env-suite", BaseURL: "https://bk.example.com",
		Days: 30, Remote: "backfill-remote", CompressionLevel: -1}
	s.getenv = nil
	if !reflect.DeepEqual(s, want) {
		t.Errorf("from the environment:\n got %+v\nwant %+v", s, want)
	}

	// Options win; BUILDKITE_TEST_ENGINE_REMOTE wins over the backfill one.
	env[EnvRemote] = "env-remote"
	s, err = ReadSettings(map[string]string{"OrganizationSlug": "opt-org", "suiteslug": "opt-suite",
		"baseUrl": "http://127.0.0.1:8080", "days": "7", "output": "out/", "accessTokenCommand": "pass bk",
		"compressionLevel": "9", "type": "buildkite"}, getenv)
	if err != nil {
		t.Fatal(err)
	}
	want = Settings{OrganizationSlug: "opt-org", SuiteSlug: "opt-suite", BaseURL: "http://127.0.0.1:8080",
		Days: 7, Remote: "env-remote", Output: "out/", AccessTokenCommand: "pass bk", CompressionLevel: 9}
	s.getenv = nil
	if !reflect.DeepEqual(s, want) {
		t.Errorf("with options:\n got %+v\nwant %+v", s, want)
	}

	// Defaults.
	s, err = ReadSettings(map[string]string{"organizationSlug": "o", "suiteSlug": "s"}, func(string) string { return "" })
	if err != nil || s.BaseURL != DefaultBaseURL || s.Days != 90 || s.Remote != "origin" {
		t.Errorf("defaults: %+v, %v", s, err)
	}
}

func TestSettingsErrors(t *testing.T) {
	for _, tc := range []struct {
		opts map[string]string
		env  map[string]string
		want string
	}{
		{map[string]string{"suiteSlug": "s"}, nil, "no organization: set option organizationSlug or BUILDKITE_ORGANIZATION_SLUG"},
		{map[string]string{"organizationSlug": "o"}, nil, "no suite: set option suiteSlug or BUILDKITE_TEST_ENGINE_SUITE_SLUG"},
		{map[string]string{"days": "0"}, nil, `option days: "0" is not a positive number of days`},
		{nil, map[string]string{EnvDays: "ninety"}, `BUILDKITE_TEST_ENGINE_BACKFILL_DAYS: "ninety" is not a positive number of days`},
		{map[string]string{"baseUrl": "api.buildkite.com"}, nil, "option baseUrl: not an http or https URL"},
		{map[string]string{"baseUrl": "http://api.buildkite.com"}, nil,
			"option baseUrl: plain http would send the token in the clear: use https (http is for loopback only)"},
		{nil, map[string]string{EnvBaseURL: "https://u:p@api.buildkite.com"}, EnvBaseURL + ": a URL without credentials, query or fragment expected"},
		{map[string]string{"remote": "--upload-pack=x"}, nil, `option remote: "--upload-pack=x" is not a remote name`},
		{map[string]string{"bucket": "b"}, nil, "unknown option bucket"},
		{map[string]string{"days": "1", "Days": "2"}, nil, "option Days given twice (also as days)"},
		{map[string]string{"access_token": "x"}, nil, "option access_token is refused: "},
		{map[string]string{"TOKEN": "x"}, nil, "option TOKEN is refused: "},
	} {
		opts := map[string]string{"organizationSlug": "o", "suiteSlug": "s"}
		if _, ok := tc.opts["organizationSlug"]; ok {
			delete(opts, "suiteSlug")
		}
		if _, ok := tc.opts["suiteSlug"]; ok {
			delete(opts, "organizationSlug")
		}
		for k, v := range tc.opts {
			opts[k] = v
		}
		_, err := ReadSettings(opts, func(k string) string { return tc.env[k] })
		if err == nil || len(err.Error()) < len(tc.want) || err.Error()[:len(tc.want)] != tc.want {
			t.Errorf("ReadSettings(%v, %v): %v\nwant %s", tc.opts, tc.env, err, tc.want)
			continue
		}
		exportertest.CheckError(t, err)
	}
}
