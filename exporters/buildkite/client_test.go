package buildkite

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/git-backfill/git-backfill/exporters/exportertest"
)

// 5xx, 429 and slow answers are tried again, three times at most; other
// refusals are not.
func TestRetries(t *testing.T) {
	cleanEnv(t)
	t.Setenv(EnvAccessToken, testToken)
	presignURL := "/v2/analytics/organizations/acme/suites/web-suite/commit-metadata-backfill/presigned-upload"
	for _, tc := range []struct {
		name  string
		fail  []int
		hang  bool
		calls int
		want  string // "" for success
	}{
		{"5xx then success", []int{502, 503}, false, 3, ""},
		{"429 then success", []int{429}, false, 2, ""},
		{"5xx every time", []int{500, 500, 500, 500}, false, 3,
			"HTTP 500 Internal Server Error: Injected failure 500 (after 3 attempts)"},
		{"404", []int{404}, false, 1, "HTTP 404 Not Found: Injected failure 404"},
		{"no answer", nil, true, 3, "no answer in 50ms (after 3 attempts)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.hang {
				defer func(d time.Duration) { callTimeout = d }(callTimeout)
				callTimeout = 50 * time.Millisecond
			}
			api := newFakeAPI(t)
			api.failNext("presign", tc.fail...)
			api.hang = tc.hang
			err := New().Configure(t.Context(), api.options())
			if n := api.count("presign"); n != tc.calls {
				t.Errorf("%d calls, want %d", n, tc.calls)
			}
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("Configure: %v", err)
			case tc.want != "" && (err == nil || err.Error() != "asking for an upload form: POST "+api.URL+presignURL+": "+tc.want):
				t.Errorf("Configure: %v\nwant ...: %s", err, tc.want)
			case err != nil:
				exportertest.CheckError(t, err)
			}
		})
	}
}

func TestCommitList(t *testing.T) {
	cleanEnv(t)
	t.Setenv(EnvAccessToken, testToken)
	a, b := strings.Repeat("a", 40), strings.Repeat("0b", 32)
	for _, tc := range []struct {
		text string
		want []string
		err  string
	}{
		{"", nil, ""},
		{"\n\n", nil, ""},
		{a + "\n" + b + "\n", []string{a, b}, ""},
		{"  " + b + "\r\n" + a + "\r\n" + b + "\n", []string{b, a}, ""},
		{a + "\nabc1234\n", nil,
			`fetching the commit list: line 2 of the answer, "abc1234", is not a commit id`},
		{a + "\n--upload-pack=touch /tmp/x\n", nil,
			`fetching the commit list: line 2 of the answer, "--upload-pack=touch /tmp/x", is not a commit id`},
	} {
		api := newFakeAPI(t)
		api.commits = tc.text
		got, err := CommitList(t.Context(), api.options(), nil)
		if (err == nil) != (tc.err == "") || (err != nil && err.Error() != tc.err) || !slices.Equal(got, tc.want) {
			t.Errorf("CommitList(%q) = %q, %v; want %q, %s", tc.text, got, err, tc.want, tc.err)
		}
	}
}

// CommitList reads the environment it is given, and asks for the days
// the settings say.
func TestCommitListDays(t *testing.T) {
	cleanEnv(t)
	var days []string
	api := newFakeAPI(t)
	api.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		days = append(days, r.URL.Query().Get("days"))
		api.serve(w, r)
	})
	env := map[string]string{EnvAccessToken: testToken, EnvDays: "14", EnvOrganizationSlug: "acme",
		EnvSuiteSlug: testSuite, EnvBaseURL: api.URL}
	getenv := func(k string) string { return env[k] }
	if _, err := CommitList(t.Context(), nil, getenv); err != nil {
		t.Fatal(err)
	}
	if _, err := CommitList(t.Context(), map[string]string{"days": "7"}, getenv); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(days, []string{"14", "7"}) {
		t.Errorf("days asked %v, want [14 7]", days)
	}
}

// An upload form that would send its credentials in clear text to another
// machine is refused before anything is sent.
func TestPresignedUploadRefusesPlainHTTP(t *testing.T) {
	cleanEnv(t)
	t.Setenv(EnvAccessToken, testToken)
	api := newFakeAPI(t)
	api.formURL = "http://203.0.113.9/upload"
	s, err := ReadSettings(api.options(), nil)
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewClient(t.Context(), s)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.PresignedUpload(t.Context())
	if err == nil || !strings.Contains(err.Error(), "an upload URL that is not https (http://203.0.113.9)") {
		t.Fatalf("PresignedUpload = %v, want a refusal of plain http", err)
	}
}
