package s3

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	s3api "github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/git-backfill/git-backfill/exporters/archive"
)

const (
	minPartSize     = 5 << 20 // S3's minimum, but for the last part
	defaultPartSize = 16 << 20
	maxParts        = 10000 // S3's maximum
)

// destination is where archives go: a bucket through the S3 API, or a
// presigned POST form.
type destination struct {
	level int // gzip level of the archive

	client    *s3api.Client
	bucket    string
	prefix    string
	partSize  int64
	checksums bool // send CRC32 checksums of parts
	// contentType is the Content-Type of uploads; "" for a gzip archive.
	contentType string

	form *form // presigned-POST mode when set
}

// readOptions reads the s3 exporter's options (see the package comment);
// it returns the output option apart, as only the exporter uses it.
func readOptions(ctx context.Context, options map[string]string) (*destination, string, error) {
	opts, err := archive.NewOptions(options)
	if err != nil {
		return nil, "", err
	}
	d := &destination{}
	output := opts.Get("output")
	if d.level, err = opts.Level(); err != nil {
		return nil, "", err
	}
	apiKeys := []string{"bucket", "prefix", "region", "endpoint", "partSize"}
	api := map[string]string{}
	for _, k := range apiKeys {
		api[k] = opts.Get(k)
	}
	formFile, postURL, postFields := opts.Get("presignedForm"), opts.Get("presignedUrl"), opts.Get("presignedFields")
	if err := opts.Unknown(); err != nil {
		return nil, "", err
	}
	if formFile == "" && postURL == "" && postFields == "" {
		return d, output, d.readAPIOptions(ctx, api)
	}
	for _, k := range apiKeys {
		if api[k] != "" {
			return nil, "", fmt.Errorf("option %s does not apply to a presigned POST", k)
		}
	}
	if formFile != "" {
		if postURL != "" || postFields != "" {
			return nil, "", errors.New("option presignedForm excludes presignedUrl and presignedFields")
		}
		d.form, err = readFormFile(formFile)
	} else {
		d.form, err = parseForm(postURL, []byte(postFields))
	}
	return d, output, err
}

// readAPIOptions reads the options of uploads through the S3 API.
func (d *destination) readAPIOptions(ctx context.Context, api map[string]string) error {
	d.bucket, d.prefix = api["bucket"], api["prefix"]
	if d.bucket == "" {
		return errors.New("option bucket is required (or presignedForm, or presignedUrl with presignedFields)")
	}
	d.partSize = defaultPartSize
	if s := api["partSize"]; s != "" {
		n, err := parseSize(s)
		if err != nil || n < minPartSize {
			return fmt.Errorf("option partSize: %q is not a size of at least 5m", s)
		}
		d.partSize = n
	}
	if ep := api["endpoint"]; ep != "" {
		u, err := url.Parse(ep)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return errors.New("option endpoint: not an http or https URL")
		}
		if u.User != nil || u.RawQuery != "" {
			return errors.New("option endpoint: a URL without credentials or query expected")
		}
	}
	var err error
	d.client, d.checksums, err = newClient(ctx, api["region"], api["endpoint"])
	return err
}

// parseSize reads a byte count with an optional k, m or g suffix (1024
// multiples), as git config does.
func parseSize(s string) (int64, error) {
	if s == "" {
		return 0, errors.New("empty size")
	}
	mult := int64(1)
	switch strings.ToLower(s[len(s)-1:]) {
	case "k":
		mult = 1 << 10
	case "m":
		mult = 1 << 20
	case "g":
		mult = 1 << 30
	}
	if mult > 1 {
		s = s[:len(s)-1]
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("bad size %q", s)
	}
	return n * mult, nil
}

// check checks access before the export's work: see the package comment.
func (d *destination) check(ctx context.Context) error {
	if d.form != nil {
		return d.form.check()
	}
	return d.probe(ctx)
}

// send uploads the archive at path and returns where it went.
func (d *destination) send(ctx context.Context, path string) (string, error) {
	if d.form != nil {
		return d.form.post(ctx, path)
	}
	key := d.prefix + filepath.Base(path)
	if err := d.multipart(ctx, path, key, ""); err != nil {
		return "", err
	}
	return "s3://" + d.bucket + "/" + key, nil
}

// uploadTokenKey is the metadata key (x-amz-meta-git-backfill-upload) of
// the token sendNew gives its upload, to recognise it.
const uploadTokenKey = "git-backfill-upload"

// sendNew uploads the archive at path under a key that no object has:
// prefix + its file name, or with a "-2", "-3"... suffix when taken (two
// exports in one second). It returns the key. It needs the S3 API. A
// completion refused because the key is taken may be our own, whose
// response was lost and whose retry found it there: the token says.
func (d *destination) sendNew(ctx context.Context, path string) (string, error) {
	return d.sendNewAs(ctx, path, strings.TrimSuffix(filepath.Base(path), archive.Ext), archive.Ext)
}

// sendNewAs is sendNew for the key prefix + base + ext, or with a "-2",
// "-3"... suffix after base when taken.
func (d *destination) sendNewAs(ctx context.Context, path, base, ext string) (string, error) {
	token := strings.ToLower(rand.Text())
	for i := 1; i <= 100; i++ {
		key := d.prefix + base + ext
		if i > 1 {
			key = fmt.Sprintf("%s%s-%d%s", d.prefix, base, i, ext)
		}
		if found, _ := d.head(ctx, key); found {
			continue
		}
		err := d.multipart(ctx, path, key, token)
		var api *apiError
		if errors.As(err, &api) && lostRace(api.err) {
			if _, theirs := d.head(ctx, key); theirs == token {
				return key, nil
			}
			continue // taken while we uploaded
		}
		return key, err
	}
	return "", fmt.Errorf("no free key for %s under s3://%s/%s", base+ext, d.bucket, d.prefix)
}

// head reports whether an object is at key and its upload token ("" if
// none). An error counts as no object: the conditional upload has the
// last word.
func (d *destination) head(ctx context.Context, key string) (found bool, token string) {
	out, err := d.client.HeadObject(ctx, &s3api.HeadObjectInput{Bucket: aws.String(d.bucket), Key: aws.String(key)})
	if err != nil {
		return false, ""
	}
	return true, out.Metadata[uploadTokenKey]
}
