package s3

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/git-backfill/git-backfill/exporters/exportertest"
	"github.com/git-backfill/git-backfill/exporters/s3/s3test"
)

func TestOptionErrors(t *testing.T) {
	s3test.AWSEnv(t, "access", "secret")
	dir := t.TempDir()
	expired := filepath.Join(dir, "expired.json")
	// {"expiration": "2020-01-01T00:00:00.000Z", "conditions": []}
	os.WriteFile(expired, []byte(`{"url": "https://b.s3.amazonaws.com/", "fields": {"key": "k",
		"policy": "eyJleHBpcmF0aW9uIjogIjIwMjAtMDEtMDFUMDA6MDA6MDAuMDAwWiIsICJjb25kaXRpb25zIjogW119"}}`), 0o600)
	notJSON := filepath.Join(dir, "form.txt")
	os.WriteFile(notJSON, []byte("url=https://x\n"), 0o600)
	for _, tc := range []struct {
		opts map[string]string
		want string
	}{
		{map[string]string{}, "option bucket is required (or presignedForm, or presignedUrl with presignedFields)"},
		{map[string]string{"bucket": "b", "partSize": "4m"}, `option partSize: "4m" is not a size of at least 5m`},
		{map[string]string{"bucket": "b", "partSize": "lots"}, `option partSize: "lots" is not a size of at least 5m`},
		{map[string]string{"bucket": "b", "endpoint": "localhost:9000"}, "option endpoint: not an http or https URL"},
		{map[string]string{"bucket": "b", "endpoint": "http://u:p@h/"}, "option endpoint: a URL without credentials or query expected"},
		{map[string]string{"bucket": "b", "compressionLevel": "0"}, `option compressionLevel: "0" is not a number from 1 to 9`},
		{map[string]string{"bucket": "b", "Bucket": "c"}, "option Bucket given twice (also as bucket)"},
		{map[string]string{"presignedurl": "https://h/", "presignedFields": `{"key":"k"}`, "region": "x"},
			"option region does not apply to a presigned POST"},
		{map[string]string{"presignedForm": expired, "presignedUrl": "https://h/"},
			"option presignedForm excludes presignedUrl and presignedFields"},
		{map[string]string{"presignedForm": expired}, "presigned POST form expired at 2020-01-01T00:00:00Z"},
		{map[string]string{"presignedForm": notJSON}, "option presignedForm: " + notJSON + ": not a JSON object with url and fields"},
		{map[string]string{"presignedForm": dir + "/missing"}, "option presignedForm: open " + dir + "/missing: no such file or directory"},
		{map[string]string{"presignedUrl": "https://h/?X-Amz-Signature=SECRET", "presignedFields": `["key"]`},
			"presigned POST fields: a JSON object of strings expected"},
		{map[string]string{"presignedUrl": "/relative?X-Amz-Signature=SECRET", "presignedFields": `{"key":"k"}`},
			"presigned POST: the URL is not an http or https URL"},
		{map[string]string{"presignedUrl": "https://h/", "presignedFields": `{"key":"k","n":1}`},
			"presigned POST fields: field n: a string expected"},
		{map[string]string{"presignedUrl": "https://h/", "presignedFields": `{"key":"k","Key":"j"}`},
			"presigned POST fields: field Key given twice"},
		{map[string]string{"presignedUrl": "https://h/", "presignedFields": `{"policy":"SECRET"}`},
			"presigned POST fields: no key field"},
		{map[string]string{"presignedUrl": "https://h/", "presignedFields": `{"key":"k","file":"x"}`},
			"presigned POST fields: a file field, which the upload adds"},
		{map[string]string{"presignedUrl": "https://h/", "presignedFields": `{"key":"k"} {}`},
			"presigned POST fields: a JSON object of strings expected"},
	} {
		tc.opts["output"] = dir
		err := New().Configure(t.Context(), tc.opts)
		if err == nil || err.Error() != tc.want {
			t.Errorf("Configure(%v):\n got %v\nwant %s", tc.opts, err, tc.want)
			continue
		}
		exportertest.CheckError(t, err)
	}
}

func TestParseSize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
	}{
		{"5242880", 5 << 20}, {"16m", 16 << 20}, {"16M", 16 << 20}, {"512k", 512 << 10}, {"1g", 1 << 30},
		{"", -1}, {"m", -1}, {"-5m", -1}, {"1.5m", -1}, {"99999999999999999g", -1},
	} {
		got, err := parseSize(tc.in)
		if (err != nil) != (tc.want < 0) || (err == nil && got != tc.want) {
			t.Errorf("parseSize(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
}

func TestUploadChecksTheArchive(t *testing.T) {
	s3test.AWSEnv(t, "access", "secret")
	dir := t.TempDir()
	notArchive := filepath.Join(dir, "notes.tar.gz")
	os.WriteFile(notArchive, []byte("this is not a gzip file at all"), 0o600)
	opts := map[string]string{"bucket": "b", "endpoint": "http://127.0.0.1:1"}
	for path, want := range map[string]string{
		dir + "/missing.tar.gz": "open " + dir + "/missing.tar.gz: no such file or directory",
		notArchive:              notArchive + ": not a git-backfill archive: gzip: invalid header",
	} {
		if _, err := Upload(t.Context(), opts, path); err == nil || err.Error() != want {
			t.Errorf("Upload(%s): %v, want %s", path, err, want)
		}
	}
}
