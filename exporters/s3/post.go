package s3

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/git-backfill/git-backfill/exporters/presign"
)

// httpClient sends presigned POSTs; tests may replace it.
var httpClient = &http.Client{}

// form is a presigned POST form (see package presign) with a key field.
// Its field values (policy, signature, credential) are secrets: they never
// appear in errors.
type form struct {
	*presign.Form
}

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
// whose order is kept. The file goes in S3's part, "file".
func parseForm(rawURL string, fields []byte) (*form, error) {
	f, err := presign.Parse(rawURL, fields, presign.DefaultFileField)
	if err != nil {
		return nil, err
	}
	if _, ok := f.Field("key"); !ok {
		return nil, errors.New("presigned POST fields: no key field")
	}
	return &form{f}, nil
}

// check fails if the form's policy says it has expired.
func (f *form) check() error { return f.Expired() }

// post sends the archive at path and returns the form's URL with the key,
// where "${filename}" becomes the archive's file name, as S3 does.
func (f *form) post(ctx context.Context, path string) (string, error) {
	if err := f.Post(ctx, httpClient, path); err != nil {
		return "", err
	}
	key, _ := f.Field("key")
	key = strings.ReplaceAll(key, "${filename}", filepath.Base(path))
	return strings.TrimSuffix(f.Redacted(), "/") + "/" + key, nil
}
