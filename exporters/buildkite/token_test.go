//go:build unix

package buildkite

import (
	"bytes"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/exporters/archive"
	"github.com/git-backfill/git-backfill/exporters/exportertest"
)

// writeScript writes an executable shell script.
func writeScript(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
}

// Inside a Buildkite job, with no token set, buildkite-agent gives one
// for the suite's URL.
func TestOIDCToken(t *testing.T) {
	cleanEnv(t)
	bin := t.TempDir()
	argsFile := filepath.Join(t.TempDir(), "args")
	writeScript(t, filepath.Join(bin, "buildkite-agent"), `echo "$@" > `+argsFile+`
echo oidc-token-from-agent
`)
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	api := newFakeAPI(t)
	api.token = func(s string) bool { return s == "oidc-token-from-agent" }

	if err := New().Configure(t.Context(), api.options()); err == nil ||
		!strings.Contains(err.Error(), "no access token: set "+EnvAccessToken) {
		t.Fatalf("Configure outside a job: %v", err)
	}
	t.Setenv(EnvJobID, "0190-job")
	e := configure(t, api.options())
	if _, err := export(t, e, exportertest.Records(0, 2)); err != nil {
		t.Fatal(err)
	}
	args, _ := os.ReadFile(argsFile)
	want := "oidc request-token --audience " + api.URL + "/v2/analytics/organizations/acme/suites/web-suite --lifetime 7200\n"
	if string(args) != want {
		t.Errorf("buildkite-agent %s, want %s", args, want)
	}
	t.Setenv(EnvOIDC, "false")
	if err := New().Configure(t.Context(), api.options()); err == nil || !strings.Contains(err.Error(), "turns OIDC off") {
		t.Errorf("Configure with OIDC off: %v", err)
	}
}

// The accessTokenCommand option wins over the environment's token, and is
// run again once when the API refuses the token it gave (expired).
func TestAccessTokenCommand(t *testing.T) {
	cleanEnv(t)
	t.Setenv(EnvAccessToken, "not-this-one")
	counter := filepath.Join(t.TempDir(), "n")
	cmd := `n=$(cat ` + counter + ` 2>/dev/null || echo 0); n=$((n+1)); echo $n > ` + counter + `; echo "cmd-token-$n"`
	api := newFakeAPI(t)
	api.token = func(s string) bool { return s == "cmd-token-1" }
	e := configure(t, api.options("accessTokenCommand", cmd))
	api.token = func(s string) bool { return s == "cmd-token-2" }
	api.s3.failNext(http.StatusForbidden) // so that End asks for a form
	if _, err := export(t, e, exportertest.Records(0, 1)); err != nil {
		t.Fatal(err)
	}
	if n, _ := os.ReadFile(counter); string(n) != "2\n" {
		t.Errorf("the command ran %s times, want 2", n)
	}
}

func TestTokenErrors(t *testing.T) {
	cleanEnv(t)
	api := newFakeAPI(t)
	for cmd, want := range map[string]string{
		"true":                              "getting a token with the accessTokenCommand: it printed nothing",
		"echo " + testToken + "; exit 3":    "getting a token with the accessTokenCommand: exit status 3",
		"echo oops >&2; exit 1":             "getting a token with the accessTokenCommand: exit status 1: oops",
		"echo " + testToken + "; echo more": "getting a token with the accessTokenCommand: it printed several lines, where one token was expected",
	} {
		err := New().Configure(t.Context(), api.options("accessTokenCommand", cmd))
		if err == nil || err.Error() != want {
			t.Errorf("accessTokenCommand %q: %v\nwant %s", cmd, err, want)
		}
	}
}

// The token appears in no error, result or archive, whatever fails, even
// when a server quotes it back.
func TestTokenNeverLeaks(t *testing.T) {
	tmp := cleanEnv(t)
	t.Setenv(EnvAccessToken, testToken)
	var errs []error
	check := func(what string, err error) {
		if err == nil {
			t.Errorf("%s: no error", what)
			return
		}
		exportertest.CheckError(t, err)
		t.Logf("%s: %v", what, err)
		errs = append(errs, err)
	}

	_, err := ReadSettings(map[string]string{"organizationSlug": testOrg, "suiteSlug": testSuite,
		"accessToken": testToken}, nil)
	check("accessToken option", err)
	if err != nil && !strings.Contains(err.Error(), "option accessToken is refused: option values live in configuration files") {
		t.Errorf("accessToken option: %v", err)
	}

	api := newFakeAPI(t)
	api.echo = true
	api.failNext("presign", 500, 500, 500, 400)
	check("presign 5xx", New().Configure(t.Context(), api.options()))
	check("presign 400", New().Configure(t.Context(), api.options()))
	api.failNext("suite", 403)
	check("suite", New().Configure(t.Context(), api.options("output", t.TempDir())))
	api.failNext("commits", 502, 502, 502)
	_, err = CommitList(t.Context(), api.options(), nil)
	check("commits", err)
	api.token = func(string) bool { return false }
	check("401", New().Configure(t.Context(), api.options()))
	api.token = func(s string) bool { return s == testToken }

	e := configure(t, api.options())
	api.s3.failNext(403, 500)
	res, err := export(t, e, exportertest.Records(0, 3))
	check("upload", err)
	var kept *exporters.KeptError
	if errors.As(err, &kept) {
		_, err := Upload(t.Context(), api.options("suiteSlug", "elsewhere"), kept.Path)
		check("Upload elsewhere", err)
	}
	api.Close()
	check("API down", New().Configure(t.Context(), api.options()))

	for _, err := range errs {
		if strings.Contains(err.Error(), testToken) || strings.Contains(err.Error(), "SECRET") {
			t.Errorf("a secret in: %v", err)
		}
	}
	if strings.Contains(res.Location, testToken) {
		t.Errorf("token in Result")
	}
	// The kept archive, and whatever else is on disk, holds no token.
	filepath.WalkDir(tmp, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, _ := os.ReadFile(path)
		if bytes.Contains(data, []byte(testToken)) {
			t.Errorf("token in %s", path)
		}
		if strings.HasSuffix(path, archive.Ext) {
			r, err := archive.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if bytes.Contains(r.RawInfo, []byte(testToken)) {
				t.Errorf("token in the metadata.json of %s", path)
			}
		}
		return nil
	})
	if s := secret(testToken); strings.Contains(s.String(), testToken) {
		t.Errorf("a secret prints as itself")
	}
}
