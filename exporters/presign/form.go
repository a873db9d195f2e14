// Package presign sends a file with a presigned POST form, as S3 and the
// services in front of it hand them out: a URL and fields (a key, a
// policy, a signature...) to send as multipart/form-data before the file.
// The s3 exporter reads forms from its options; the buildkite exporter
// gets them from Buildkite's API.
//
// Field values are secrets (a signed policy is a credential until it
// expires), and so is the URL's query, which some services sign: neither
// appears in errors, which name the URL without its query (Redacted).
package presign

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
)

// DefaultFileField is the name of the file's part in S3's forms.
const DefaultFileField = "file"

// Form is a presigned POST form. Its methods do not modify it, so one Form
// may be posted from several goroutines.
type Form struct {
	url *url.URL
	// fields are sent in this order, before the file.
	fields []Field
	// fileField names the file's part.
	fileField string
}

// URL returns a copy of the form's URL, to check where the form sends.
func (f *Form) URL() url.URL { return *f.url }

// Field is one form field.
type Field struct{ Name, Value string }

// Parse reads a form: its URL (http or https), its fields as a JSON
// object of strings whose order is kept, and the name of the file's part
// ("" for DefaultFileField), which no field may have.
func Parse(rawURL string, fields []byte, fileField string) (*Form, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.New("presigned POST: the URL is not an http or https URL")
	}
	if fileField == "" {
		fileField = DefaultFileField
	}
	f := &Form{url: u, fileField: fileField}
	if f.fields, err = DecodeFields(fields); err != nil {
		return nil, fmt.Errorf("presigned POST fields: %w", err)
	}
	if _, ok := f.Field(fileField); ok {
		return nil, fmt.Errorf("presigned POST fields: a %s field, which the upload adds", fileField)
	}
	return f, nil
}

// DecodeFields decodes a JSON object of strings, keeping its order. A
// name given twice, in any case, is an error: S3 reads names
// case-insensitively. Errors name fields, never their values.
func DecodeFields(data []byte) ([]Field, error) {
	bad := errors.New("a JSON object of strings expected")
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, bad
	}
	var fields []Field
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
			if strings.EqualFold(f.Name, name.(string)) {
				return nil, fmt.Errorf("field %s given twice", name)
			}
		}
		fields = append(fields, Field{name.(string), v})
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('}') {
		return nil, bad
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, bad
	}
	return fields, nil
}

// Field returns the value of the field named name, in any case, as S3
// reads them.
func (f *Form) Field(name string) (string, bool) {
	for _, fl := range f.fields {
		if strings.EqualFold(fl.Name, name) {
			return fl.Value, true
		}
	}
	return "", false
}

// Expired fails if the form's policy says it has expired. A policy it
// cannot read is the server's business.
func (f *Form) Expired() error {
	policy, _ := f.Field("policy")
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

// Redacted is the form's URL without user, query or fragment.
func (f *Form) Redacted() string {
	return f.url.Scheme + "://" + f.url.Host + f.url.EscapedPath()
}
