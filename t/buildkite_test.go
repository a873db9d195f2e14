package t

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/rogpeppe/go-internal/testscript"
)

// Fake Buildkite Test Engine for the buildkite exporter's scenarios: the
// analytics API that bktec calls and the S3 presigned-POST receiver its
// forms point to, on one loopback port, written for these tests from the
// calls bktec makes.
const (
	bkOrg   = "acme"
	bkSuite = "web"
	bkToken = "bkua_SECRET_do_not_print_0123456789"
	// bkOrgID and bkSuiteID are what the API says the ids are.
	bkOrgID   = "0190e6c4-0000-7000-8000-00000000a1a1"
	bkSuiteID = "0190e6c4-0000-7000-8000-00000000b2b2"
)

// buildkite start <dir> [refuse-presign] [expire-once] [flaky]
//
// starts the fake and sets BUILDKITE_TEST_ENGINE_BASE_URL, the
// organization and suite slugs and BUILDKITE_TEST_ENGINE_API_ACCESS_TOKEN
// as bktec reads them. The commit list it serves is <dir>/commits (one id
// a line; absent means empty). Uploads land in <dir>/uploads/<key>. Each
// request is logged to <dir>/log as "<method> <path> <note>"; a request
// without the token's bearer header gets 401 and "unauthorized" there.
// refuse-presign answers 403 to the presigned-upload call; expire-once
// answers the first upload 403, as an expired form; flaky answers the first
// call of each API path 502.
func cmdBuildkite(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "buildkite")
	if len(args) < 2 || args[0] != "start" {
		ts.Fatalf("usage: buildkite start <dir> [refuse-presign] [expire-once] [flaky]")
	}
	f := &fakeBuildkite{dir: ts.MkAbs(args[1]), seen: map[string]bool{}}
	for _, mode := range args[2:] {
		switch mode {
		case "refuse-presign":
			f.refusePresign = true
		case "expire-once":
			f.expireOnce = true
		case "flaky":
			f.flaky = true
		default:
			ts.Fatalf("buildkite: unknown mode %q", mode)
		}
	}
	if err := os.MkdirAll(filepath.Join(f.dir, "uploads"), 0o755); err != nil {
		ts.Fatalf("buildkite: %v", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		ts.Fatalf("buildkite: %v", err)
	}
	f.base = "http://" + l.Addr().String()
	srv := &http.Server{Handler: f}
	go srv.Serve(l)
	ts.Defer(func() { srv.Close() })
	ts.Setenv("BUILDKITE_TEST_ENGINE_BASE_URL", f.base)
	ts.Setenv("BUILDKITE_ORGANIZATION_SLUG", bkOrg)
	ts.Setenv("BUILDKITE_TEST_ENGINE_SUITE_SLUG", bkSuite)
	ts.Setenv("BUILDKITE_TEST_ENGINE_API_ACCESS_TOKEN", bkToken)
	ts.Setenv("BK_TOKEN", bkToken) // for scripts to check it is never shown
}

type fakeBuildkite struct {
	dir, base                        string
	refusePresign, expireOnce, flaky bool
	mu                               sync.Mutex
	seen                             map[string]bool // API paths called (flaky)
	uploads                          int
}

func (f *fakeBuildkite) log(r *http.Request, note string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	file, err := os.OpenFile(filepath.Join(f.dir, "log"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return
	}
	defer file.Close()
	fmt.Fprintf(file, "%s %s %s\n", r.Method, r.URL.Path, note)
}

func (f *fakeBuildkite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/upload" {
		f.upload(w, r)
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+bkToken {
		f.log(r, "unauthorized")
		http.Error(w, `{"message":"Authentication required"}`, http.StatusUnauthorized)
		return
	}
	if f.flaky {
		f.mu.Lock()
		first := !f.seen[r.URL.Path]
		f.seen[r.URL.Path] = true
		f.mu.Unlock()
		if first {
			f.log(r, "502")
			http.Error(w, "bad gateway", http.StatusBadGateway)
			return
		}
	}
	suite := "/v2/analytics/organizations/" + bkOrg + "/suites/" + bkSuite
	switch {
	case r.Method == http.MethodGet && r.URL.Path == suite+"/commits":
		if r.Header.Get("Accept") != "text/plain" {
			f.log(r, "not text/plain")
			http.Error(w, "want Accept: text/plain", http.StatusNotAcceptable)
			return
		}
		data, _ := os.ReadFile(filepath.Join(f.dir, "commits"))
		f.log(r, "days="+r.URL.Query().Get("days"))
		w.Header().Set("Content-Type", "text/plain")
		w.Write(data)
	case r.Method == http.MethodPost && r.URL.Path == suite+"/commit-metadata-backfill/presigned-upload":
		if f.refusePresign {
			f.log(r, "403")
			http.Error(w, `{"message":"Forbidden: commit metadata backfill is not enabled for this suite"}`, http.StatusForbidden)
			return
		}
		f.log(r, "ok")
		json.NewEncoder(w).Encode(map[string]any{
			"uri": "s3://bk-test-bucket/commit-metadata/${filename}",
			"form": map[string]any{
				"method": "POST", "url": f.base + "/upload", "file_input": "file",
				"data": map[string]string{
					"key": "commit-metadata/${filename}", "policy": "cG9saWN5", "x-amz-signature": "SIGNATURE_SECRET",
				},
			},
			"organization_id": bkOrgID, "suite_id": bkSuiteID,
		})
	case r.Method == http.MethodGet && r.URL.Path == suite:
		f.log(r, "ok")
		json.NewEncoder(w).Encode(map[string]string{"id": bkSuiteID, "organization_id": bkOrgID, "slug": bkSuite})
	default:
		f.log(r, "404")
		http.NotFound(w, r)
	}
}

// upload receives a presigned POST as S3 does: Content-Length required,
// every field before the file, the key's ${filename} filled in; the API
// token must not come along.
func (f *fakeBuildkite) upload(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.uploads++
	n := f.uploads
	f.mu.Unlock()
	if r.Header.Get("Authorization") != "" {
		f.log(r, "400 the API token was sent to S3")
		http.Error(w, "unexpected Authorization", http.StatusBadRequest)
		return
	}
	if f.expireOnce && n == 1 {
		f.log(r, "403 expired")
		http.Error(w, "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>", http.StatusForbidden)
		return
	}
	if r.ContentLength <= 0 || r.Header.Get("Content-Length") == "" {
		f.log(r, "411 no Content-Length")
		http.Error(w, "<Error><Code>MissingContentLength</Code></Error>", http.StatusLengthRequired)
		return
	}
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		f.log(r, "400 not multipart")
		http.Error(w, "not multipart", http.StatusBadRequest)
		return
	}
	mr := multipart.NewReader(r.Body, params["boundary"])
	fields := map[string]string{}
	var order []string
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			f.log(r, "400 no file part")
			http.Error(w, "no file", http.StatusBadRequest)
			return
		}
		if err != nil {
			f.log(r, "400 "+err.Error())
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if part.FormName() == "file" {
			missing := []string{}
			for _, k := range []string{"key", "policy", "x-amz-signature"} {
				if _, ok := fields[k]; !ok {
					missing = append(missing, k)
				}
			}
			if len(missing) > 0 {
				f.log(r, "400 fields after the file: "+strings.Join(missing, ","))
				http.Error(w, "fields must come before the file", http.StatusBadRequest)
				return
			}
			key := strings.ReplaceAll(fields["key"], "${filename}", part.FileName())
			dst := filepath.Join(f.dir, "uploads", filepath.Base(key))
			out, err := os.Create(dst)
			if err == nil {
				_, err = io.Copy(out, part)
				out.Close()
			}
			if err != nil {
				f.log(r, "500 "+err.Error())
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			f.log(r, "204 "+filepath.Base(key)+" fields="+strings.Join(order, ","))
			w.WriteHeader(http.StatusNoContent)
			return
		}
		v, _ := io.ReadAll(io.LimitReader(part, 1<<20))
		fields[part.FormName()] = string(v)
		order = append(order, part.FormName())
	}
}
