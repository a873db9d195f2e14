package buildkite

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	testToken = "SECRET-TOKEN-0123456789"
	testOrg   = "acme"
	testSuite = "web-suite"
	orgUUID   = "11111111-1111-1111-1111-111111111111"
	suiteUUID = "22222222-2222-2222-2222-222222222222"
	// testFields are the upload form's data, in the order the fake API
	// gives them; the upload must send them so, before the file.
	testFields = `{"key": "backfill/org=11111111/suite=22222222/upload.tar.gz", "Content-Type": "application/gzip",
		"x-amz-credential": "AKIAEXAMPLE/20261122/us-east-1/s3/aws4_request",
		"policy": "U0VDUkVULVBPTElDWQ==", "x-amz-signature": "SECRET-SIGNATURE"}`
)

var testFieldOrder = []string{"key", "Content-Type", "x-amz-credential", "policy", "x-amz-signature"}

func TestMain(m *testing.M) {
	retryDelay, maxRetryDelay = time.Millisecond, 5*time.Millisecond
	os.Exit(m.Run())
}

// cleanEnv clears the variables the exporter reads, so that a test run
// inside a Buildkite job sees none of the job's, and points the private
// directory of kept archives at a fresh temporary directory, returned.
func cleanEnv(t *testing.T) string {
	for _, v := range []string{EnvAccessToken, EnvOrganizationSlug, EnvSuiteSlug, EnvBaseURL, EnvDays,
		EnvRemote, EnvBackfillRemote, EnvSkipDiffs, EnvConcurrency, EnvOIDC, EnvJobID} {
		t.Setenv(v, "")
	}
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	return tmp
}

// fakeAPI is Buildkite's API for one suite, on loopback. It answers with
// the statuses queued in fail (by endpoint: "commits", "presign", "suite")
// before answering properly, and counts the calls.
type fakeAPI struct {
	*httptest.Server
	t       *testing.T
	s3      *fakeS3
	token   func(string) bool // accepts a bearer token
	commits string            // the commit list's text

	mu    sync.Mutex
	fail  map[string][]int
	calls map[string]int
	// fileInput is the form's file part name; echo makes error answers
	// quote the request's Authorization header, as a careless server might.
	fileInput string
	echo      bool
	hang      bool // never answer presign
	// formURL replaces the form's URL (the fake S3's) when set.
	formURL string
}

func newFakeAPI(t *testing.T) *fakeAPI {
	a := &fakeAPI{t: t, s3: newFakeS3(t), token: func(s string) bool { return s == testToken },
		fail: map[string][]int{}, calls: map[string]int{}, fileInput: "file"}
	a.Server = httptest.NewServer(http.HandlerFunc(a.serve))
	t.Cleanup(a.Close)
	return a
}

// options are the exporter's options for this API.
func (a *fakeAPI) options(extra ...string) map[string]string {
	o := map[string]string{"organizationSlug": testOrg, "suiteSlug": testSuite, "baseUrl": a.URL, "compressionLevel": "1"}
	for i := 0; i+1 < len(extra); i += 2 {
		o[extra[i]] = extra[i+1]
	}
	return o
}

func (a *fakeAPI) count(name string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.calls[name]
}

func (a *fakeAPI) failNext(name string, statuses ...int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.fail[name] = append(a.fail[name], statuses...)
}

func (a *fakeAPI) serve(w http.ResponseWriter, r *http.Request) {
	base := "/v2/analytics/organizations/" + testOrg + "/suites/" + testSuite
	var name string
	switch {
	case r.Method == http.MethodGet && r.URL.Path == base+"/commits":
		name = "commits"
	case r.Method == http.MethodPost && r.URL.Path == base+"/commit-metadata-backfill/presigned-upload":
		name = "presign"
	case r.Method == http.MethodGet && r.URL.Path == base:
		name = "suite"
	default:
		a.t.Errorf("API: unexpected %s %s", r.Method, r.URL)
		w.WriteHeader(http.StatusNotFound)
		return
	}
	a.mu.Lock()
	a.calls[name]++
	n := a.calls[name]
	var status int
	if q := a.fail[name]; len(q) > 0 {
		status, a.fail[name] = q[0], q[1:]
	}
	echo, hang := a.echo, a.hang
	formURL := a.s3.URL + "/bk-backfill?X-Amz-Security-Token=SECRET-QUERY"
	if a.formURL != "" {
		formURL = a.formURL
	}
	a.mu.Unlock()

	auth := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(auth, "Bearer ")
	if !ok || !a.token(tok) {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, `{"message": "Authentication required, got %s"}`, auth)
		return
	}
	if status != 0 {
		if status == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", "1")
		}
		w.WriteHeader(status)
		if echo {
			fmt.Fprintf(w, "<html>error %d for %s\n</html>", status, auth)
		} else {
			fmt.Fprintf(w, `{"message": "Injected failure %d"}`, status)
		}
		return
	}
	switch name {
	case "commits":
		if r.Header.Get("Accept") != "text/plain" || r.URL.Query().Get("days") == "" {
			a.t.Errorf("commits: Accept %q, query %q", r.Header.Get("Accept"), r.URL.RawQuery)
		}
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, a.commits)
	case "presign":
		if hang {
			<-r.Context().Done()
			return
		}
		fmt.Fprintf(w, `{"uri": "s3://bk-backfill/backfill/org=%s/suite=%s/form-%d.tar.gz",
			"form": {"method": "POST", "url": %q, "data": %s, "file_input": %q},
			"organization_id": %q, "suite_id": %q}`,
			orgUUID, suiteUUID, n, formURL, testFields, a.fileInput, orgUUID, suiteUUID)
	case "suite":
		json.NewEncoder(w).Encode(map[string]string{"id": suiteUUID, "organization_id": orgUUID, "slug": testSuite})
	}
}

// fakeS3 receives presigned POSTs: it checks an exact Content-Length and
// the form's fields in order before the file part, which comes last, and
// keeps the files received.
type fakeS3 struct {
	*httptest.Server
	t *testing.T

	mu    sync.Mutex
	fail  []int
	posts int
	files [][]byte
	// fileInput is the file part's expected name.
	fileInput string
}

func newFakeS3(t *testing.T) *fakeS3 {
	s := &fakeS3{t: t, fileInput: "file"}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *fakeS3) failNext(statuses ...int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail = append(s.fail, statuses...)
}

func (s *fakeS3) received() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.files
}

func (s *fakeS3) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil || r.Header.Get("Content-Length") != strconv.Itoa(len(body)) || r.ContentLength != int64(len(body)) {
		s.t.Errorf("S3: read %d bytes (%v), Content-Length %q", len(body), err, r.Header.Get("Content-Length"))
	}
	if r.Method != http.MethodPost || r.Header.Get("Authorization") != "" || r.URL.Query().Get("X-Amz-Security-Token") != "SECRET-QUERY" {
		s.t.Errorf("S3: %s %s with Authorization %q", r.Method, r.URL, r.Header.Get("Authorization"))
	}
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		s.t.Errorf("S3: Content-Type: %v", err)
		return
	}
	mr := multipart.NewReader(strings.NewReader(string(body)), params["boundary"])
	var names []string
	var file []byte
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			s.t.Errorf("S3: multipart: %v", err)
			return
		}
		data, _ := io.ReadAll(p)
		names = append(names, p.FormName())
		if p.FormName() == s.fileInput {
			file = data
			if !strings.HasPrefix(p.FileName(), "bktec-commit-metadata-") {
				s.t.Errorf("S3: file name %q", p.FileName())
			}
		}
	}
	if want := strings.Join(append(testFieldOrder, s.fileInput), " "); strings.Join(names, " ") != want {
		s.t.Errorf("S3: parts %v, want %s", names, want)
	}
	s.mu.Lock()
	s.posts++
	var status int
	if len(s.fail) > 0 {
		status, s.fail = s.fail[0], s.fail[1:]
	} else {
		s.files = append(s.files, file)
	}
	s.mu.Unlock()
	if status != 0 {
		w.WriteHeader(status)
		io.WriteString(w, "<Error><Code>AccessDenied</Code><Message>Invalid according to Policy: Policy expired.</Message></Error>")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
