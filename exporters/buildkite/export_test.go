package buildkite

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/exporters/archive"
	"github.com/git-backfill/git-backfill/exporters/exportertest"
)

// export runs an export of recs with a configured exporter and returns
// End's result.
func export(t *testing.T, e exporters.Exporter, recs [][]byte) (exporters.Result, error) {
	t.Helper()
	if err := e.Begin(t.Context(), exportertest.Metadata()); err != nil {
		t.Fatal(err)
	}
	if err := e.Write(t.Context(), recs); err != nil {
		t.Fatal(err)
	}
	res, err := e.End(t.Context(), exportertest.Summary(recs))
	if err != nil {
		e.Abort(t.Context(), "end failed")
	}
	return res, err
}

func configure(t *testing.T, opts map[string]string) exporters.Exporter {
	t.Helper()
	e := New()
	if err := e.Configure(t.Context(), opts); err != nil {
		t.Fatalf("Configure: %v", err)
	}
	return e
}

// openArchive writes data to a file and opens it as an archive.
func openArchive(t *testing.T, data []byte) (path string, r *archive.Reader) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "received.tar.gz")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := archive.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return path, r
}

// keys returns the keys of a JSON object, in order.
func keys(t *testing.T, data []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("metadata.json: not an object: %s", data)
	}
	var ks []string
	for dec.More() {
		k, _ := dec.Token()
		ks = append(ks, k.(string))
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
	}
	return ks
}

// dirEntries lists dir's entries.
func dirEntries(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

var bktecKeys = []string{"schema_version", "tool", "tool_version", "generated_at", "organization_slug", "suite_slug",
	"organization_uuid", "suite_uuid", "commit_count", "skipped_commits", "days", "remote", "skipped_diffs",
	"min_commit_date", "max_commit_date"}

// The whole flow: a form asked for in Configure, before any record; the
// archive in Buildkite's format uploaded with the form's fields first;
// the local copy removed.
func TestExportUploads(t *testing.T) {
	tmp := cleanEnv(t)
	t.Setenv(EnvAccessToken, testToken)
	t.Setenv(EnvRemote, "upstream")
	api := newFakeAPI(t)
	e := configure(t, api.options("days", "30"))
	if n := api.count("presign"); n != 1 {
		t.Fatalf("Configure asked for %d forms, want 1", n)
	}
	recs := exportertest.Records(0, 50)
	res, err := export(t, e, recs)
	if err != nil {
		t.Fatal(err)
	}
	want := "s3://bk-backfill/backfill/org=" + orgUUID + "/suite=" + suiteUUID + "/form-1.tar.gz"
	if res.Location != want || res.Records != 50 || res.Bytes <= 0 {
		t.Errorf("Result %+v, want Location %s and 50 records", res, want)
	}
	files := api.s3.received()
	if len(files) != 1 || int64(len(files[0])) != res.Bytes {
		t.Fatalf("S3 received %d files, want one of %d bytes", len(files), res.Bytes)
	}
	path, r := openArchive(t, files[0])
	if want := "backfill-acme-web-suite-20261122T031500.000Z"; r.Name != want {
		t.Errorf("directory %q, want %q", r.Name, want)
	}
	if got := keys(t, r.RawInfo); !slices.Equal(got[:len(bktecKeys)], bktecKeys) {
		t.Errorf("metadata.json keys %v, want bktec's first: %v", got, bktecKeys)
	}
	var m map[string]any
	json.Unmarshal(r.RawInfo, &m)
	for k, v := range map[string]any{"schema_version": 2.0, "tool": "git-backfill", "tool_version": "0.0.0-conformance",
		"generated_at": "2026-11-22T03:15:00Z", "organization_slug": testOrg, "suite_slug": testSuite,
		"organization_uuid": orgUUID, "suite_uuid": suiteUUID, "commit_count": 50.0, "skipped_commits": 0.0,
		"days": 30.0, "remote": "upstream", "skipped_diffs": false,
		"min_commit_date": "2026-11-22T02:15:00Z", "max_commit_date": "2026-11-22T03:14:00Z",
		"remote_url": "https://example.com/conformance.git"} {
		if m[k] != v {
			t.Errorf("metadata.json %s = %v, want %v", k, m[k], v)
		}
	}
	got, err := archive.ReadRecords(path)
	if err != nil || len(got) != len(recs) || !bytes.Equal(got[49], recs[49]) {
		t.Errorf("archive records: %d, %v", len(got), err)
	}
	if left := dirEntries(t, filepath.Join(tmp, privateDirName())); len(left) > 0 {
		t.Errorf("left in the private directory: %v", left)
	}
}

// S3 refusing the form (403, an expired policy) gets exactly one new form.
func TestUploadRefusedGetsOneNewForm(t *testing.T) {
	cleanEnv(t)
	t.Setenv(EnvAccessToken, testToken)
	api := newFakeAPI(t)
	api.fileInput, api.s3.fileInput = "archive_file", "archive_file"
	e := configure(t, api.options())
	api.s3.failNext(http.StatusForbidden)
	res, err := export(t, e, exportertest.Records(0, 3))
	if err != nil {
		t.Fatal(err)
	}
	if api.count("presign") != 2 || api.s3.posts != 2 || len(api.s3.received()) != 1 {
		t.Errorf("%d forms, %d posts, %d received; want 2, 2, 1", api.count("presign"), api.s3.posts, len(api.s3.received()))
	}
	if !strings.HasSuffix(res.Location, "/form-2.tar.gz") {
		t.Errorf("Location %s, want the second form's", res.Location)
	}
}

// An upload that fails keeps the archive, which Upload sends later.
func TestFailedUploadKeepsArchive(t *testing.T) {
	tmp := cleanEnv(t)
	t.Setenv(EnvAccessToken, testToken)
	api := newFakeAPI(t)
	opts := api.options()
	e := configure(t, opts)
	api.s3.failNext(http.StatusForbidden, http.StatusForbidden)
	recs := exportertest.Records(0, 7)
	_, err := export(t, e, recs)
	var kept *exporters.KeptError
	if !errors.As(err, &kept) {
		t.Fatalf("End: %v, want a KeptError", err)
	}
	exportertest.CheckError(t, err)
	if api.count("presign") != 2 {
		t.Errorf("%d forms asked for, want 2 (one refresh)", api.count("presign"))
	}
	if !strings.Contains(err.Error(), "AccessDenied") || strings.Contains(err.Error(), "SECRET") {
		t.Errorf("error %q", err)
	}
	if dir := filepath.Join(tmp, privateDirName()); filepath.Dir(kept.Path) != dir ||
		!strings.HasPrefix(filepath.Base(kept.Path), "bktec-commit-metadata-20261122T031500.000Z") {
		t.Errorf("kept at %s, want bktec's name in %s", kept.Path, dir)
	}
	if left := dirEntries(t, filepath.Dir(kept.Path)); len(left) != 1 {
		t.Errorf("private directory holds %v, want the kept archive alone", left)
	}

	res, err := Upload(t.Context(), opts, kept.Path)
	if err != nil {
		t.Fatalf("Upload: %v", err)
	}
	if !strings.HasSuffix(res.Location, "/form-3.tar.gz") || res.Records != 7 {
		t.Errorf("Upload: %+v", res)
	}
	if files := api.s3.received(); len(files) != 1 {
		t.Fatalf("S3 received %d files", len(files))
	} else if got, _ := os.ReadFile(kept.Path); !bytes.Equal(files[0], got) {
		t.Errorf("uploaded bytes differ from the kept archive")
	}
}

// Without records there is nothing to upload, as bktec has nothing to.
func TestEmptyExportUploadsNothing(t *testing.T) {
	tmp := cleanEnv(t)
	t.Setenv(EnvAccessToken, testToken)
	api := newFakeAPI(t)
	res, err := export(t, configure(t, api.options()), nil)
	if err != nil || res != (exporters.Result{}) {
		t.Errorf("End: %+v, %v; want an empty Result", res, err)
	}
	if api.s3.posts != 0 {
		t.Errorf("%d uploads", api.s3.posts)
	}
	if left := dirEntries(t, filepath.Join(tmp, privateDirName())); len(left) > 0 {
		t.Errorf("left: %v", left)
	}
}

// A refused form request fails Configure, before any git work, naming
// the call, the status and the server's message.
func TestPresignRefusedFailsConfigure(t *testing.T) {
	cleanEnv(t)
	t.Setenv(EnvAccessToken, testToken)
	api := newFakeAPI(t)
	api.failNext("presign", http.StatusForbidden)
	err := New().Configure(t.Context(), api.options())
	want := "asking for an upload form: POST " + api.URL + "/v2/analytics/organizations/acme/suites/web-suite/" +
		"commit-metadata-backfill/presigned-upload: HTTP 403 Forbidden: Injected failure 403"
	if err == nil || err.Error() != want {
		t.Fatalf("Configure: %v\nwant %s", err, want)
	}
	exportertest.CheckError(t, err)
	if n := api.count("presign"); n != 1 {
		t.Errorf("%d requests, want 1: a 403 is not tried again", n)
	}
}

// With output, the suite's ids come from the suite's own endpoint and the
// archive is written there, under bktec's name in a directory.
func TestOutputLooksUpSuite(t *testing.T) {
	cleanEnv(t)
	t.Setenv(EnvAccessToken, testToken)
	api := newFakeAPI(t)
	dir := t.TempDir()
	for _, tc := range []struct{ output, want string }{
		{dir, filepath.Join(dir, "bktec-commit-metadata-20261122T031500.000Z.tar.gz")},
		{filepath.Join(dir, "mine.tar.gz"), filepath.Join(dir, "mine.tar.gz")},
	} {
		res, err := export(t, configure(t, api.options("output", tc.output)), exportertest.Records(0, 2))
		if err != nil {
			t.Fatal(err)
		}
		if res.Location != tc.want || res.Records != 2 {
			t.Errorf("output %s: Result %+v, want Location %s", tc.output, res, tc.want)
		}
		info, err := archive.Verify(res.Location)
		if err != nil || info.CommitCount != 2 {
			t.Errorf("Verify: %+v, %v", info, err)
		}
		r, err := archive.Open(res.Location)
		if err != nil {
			t.Fatal(err)
		}
		var m metadata
		json.Unmarshal(r.RawInfo, &m)
		r.Close()
		if m.OrganizationUUID != orgUUID || m.SuiteUUID != suiteUUID {
			t.Errorf("metadata.json ids %q %q", m.OrganizationUUID, m.SuiteUUID)
		}
	}
	if api.count("suite") != 2 || api.count("presign") != 0 || api.s3.posts != 0 {
		t.Errorf("calls: %d suite, %d presign, %d posts; want 2, 0, 0", api.count("suite"), api.count("presign"), api.s3.posts)
	}
}

// Upload checks what it sends: a whole archive, of this suite, in
// Buildkite's format.
func TestUploadChecksTheArchive(t *testing.T) {
	cleanEnv(t)
	t.Setenv(EnvAccessToken, testToken)
	api := newFakeAPI(t)
	dir := t.TempDir()
	res, err := export(t, configure(t, api.options("output", dir+"/")), exportertest.Records(0, 2))
	if err != nil {
		t.Fatal(err)
	}
	notArchive := filepath.Join(dir, "notes.tar.gz")
	os.WriteFile(notArchive, []byte("this is not a gzip file at all"), 0o600)
	ours := filepath.Join(dir, "ours.tar.gz")
	w, err := archive.Create(ours, exportertest.Metadata(), 1, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(exportertest.Records(0, 1))
	if _, err := w.Close(exportertest.Summary(exportertest.Records(0, 1))); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path string
		opts map[string]string
		want string
	}{
		{notArchive, api.options(), notArchive + ": not a git-backfill archive: gzip: invalid header"},
		{ours, api.options(), ours + ": not an archive in Buildkite's format"},
		{res.Location, api.options("suiteSlug", "other"), res.Location + ": an archive of suite acme/web-suite, not of acme/other"},
	} {
		_, err := Upload(t.Context(), tc.opts, tc.path)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("Upload(%s): %v\nwant %s...", tc.path, err, tc.want)
		}
	}
	if api.count("presign") != 0 {
		t.Errorf("a form was asked for an archive refused")
	}
}

func TestConformance(t *testing.T) {
	cleanEnv(t)
	t.Setenv(EnvAccessToken, testToken)
	api := newFakeAPI(t)
	var dir string
	exportertest.Run(t, exportertest.Config{
		New: func(t *testing.T) (exporters.Exporter, map[string]string) {
			dir = t.TempDir()
			return New(), api.options("output", dir)
		},
		Read: func(t *testing.T, res exporters.Result) [][]byte {
			recs, err := archive.ReadRecords(res.Location)
			if err != nil {
				t.Fatal(err)
			}
			return recs
		},
		Leftovers: func(t *testing.T, res exporters.Result) []string {
			var left []string
			for _, n := range dirEntries(t, dir) {
				if filepath.Join(dir, n) != res.Location {
					left = append(left, n)
				}
			}
			return left
		},
		BadOptions: map[string]map[string]string{
			"token as option":  api.options("accessToken", testToken),
			"zero days":        api.options("days", "0"),
			"plain http":       api.options("baseUrl", "http://api.example.com"),
			"unknown option":   api.options("bucket", "b"),
			"no suite":         {"organizationSlug": testOrg, "baseUrl": api.URL},
			"compressionLevel": api.options("compressionLevel", "10"),
		},
	})
}
