// Package buildkite is the built-in exporter that does what Buildkite Test
// Engine's "bktec tools backfill-commit-metadata" does: it exports the
// commits Buildkite lists for a suite, in Buildkite's archive format, and
// uploads the archive with a presigned form from Buildkite's API.
//
// The host calls CommitList before any git work, when this exporter is
// chosen and no revision range is given: GET .../suites/{suite}/commits
// lists the commits seen in the suite's test runs of the last days days
// (an empty list: nothing to do). Configure then asks for an upload form
// (POST .../commit-metadata-backfill/presigned-upload), still before any
// git work, so a refused token or suite fails at once; with option output
// it looks the suite up instead (GET .../suites/{suite}) for its ids. End
// writes the archive and, without output, sends it: the form's fields in
// their order, then the archive in the form's file_input part, with a
// Content-Length. A form refused with a 403 (expired, after a long
// export) is replaced once. If the upload fails, the archive is kept and
// End returns a *exporters.KeptError naming it; Upload sends it later
// ("git backfill export --upload=<archive>"). An export of no commits
// uploads nothing, as bktec.
//
// Options (keys of backfill.exporter.<name>, compared case-insensitively)
// and their environment variables, bktec's. An option wins over its
// variable, as bktec's flags win over theirs; a variable set but empty
// counts as unset.
//
//	organizationSlug    BUILDKITE_ORGANIZATION_SLUG (required)
//	suiteSlug           BUILDKITE_TEST_ENGINE_SUITE_SLUG (required)
//	baseUrl             BUILDKITE_TEST_ENGINE_BASE_URL; default
//	                    https://api.buildkite.com (http only on loopback)
//	days                BUILDKITE_TEST_ENGINE_BACKFILL_DAYS: the commit
//	                    list's window; default 90
//	remote              BUILDKITE_TEST_ENGINE_REMOTE, then
//	                    BUILDKITE_TEST_ENGINE_BACKFILL_REMOTE: the remote's
//	                    name in metadata.json; default origin
//	output              write the archive here instead of uploading it: a
//	                    file name, or a directory, as the tar exporter's
//	                    output; default: built in <os.TempDir()>/git-backfill-<uid>/
//	                    (private), removed once uploaded
//	compressionLevel    gzip level, 1 to 9; default 6
//	accessTokenCommand  a shell command (sh -c) whose standard output is
//	                    the API access token
//
// The API access token (scopes read_suites, and write_suites to upload)
// comes from accessTokenCommand, else BUILDKITE_TEST_ENGINE_API_ACCESS_TOKEN,
// else, inside a Buildkite job (BUILDKITE_JOB_ID set and buildkite-agent
// on PATH), from "buildkite-agent oidc request-token" for the suite's
// URL, unless BUILDKITE_TEST_ENGINE_OIDC=false. A token from a command or
// OIDC is asked for again once if the API refuses it (401). An option
// "accessToken" is refused: option values live in configuration files
// and on command lines that others may read. The token never appears in
// errors, results or archives.
//
// BUILDKITE_TEST_ENGINE_SKIP_DIFFS and BUILDKITE_TEST_ENGINE_BACKFILL_CONCURRENCY
// govern the git work: the host reads them (git-backfill's own
// settings); the exporter does not.
//
// Every API call carries "Authorization: Bearer <token>", is bounded in
// time, and is tried up to three times on a 5xx, a 429 or a network
// error, with backoff. Errors name the call, the HTTP status and a short
// excerpt of the answer.
//
// The archive is bktec's: a gzip tar of one directory,
// backfill-<org>-<suite>-<UTC time>/ (time as 20261122T031500.000Z),
// holding metadata.json then commit-metadata.jsonl (bktec writes them in
// the other order; package archive needs the metadata first), in a file
// named, in a directory output or when kept,
// bktec-commit-metadata-<UTC time>.tar.gz.
// metadata.json holds bktec's keys in bktec's order: schema_version (2),
// tool, tool_version, generated_at, organization_slug, suite_slug,
// organization_uuid, suite_uuid, commit_count, skipped_commits, days,
// remote, skipped_diffs, min_commit_date, max_commit_date (both left out
// when no commit was exported), then ours: repository, remote_url,
// selection, diff_base, record_schema_version, archive_version.
package buildkite

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/exporters/archive"
)

// configureBudget bounds what Configure asks of Buildkite.
const configureBudget = 100 * time.Second

// Exporter builds an archive in Buildkite's format and uploads it. Its
// methods follow exporters.Exporter and are not safe for concurrent use.
type Exporter struct {
	settings Settings
	client   *Client
	// up is the upload form, nil when the archive stays local (output).
	up  *PresignedUpload
	ids Suite
	out archive.Output
	w   *archive.Writer
}

// New returns an unconfigured buildkite exporter.
func New() exporters.Exporter { return &Exporter{} }

// Configure reads the settings, gets an access token, checks that the
// output directory is writable and, before any git work, asks Buildkite
// for an upload form, or with option output for the suite's ids.
func (e *Exporter) Configure(ctx context.Context, options map[string]string) error {
	// The token and the form, retries included, within one bound below
	// the host's limit for Configure (2 minutes), so that a slow API is
	// reported as such, not as a plugin that did not answer.
	ctx, cancel := context.WithTimeout(ctx, configureBudget)
	defer cancel()
	s, err := ReadSettings(options, nil)
	if err != nil {
		return err
	}
	output := s.Output
	if output == "" {
		if output, err = archive.PrivateDir(); err != nil {
			return err
		}
	}
	if e.out, err = archive.ParseOutput(output); err != nil {
		return err
	}
	c, err := NewClient(ctx, s)
	if err != nil {
		return err
	}
	if s.Output != "" {
		if e.ids, err = c.Suite(ctx); err != nil {
			return err
		}
	} else {
		if e.up, err = c.PresignedUpload(ctx); err != nil {
			return err
		}
		e.ids = Suite{ID: e.up.SuiteID, OrganizationID: e.up.OrganizationID}
	}
	e.settings, e.client = s, c
	return nil
}

// Begin starts the archive. A zero meta.GeneratedAt is taken as now.
func (e *Exporter) Begin(ctx context.Context, meta exporters.Metadata) error {
	if e.client == nil {
		return errors.New("begin before configure")
	}
	if meta.GeneratedAt.IsZero() {
		meta.GeneratedAt = time.Now()
	}
	s, ids := e.settings, e.ids
	perm := os.FileMode(0o644)
	if e.up != nil {
		perm = 0o600 // in the private directory, until uploaded
	}
	w, err := e.out.Create(meta, s.CompressionLevel, perm,
		archive.WithDir(dirName(s.OrganizationSlug, s.SuiteSlug, meta.GeneratedAt)),
		archive.WithFileName(fileName(meta.GeneratedAt)),
		archive.WithMetadata(func(summary exporters.Summary) ([]byte, error) {
			return newMetadata(s, ids, meta, summary)
		}))
	if err != nil {
		return err
	}
	e.w = w
	return nil
}

// Write adds records to the archive.
func (e *Exporter) Write(ctx context.Context, records [][]byte) error {
	if e.w == nil {
		return errors.New("write before begin")
	}
	return e.w.Write(records)
}

// End writes the archive and, unless it is to stay local (output), uploads
// it and removes it. Result.Location is the form's URI (s3://...), or the
// archive's path with output; Bytes is its size. An export of no records
// uploads nothing: Location is then empty. If the upload fails, the error
// is a *exporters.KeptError with the archive's absolute path.
func (e *Exporter) End(ctx context.Context, summary exporters.Summary) (exporters.Result, error) {
	if e.w == nil {
		return exporters.Result{}, errors.New("end before begin")
	}
	path, size, err := e.w.CloseKeep(summary)
	if err != nil {
		return exporters.Result{}, err
	}
	res := exporters.Result{Location: path, Records: e.w.Records(), Bytes: size}
	if e.up == nil {
		return res, nil
	}
	if res.Records == 0 {
		os.Remove(path)
		return exporters.Result{}, nil
	}
	uri, err := e.client.send(ctx, e.up, path)
	if err != nil {
		return exporters.Result{}, &exporters.KeptError{Path: path, Err: fmt.Errorf("uploading the archive to Buildkite: %w", err)}
	}
	// The archive is delivered; a failure to remove the local copy loses
	// nothing and is not the export's.
	os.Remove(path)
	res.Location = uri
	return res, nil
}

// Abort removes the temporary files of an unfinished archive. An archive
// kept after a failed upload stays.
func (e *Exporter) Abort(ctx context.Context, reason string) error {
	if e.w == nil {
		return nil
	}
	return e.w.Abort()
}
