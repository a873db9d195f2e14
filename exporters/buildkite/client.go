package buildkite

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Retries and time limits of API calls. Tests shorten retryDelay.
var (
	// attempts bounds the tries of one call: a 5xx, a 429 or a network
	// error is tried again, after retryDelay, then twice that, with
	// jitter; a 429's Retry-After is honoured up to maxRetryDelay.
	attempts      = 3
	retryDelay    = time.Second
	maxRetryDelay = 10 * time.Second
	// callTimeout bounds each attempt, its answer read whole (what
	// Configure asks, retries included, is bounded by configureBudget);
	// commitsTimeout bounds the commit list's, which may be long and is
	// fetched by the host.
	callTimeout    = 20 * time.Second
	commitsTimeout = time.Minute
)

// Bounds of the answers read.
const (
	maxJSON    = 1 << 20
	maxCommits = 256 << 20 // a year of a busy monorepo is some MiB
	maxExcerpt = 200       // bytes of an error answer quoted in an error
)

// Client calls Buildkite's Test Engine API for one suite. Every request
// carries "Authorization: Bearer <token>"; the token appears in no error.
// A Client is safe for concurrent use.
type Client struct {
	base   string // without a trailing slash
	org    string
	suite  string
	tokens *tokenSource
	http   *http.Client
}

// NewClient returns a client of the suite that s names, with its access
// token (see the package comment for where it comes from), which it gets
// now so that a missing one fails early.
func NewClient(ctx context.Context, s Settings) (*Client, error) {
	tokens, err := newTokenSource(s)
	if err != nil {
		return nil, err
	}
	if _, err := tokens.token(ctx); err != nil {
		return nil, err
	}
	return &Client{base: s.BaseURL, org: s.OrganizationSlug, suite: s.SuiteSlug, tokens: tokens,
		http: &http.Client{
			// A redirect could carry the token elsewhere: none is followed.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}}, nil
}

// suitePath is the API path of the client's suite.
func (c *Client) suitePath() string {
	return "/v2/analytics/organizations/" + url.PathEscape(c.org) + "/suites/" + url.PathEscape(c.suite)
}

// request is one API call.
type request struct {
	what    string // what the call does, for errors: "fetching the commit list"
	method  string
	path    string // below the base URL, with its query
	accept  string
	limit   int64         // bytes of answer read at most
	timeout time.Duration // of each attempt; callTimeout if 0
}

// do makes the call, tried again as the attempts variable says, and
// returns the body of its 2xx answer.
func (c *Client) do(ctx context.Context, r request) ([]byte, error) {
	var last error
	renewed := false
	for attempt := 1; ; attempt++ {
		tok, err := c.tokens.token(ctx)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", r.what, err)
		}
		body, status, wait, err := c.once(ctx, r, tok)
		if err == nil {
			return body, nil
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%s: %s %s: %w", r.what, r.method, c.base+r.path, context.Cause(ctx))
		}
		last = err
		switch {
		case status == http.StatusUnauthorized && !renewed && c.tokens.renew(tok):
			// An OIDC token or a command's may have expired during a
			// long export: get a new one, once.
			renewed = true
			continue
		case status == http.StatusUnauthorized:
			return nil, fmt.Errorf("%s: %s %s: %w (the token from %s)", r.what, r.method, c.base+r.path, err, c.tokens.origin)
		case status != 0 && !retryable(status):
			return nil, fmt.Errorf("%s: %s %s: %w", r.what, r.method, c.base+r.path, err)
		case attempt >= attempts:
			return nil, fmt.Errorf("%s: %s %s: %w (after %d attempts)", r.what, r.method, c.base+r.path, last, attempt)
		}
		if wait <= 0 {
			wait = retryDelay << (attempt - 1)
			wait += rand.N(wait/4 + 1)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("%s: %s %s: %w (while waiting to try again after: %v)",
				r.what, r.method, c.base+r.path, context.Cause(ctx), last)
		case <-time.After(min(wait, maxRetryDelay)):
		}
	}
}

// once makes one attempt. It returns the answer's body, or its error and
// HTTP status (0 for a network error) and how long the server asked to
// wait (Retry-After), if it did.
func (c *Client) once(ctx context.Context, r request, tok secret) (body []byte, status int, wait time.Duration, err error) {
	timeout := cmp.Or(r.timeout, callTimeout)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, r.method, c.base+r.path, nil)
	if err != nil {
		return nil, 0, 0, errors.New("bad URL")
	}
	req.Header.Set("Authorization", "Bearer "+string(tok))
	req.Header.Set("Accept", r.accept)
	req.Header.Set("User-Agent", "git-backfill buildkite exporter")
	if r.method == http.MethodPost {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // without the URL, which the caller adds
		}
		if ctx.Err() == context.DeadlineExceeded {
			err = fmt.Errorf("no answer in %s", timeout)
		}
		return nil, 0, 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		body, _ = io.ReadAll(io.LimitReader(resp.Body, 1<<16))
		if s, perr := strconv.Atoi(resp.Header.Get("Retry-After")); perr == nil && s > 0 {
			wait = time.Duration(s) * time.Second
		}
		return nil, resp.StatusCode, wait, fmt.Errorf("HTTP %s%s", resp.Status, excerpt(body, tok))
	}
	body, err = io.ReadAll(io.LimitReader(resp.Body, r.limit+1))
	if err != nil {
		if ctx.Err() == context.DeadlineExceeded {
			err = fmt.Errorf("answer not read in %s", timeout)
		}
		return nil, 0, 0, fmt.Errorf("reading the answer: %w", err)
	}
	if int64(len(body)) > r.limit {
		return nil, resp.StatusCode, 0, fmt.Errorf("HTTP %s with an answer over %d bytes", resp.Status, r.limit)
	}
	return body, resp.StatusCode, 0, nil
}

// getJSON makes the call and decodes its JSON answer into v.
func (c *Client) getJSON(ctx context.Context, r request, v any) error {
	r.accept, r.limit = "application/json", maxJSON
	body, err := c.do(ctx, r)
	if err != nil {
		return err
	}
	// The answer is not quoted: an upload form's fields are secrets.
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("%s: %s %s: the answer is not the JSON expected: %w", r.what, r.method, c.base+r.path, err)
	}
	return nil
}

// excerpt quotes an error answer briefly: its JSON "message", else its
// start on one line, without the token should a server echo it.
func excerpt(body []byte, tok secret) string {
	var m struct {
		Message string `json:"message"`
	}
	s := string(body)
	if json.Unmarshal(body, &m) == nil && m.Message != "" {
		s = m.Message
	}
	if tok != "" {
		s = strings.ReplaceAll(s, string(tok), "[redacted]")
	}
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return ""
	}
	return ": " + truncate(s, maxExcerpt)
}

// truncate cuts s to at most n bytes, on a rune boundary, marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// retryable: the statuses of a server or proxy that may answer next time.
// 501 and 505 will not, nor will any 4xx but 429.
func retryable(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}
