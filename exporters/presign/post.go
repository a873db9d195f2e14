package presign

import (
	"bytes"
	"context"
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

// stallTimeout bounds how long a POST may go without progress: without
// the server taking more of the file, or, once it is sent, without an
// answer. An upload of gigabytes has no sensible overall deadline, but a
// dead connection must not hold it for ever.
var stallTimeout = 5 * time.Minute

// StatusError is a POST that the server refused.
type StatusError struct {
	URL        string // Redacted
	StatusCode int
	// Reason is S3's error code and message with the HTTP status, or the
	// status alone.
	Reason string
}

func (e *StatusError) Error() string {
	return "presigned POST to " + e.URL + ": " + e.Reason
}

// Post sends the file at path with client (a default one if nil): the
// fields in order, then the file part (S3 ignores fields after it),
// named as the file, streamed from disk with an exact Content-Length,
// which S3 requires. Any 2xx answer is success; any other is a
// *StatusError. A POST making no progress for minutes fails.
func (f *Form) Post(ctx context.Context, client *http.Client, path string) error {
	if client == nil {
		client = http.DefaultClient
	}
	file, err := os.Open(path)
	if err != nil {
		return err
	}
	defer file.Close()
	fi, err := file.Stat()
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, fl := range f.fields {
		if err := mw.WriteField(fl.Name, fl.Value); err != nil {
			return err
		}
	}
	if _, err := mw.CreateFormFile(f.fileField, filepath.Base(path)); err != nil {
		return err
	}
	headLen := buf.Len()
	mw.Close() // writes the closing boundary after the head
	head, tail := buf.Bytes()[:headLen], buf.Bytes()[headLen:]

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	stalled := fmt.Errorf("no progress for %s", stallTimeout)
	watchdog := time.AfterFunc(stallTimeout, func() { cancel(stalled) })
	defer watchdog.Stop()
	body := func() io.Reader {
		r := io.MultiReader(bytes.NewReader(head), io.NewSectionReader(file, 0, fi.Size()), bytes.NewReader(tail))
		return &progressReader{r: r, progress: func() { watchdog.Reset(stallTimeout) }}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.url.String(), body())
	if err != nil {
		return errors.New("presigned POST: bad URL")
	}
	req.ContentLength = int64(len(head)) + fi.Size() + int64(len(tail))
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(body()), nil }
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // without the URL and its query
		}
		if cause := context.Cause(ctx); errors.Is(cause, stalled) {
			err = cause
		}
		return fmt.Errorf("presigned POST to %s: %w", f.Redacted(), err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return &StatusError{URL: f.Redacted(), StatusCode: resp.StatusCode, Reason: responseError(resp)}
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	return nil
}

// progressReader calls progress after each read that returns data.
type progressReader struct {
	r        io.Reader
	progress func()
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if n > 0 {
		p.progress()
	}
	return n, err
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
