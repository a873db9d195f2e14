package presign

import (
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

const testFields = `{"key": "uploads/${filename}", "Content-Type": "application/gzip",
	"policy": "SECRETPOLICY", "x-amz-signature": "SECRETSIGNATURE"}`

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		url, fields, file, want string
	}{
		{"/relative?sig=SECRET", `{}`, "", "presigned POST: the URL is not an http or https URL"},
		{"ftp://h/", `{}`, "", "presigned POST: the URL is not an http or https URL"},
		{"https://h/", `["key"]`, "", "presigned POST fields: a JSON object of strings expected"},
		{"https://h/", ``, "", "presigned POST fields: a JSON object of strings expected"},
		{"https://h/", `{"a":"SECRET"} {}`, "", "presigned POST fields: a JSON object of strings expected"},
		{"https://h/", `{"n":1}`, "", "presigned POST fields: field n: a string expected"},
		{"https://h/", `{"key":"SECRET","Key":"SECRET"}`, "", "presigned POST fields: field Key given twice"},
		{"https://h/", `{"File":"SECRET"}`, "", "presigned POST fields: a file field, which the upload adds"},
		{"https://h/", `{"blob":"SECRET"}`, "blob", "presigned POST fields: a blob field, which the upload adds"},
	} {
		_, err := Parse(tc.url, []byte(tc.fields), tc.file)
		if err == nil || err.Error() != tc.want {
			t.Errorf("Parse(%q, %s): %v\nwant %s", tc.url, tc.fields, err, tc.want)
		}
	}
}

// receiver is an S3 POST endpoint that checks what it gets: an exact
// Content-Length, the fields in order, then the file in a part named
// fileField. It answers status.
func receiver(t *testing.T, fileField string, status int, got *[]byte) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil || r.Header.Get("Content-Length") != strconv.Itoa(len(body)) {
			t.Errorf("read %d bytes (%v), Content-Length %q", len(body), err, r.Header.Get("Content-Length"))
		}
		_, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		mr := multipart.NewReader(strings.NewReader(string(body)), params["boundary"])
		var names []string
		for {
			p, err := mr.NextPart()
			if err != nil {
				break
			}
			data, _ := io.ReadAll(p)
			names = append(names, p.FormName())
			if p.FormName() == fileField {
				*got = data
				if p.FileName() != "archive.tar.gz" {
					t.Errorf("file name %q", p.FileName())
				}
			}
		}
		if want := "key Content-Type policy x-amz-signature " + fileField; strings.Join(names, " ") != want {
			t.Errorf("parts %v, want %s", names, want)
		}
		w.WriteHeader(status)
		if status == http.StatusForbidden {
			io.WriteString(w, "<Error><Code>AccessDenied</Code><Message>Invalid according to Policy: Policy expired.</Message></Error>")
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func testFile(t *testing.T) string {
	path := filepath.Join(t.TempDir(), "archive.tar.gz")
	if err := os.WriteFile(path, []byte(strings.Repeat("archive bytes ", 1000)), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestPost(t *testing.T) {
	path := testFile(t)
	for _, tc := range []struct {
		fileField string
		status    int
	}{{"", http.StatusNoContent}, {"file_input_name", http.StatusOK}, {"", http.StatusCreated}} {
		var got []byte
		want := tc.fileField
		if want == "" {
			want = DefaultFileField
		}
		srv := receiver(t, want, tc.status, &got)
		f, err := Parse(srv.URL+"/bucket?X-Amz-Security-Token=SECRETQUERY", []byte(testFields), tc.fileField)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Post(t.Context(), nil, path); err != nil {
			t.Errorf("Post: %v", err)
		}
		if data, _ := os.ReadFile(path); string(got) != string(data) {
			t.Errorf("received %d bytes, want the file's %d", len(got), len(data))
		}
	}
}

// A refusal is a *StatusError with S3's code and message, and no secret:
// no field value, no query.
func TestPostRefused(t *testing.T) {
	var got []byte
	srv := receiver(t, "file", http.StatusForbidden, &got)
	f, err := Parse(srv.URL+"/bucket?X-Amz-Security-Token=SECRETQUERY", []byte(testFields), "")
	if err != nil {
		t.Fatal(err)
	}
	err = f.Post(t.Context(), nil, testFile(t))
	var se *StatusError
	want := "presigned POST to " + srv.URL + "/bucket: AccessDenied: Invalid according to Policy: Policy expired (HTTP 403 Forbidden)"
	if !errors.As(err, &se) || se.StatusCode != http.StatusForbidden || err.Error() != want {
		t.Errorf("Post: %v\nwant a StatusError: %s", err, want)
	}

	srv.Close()
	err = f.Post(t.Context(), nil, testFile(t))
	if err == nil || !strings.HasPrefix(err.Error(), "presigned POST to "+srv.URL+"/bucket: dial tcp") || strings.Contains(err.Error(), "SECRET") {
		t.Errorf("Post to a closed server: %v", err)
	}
}

// A server that stops answering fails the POST once nothing moved for
// stallTimeout.
func TestPostStalls(t *testing.T) {
	defer func(d time.Duration) { stallTimeout = d }(stallTimeout)
	stallTimeout = 100 * time.Millisecond
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		<-r.Context().Done()
	}))
	defer srv.Close()
	f, err := Parse(srv.URL+"/bucket", []byte(testFields), "")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	err = f.Post(t.Context(), nil, testFile(t))
	if err == nil || err.Error() != "presigned POST to "+srv.URL+"/bucket: no progress for 100ms" {
		t.Errorf("Post: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s", d)
	}
}

func TestExpired(t *testing.T) {
	policy := func(exp string) string {
		return `{"key": "k", "policy": "` + base64.StdEncoding.EncodeToString([]byte(`{"expiration": "`+exp+`", "conditions": []}`)) + `"}`
	}
	for fields, want := range map[string]string{
		policy("2020-01-01T00:00:00.000Z"):                           "presigned POST form expired at 2020-01-01T00:00:00Z",
		policy(time.Now().Add(time.Hour).UTC().Format(time.RFC3339)): "",
		`{"key": "k", "policy": "not base64 at all"}`:                "",
		`{"key": "k"}`: "",
		`{"key": "k", "policy": "` + base64.StdEncoding.EncodeToString([]byte("[]")) + `"}`: "",
	} {
		f, err := Parse("https://h/", []byte(fields), "")
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Expired(); (err == nil) != (want == "") || (err != nil && err.Error() != want) {
			t.Errorf("Expired(%s) = %v, want %q", fields, err, want)
		}
	}
}
