package buildkite

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/git-backfill/git-backfill/exporters/presign"
)

// Commits returns the ids of the commits that Buildkite saw in the suite's
// test runs of the last days days, in the API's order, each once: GET
// .../suites/{suite}/commits?days={days}, one id per line. An empty list
// is no error. An id that is not hexadecimal (4 to 64 digits) is, so that
// nothing the server says reaches git as an option.
func (c *Client) Commits(ctx context.Context, days int) ([]string, error) {
	r := request{what: "fetching the commit list", method: http.MethodGet,
		path: c.suitePath() + "/commits?days=" + strconv.Itoa(days), accept: "text/plain", limit: maxCommits,
		timeout: commitsTimeout}
	body, err := c.do(ctx, r)
	if err != nil {
		return nil, err
	}
	var ids []string
	seen := map[string]bool{}
	for i, line := range strings.Split(string(body), "\n") {
		id := strings.TrimSpace(line)
		if id == "" || seen[id] {
			continue
		}
		if !isHex(id) {
			return nil, fmt.Errorf("%s: line %d of the answer, %q, is not a commit id", r.what, i+1, truncate(id, 80))
		}
		seen[id] = true
		ids = append(ids, id)
	}
	return ids, nil
}

// isHex reports whether s is a full object id: 40 hex digits (SHA-1) or
// 64 (SHA-256), which is what git-backfill's list reader takes; an
// abbreviation is refused here, before any git work, with its line.
func isHex(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F') {
			return false
		}
	}
	return true
}

// PresignedUpload is where an archive goes: Buildkite's answer to a
// presigned upload request.
type PresignedUpload struct {
	// URI is where the archive will be, s3://bucket/key: the Result's
	// Location. Not a secret.
	URI string
	// Form is the presigned POST form to send the archive with.
	Form *presign.Form
	// OrganizationID and SuiteID are the UUIDs written to metadata.json.
	OrganizationID string
	SuiteID        string
}

// PresignedUpload asks for a form to upload an archive with: POST
// .../suites/{suite}/commit-metadata-backfill/presigned-upload. Each call
// gives a new form; an answer without a form, a URI or the ids is an
// error.
func (c *Client) PresignedUpload(ctx context.Context) (*PresignedUpload, error) {
	r := request{what: "asking for an upload form", method: http.MethodPost,
		path: c.suitePath() + "/commit-metadata-backfill/presigned-upload"}
	var ans struct {
		URI  string `json:"uri"`
		Form struct {
			Method    string          `json:"method"`
			URL       string          `json:"url"`
			Data      json.RawMessage `json:"data"`
			FileInput string          `json:"file_input"`
		} `json:"form"`
		OrganizationID string `json:"organization_id"`
		SuiteID        string `json:"suite_id"`
	}
	if err := c.getJSON(ctx, r, &ans); err != nil {
		return nil, err
	}
	bad := func(err error) error { return fmt.Errorf("%s: the answer of %s: %w", r.what, c.base+r.path, err) }
	if ans.OrganizationID == "" || ans.SuiteID == "" {
		return nil, bad(errors.New("no organization_id or suite_id"))
	}
	if ans.URI == "" {
		return nil, bad(errors.New("no uri"))
	}
	if m := ans.Form.Method; m != "" && !strings.EqualFold(m, http.MethodPost) {
		return nil, bad(fmt.Errorf("a form of method %q, where POST was expected", truncate(m, 20)))
	}
	if len(ans.Form.Data) == 0 {
		ans.Form.Data = json.RawMessage("{}")
	}
	form, err := presign.Parse(ans.Form.URL, ans.Form.Data, ans.Form.FileInput)
	if err != nil {
		return nil, bad(err)
	}
	// The form's fields are credentials: never in clear text, but to a
	// test server or proxy on this machine.
	if u := form.URL(); u.Scheme != "https" && !loopback(u.Hostname()) {
		return nil, bad(fmt.Errorf("an upload URL that is not https (%s://%s)", u.Scheme, u.Host))
	}
	return &PresignedUpload{URI: ans.URI, Form: form, OrganizationID: ans.OrganizationID, SuiteID: ans.SuiteID}, nil
}

// Suite is a Test Engine suite's identity.
type Suite struct {
	ID             string `json:"id"`
	OrganizationID string `json:"organization_id"`
}

// Suite looks the suite up, for the ids metadata.json holds when the
// archive is written locally: GET .../suites/{suite}. An answer without
// them is an error.
func (c *Client) Suite(ctx context.Context) (Suite, error) {
	r := request{what: "looking up the suite", method: http.MethodGet, path: c.suitePath()}
	var s Suite
	if err := c.getJSON(ctx, r, &s); err != nil {
		return Suite{}, err
	}
	if s.ID == "" || s.OrganizationID == "" {
		return Suite{}, fmt.Errorf("%s: the answer of %s has no id or organization_id", r.what, c.base+r.path)
	}
	return s, nil
}

// CommitList returns the commits to export with the buildkite exporter
// whose options are given (getenv reads the environment; os.Getenv if
// nil): Client.Commits over the settings' days. The host calls it before
// any git work when the exporter is chosen and no revision range is; an
// empty list means there is nothing to do.
func CommitList(ctx context.Context, options map[string]string, getenv func(string) string) ([]string, error) {
	s, err := ReadSettings(options, getenv)
	if err != nil {
		return nil, err
	}
	c, err := NewClient(ctx, s)
	if err != nil {
		return nil, err
	}
	return c.Commits(ctx, s.Days)
}
