package buildkite

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/exporters/archive"
	"github.com/git-backfill/git-backfill/exporters/presign"
)

// uploadClient sends the form without following redirects: a redirect
// would carry the form's credentials, possibly from https to http.
var uploadClient = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// send uploads the archive at path with up's form and returns the URI it
// went to. A form whose policy says it has expired is replaced before
// anything is sent. S3 refuses an expired form with a 403, possibly only
// after the whole archive: then one new form is asked for and the
// archive sent once more, as bktec does.
func (c *Client) send(ctx context.Context, up *PresignedUpload, path string) (string, error) {
	if up.Form.Expired() != nil {
		fresh, err := c.PresignedUpload(ctx)
		if err != nil {
			return "", fmt.Errorf("replacing an expired upload form: %w", err)
		}
		up = fresh
	}
	err := up.Form.Post(ctx, uploadClient, path)
	var refused *presign.StatusError
	if errors.As(err, &refused) && refused.StatusCode == http.StatusForbidden {
		fresh, ferr := c.PresignedUpload(ctx)
		if ferr != nil {
			return "", fmt.Errorf("%w; then %w", err, ferr)
		}
		up = fresh
		if err = up.Form.Post(ctx, uploadClient, path); err != nil {
			return "", fmt.Errorf("with a new upload form, after a first one was refused (HTTP 403): %w", err)
		}
	}
	if err != nil {
		return "", err
	}
	// Like the form's key, the URI may leave the file name to S3.
	return strings.ReplaceAll(up.URI, "${filename}", filepath.Base(path)), nil
}

// Upload sends an archive kept by a failed export, with the options of
// the buildkite exporter ("output" and "compressionLevel" are ignored),
// with a new presigned form (and, after a 403, one more). It checks first
// that the file is a whole archive of this exporter, for the suite the
// options name, and leaves it in place: the caller removes it once the
// upload succeeded, if it wants. Result.Location is the form's URI and
// Records the archive's commit count. The environment is the process's.
func Upload(ctx context.Context, options map[string]string, archivePath string) (exporters.Result, error) {
	// Every entry is checked: a kept archive sits in a directory that may
	// not be only ours, and what is uploaded is read by others.
	info, err := archive.Verify(archivePath)
	if err != nil {
		return exporters.Result{}, err
	}
	s, err := ReadSettings(options, nil)
	if err != nil {
		return exporters.Result{}, err
	}
	if err := checkSuite(archivePath, s); err != nil {
		return exporters.Result{}, err
	}
	fi, err := os.Stat(archivePath)
	if err != nil {
		return exporters.Result{}, err
	}
	c, err := NewClient(ctx, s)
	if err != nil {
		return exporters.Result{}, err
	}
	up, err := c.PresignedUpload(ctx)
	if err != nil {
		return exporters.Result{}, err
	}
	uri, err := c.send(ctx, up, archivePath)
	if err != nil {
		return exporters.Result{}, fmt.Errorf("uploading %s: %w", archivePath, err)
	}
	return exporters.Result{Location: uri, Records: info.CommitCount, Bytes: fi.Size()}, nil
}

// archiveSuite is what an archive's metadata.json says of its suite.
type archiveSuite struct {
	SchemaVersion    int    `json:"schema_version"`
	OrganizationSlug string `json:"organization_slug"`
	SuiteSlug        string `json:"suite_slug"`
}

func readArchiveSuite(path string) (archiveSuite, error) {
	var m archiveSuite
	r, err := archive.Open(path)
	if err != nil {
		return m, err
	}
	defer r.Close()
	if json.Unmarshal(r.RawInfo, &m) != nil || m.SchemaVersion != metadataVersion || m.SuiteSlug == "" {
		return m, fmt.Errorf("%s: not an archive in Buildkite's format (the buildkite exporter's): "+
			"its %s has no suite_slug or another schema_version than %d", path, archive.MetadataFile, metadataVersion)
	}
	return m, nil
}

// IsArchive reports whether the file at path is an archive in Buildkite's
// format, which --upload sends with the buildkite exporter when no
// exporter is named.
func IsArchive(path string) bool {
	_, err := readArchiveSuite(path)
	return err == nil
}

// checkSuite fails unless the archive at path is in Buildkite's format,
// for the organization and suite of s.
func checkSuite(path string, s Settings) error {
	m, err := readArchiveSuite(path)
	if err != nil {
		return err
	}
	if m.OrganizationSlug != s.OrganizationSlug || m.SuiteSlug != s.SuiteSlug {
		return fmt.Errorf("%s: an archive of suite %s/%s, not of %s/%s", path,
			truncate(m.OrganizationSlug, 100), truncate(m.SuiteSlug, 100), s.OrganizationSlug, s.SuiteSlug)
	}
	return nil
}
