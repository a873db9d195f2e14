package s3

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// httpClient sends presigned POSTs; tests may replace it.
var httpClient = &http.Client{}

// form is a presigned POST form. Its field values (policy, signature,
// credential) are secrets: they never appear in errors.
type form struct {
	url    *url.URL
	fields []field // in the order given
}

type field struct{ name, value string }

// readFormFile reads a form file: {"url": "...", "fields": {...}}, as the
// AWS SDKs' presigned POST returns it.
func readFormFile(path string) (*form, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("option presignedForm: %w", err)
	}
	var raw struct {
		URL    string          `json:"url"`
		Fields json.RawMessage `json:"fields"`
	}
	if json.Unmarshal(data, &raw) != nil {
		return nil, fmt.Errorf("option presignedForm: %s: not a JSON object with url and fields", path)
	}
	return parseForm(raw.URL, raw.Fields)
}

// parseForm reads a form's URL and its fields, a JSON object of strings
// whose order is kept.
func parseForm(rawURL string, fields []byte) (*form, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.New("presigned POST: the URL is not an http or https URL")
	}
	f := &form{url: u}
	if f.fields, err = decodeFields(fields); err != nil {
		return nil, fmt.Errorf("presigned POST fields: %w", err)
	}
	if _, ok := f.field("key"); !ok {
		return nil, errors.New("presigned POST fields: no key field")
	}
	if _, ok := f.field("file"); ok {
		return nil, errors.New("presigned POST fields: a file field, which the upload adds")
	}
	return f, nil
}

// decodeFields decodes a JSON object of strings, keeping its order.
func decodeFields(data []byte) ([]field, error) {
	bad := errors.New("a JSON object of strings expected")
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, bad
	}
	var fields []field
	for dec.More() {
		name, err := dec.Token()
		if err != nil {
			return nil, bad
		}
		value, err := dec.Token()
		v, ok := value.(string)
		if err != nil || !ok {
			return nil, fmt.Errorf("field %s: a string expected", name)
		}
		for _, f := range fields {
			if strings.EqualFold(f.name, name.(string)) {
				return nil, fmt.Errorf("field %s given twice", name)
			}
		}
		fields = append(fields, field{name.(string), v})
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('}') {
		return nil, bad
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, bad
	}
	return fields, nil
}

// field returns the value of the field named name, in any case, as S3
// reads them.
func (f *form) field(name string) (string, bool) {
	for _, fl := range f.fields {
		if strings.EqualFold(fl.name, name) {
			return fl.value, true
		}
	}
	return "", false
}

// check fails if the form's policy says it has expired. A policy it
// cannot read is the server's business.
func (f *form) check() error {
	policy, _ := f.field("policy")
	data, err := base64.StdEncoding.DecodeString(policy)
	if err != nil {
		return nil
	}
	var p struct {
		Expiration string `json:"expiration"`
	}
	if json.Unmarshal(data, &p) != nil {
		return nil
	}
	if at, err := time.Parse(time.RFC3339, p.Expiration); err == nil && at.Before(time.Now()) {
		return fmt.Errorf("presigned POST form expired at %s", at.UTC().Format(time.RFC3339))
	}
	return nil
}

// redacted is the form's URL without user, query or fragment.
func (f *form) redacted() string {
	return f.url.Scheme + "://" + f.url.Host + f.url.EscapedPath()
}

// post sends the archive at path: the fields in order, then the file part
// (S3 ignores fields after it), streamed from disk with an exact
// Content-Length. It returns the form's URL with the key.
func (f *form) post(ctx context.Context, path string) (string, error) {
	file, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer file.Close()
	fi, err := file.Stat()
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, fl := range f.fields {
		if err := mw.WriteField(fl.name, fl.value); err != nil {
			return "", err
		}
	}
	if _, err := mw.CreateFormFile("file", filepath.Base(path)); err != nil {
		return "", err
	}
	headLen := buf.Len()
	mw.Close() // writes the closing boundary after the head
	head, tail := buf.Bytes()[:headLen], buf.Bytes()[headLen:]
	body := func() io.Reader {
		return io.MultiReader(bytes.NewReader(head), io.NewSectionReader(file, 0, fi.Size()), bytes.NewReader(tail))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.url.String(), body())
	if err != nil {
		return "", errors.New("presigned POST: bad URL")
	}
	req.ContentLength = int64(len(head)) + fi.Size() + int64(len(tail))
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(body()), nil }
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := httpClient.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // without the URL and its query
		}
		return "", fmt.Errorf("presigned POST to %s: %w", f.redacted(), err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return "", fmt.Errorf("presigned POST to %s: %s", f.redacted(), responseError(resp))
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	key, _ := f.field("key")
	key = strings.ReplaceAll(key, "${filename}", filepath.Base(path))
	return strings.TrimSuffix(f.redacted(), "/") + "/" + key, nil
}

// responseError describes an S3 error response: its code and message, or
// the HTTP status.
func responseError(resp *http.Response) string {
	var e struct {
		Code    string
		Message string
	}
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	msg := resp.Status
	if xml.Unmarshal(data, &e) == nil && e.Code != "" {
		msg = e.Code
		if m := strings.TrimSuffix(e.Message, "."); m != "" {
			msg += ": " + m
		}
		msg += " (HTTP " + resp.Status + ")"
	}
	return msg
}
