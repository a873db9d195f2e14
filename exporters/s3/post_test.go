package s3

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/exporters/exportertest"
	"github.com/git-backfill/git-backfill/exporters/s3/s3test"
)

// The form of the httptest server: the fields in the order sent.
const (
	testFields = `{"key": "exports/${filename}", "Content-Type": "application/gzip",
		"x-amz-credential": "AKIAEXAMPLE/20261122/us-east-1/s3/aws4_request",
		"policy": "cG9saWN5", "x-amz-signature": "SECRETSIGNATURE"}`
	testQuery = "?token=SECRETQUERY"
)

var testFieldOrder = []string{"key", "Content-Type", "x-amz-credential", "policy", "x-amz-signature"}

// postServer is an S3 POST endpoint that checks what it receives: an
// exact Content-Length, the fields in order, the file last. It stores
// the files by key.
type postServer struct {
	*httptest.Server
	t       *testing.T
	mu      sync.Mutex
	objects map[string][]byte
	fail    atomic.Int32 // an HTTP status to answer with, when set
}

func newPostServer(t *testing.T) *postServer {
	s := &postServer{t: t, objects: map[string][]byte{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *postServer) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil || r.Header.Get("Content-Length") != strconv.Itoa(len(body)) || r.ContentLength != int64(len(body)) {
		s.t.Errorf("POST: read %d bytes (%v), Content-Length %q", len(body), err, r.Header.Get("Content-Length"))
	}
	if r.URL.RawQuery != strings.TrimPrefix(testQuery, "?") {
		s.t.Errorf("POST: query %q", r.URL.RawQuery)
	}
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		s.t.Fatalf("POST: Content-Type: %v", err)
	}
	mr := multipart.NewReader(strings.NewReader(string(body)), params["boundary"])
	var names []string
	var key string
	var file []byte
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			s.t.Fatalf("POST: multipart: %v", err)
		}
		if file != nil {
			s.t.Errorf("POST: part %q after the file", p.FormName())
		}
		data, _ := io.ReadAll(p)
		switch p.FormName() {
		case "file":
			file, key = data, strings.ReplaceAll(key, "${filename}", p.FileName())
		case "key":
			key = string(data)
		}
		names = append(names, p.FormName())
	}
	if want := strings.Join(append(testFieldOrder, "file"), " "); strings.Join(names, " ") != want {
		s.t.Errorf("POST: parts %v, want %s", names, want)
	}
	if status := s.fail.Load(); status != 0 {
		w.WriteHeader(int(status))
		fmt.Fprint(w, "<Error><Code>AccessDenied</Code><Message>Invalid according to Policy: Policy expired.</Message></Error>")
		return
	}
	s.mu.Lock()
	s.objects[key] = file
	s.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// get returns the object at a location that post returned.
func (s *postServer) get(t *testing.T, location string) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	data, ok := s.objects[strings.TrimPrefix(location, s.URL+"/bucket/")]
	if !ok {
		t.Fatalf("no object at %s", location)
	}
	return data
}

func TestPresignedPOSTConformance(t *testing.T) {
	srv := newPostServer(t)
	var dir string
	exportertest.Run(t, exportertest.Config{
		New: func(t *testing.T) (exporters.Exporter, map[string]string) {
			dir = t.TempDir()
			return New(), map[string]string{"presignedUrl": srv.URL + "/bucket" + testQuery,
				"presignedFields": testFields, "output": dir, "compressionLevel": "1"}
		},
		Read: func(t *testing.T, res exporters.Result) [][]byte {
			if want := srv.URL + "/bucket/exports/backfill-conformance-20261122T031500Z.tar.gz"; res.Location != want {
				t.Errorf("Location %q, want %q", res.Location, want)
			}
			return s3test.Records(t, srv.get(t, res.Location))
		},
		Leftovers: func(t *testing.T, res exporters.Result) []string { return s3test.LocalFiles(t, dir, res.Location) },
		Break:     func(t *testing.T) func() { srv.fail.Store(http.StatusForbidden); return func() { srv.fail.Store(0) } },
	})
}

func TestPresignedPOSTErrorsHideSecrets(t *testing.T) {
	srv := newPostServer(t)
	srv.fail.Store(http.StatusForbidden)
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	for _, tc := range []struct{ url, want string }{
		{srv.URL + "/bucket" + testQuery, "presigned POST to " + srv.URL +
			"/bucket: AccessDenied: Invalid according to Policy: Policy expired (HTTP 403 Forbidden)"},
		{closed.URL + "/bucket" + testQuery, "presigned POST to " + closed.URL + "/bucket: dial tcp "},
	} {
		_, err := export(t, map[string]string{"presignedUrl": tc.url, "presignedFields": testFields, "output": t.TempDir()},
			exportertest.Records(0, 3))
		var kept *exporters.KeptError
		if !errors.As(err, &kept) || !strings.HasPrefix(err.Error(), tc.want) || strings.Contains(err.Error(), "SECRET") {
			t.Errorf("export: %v\nwant a KeptError starting %q", err, tc.want)
		}
	}
}
