package buildkite

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

var osGetenv = os.Getenv

// tokenTimeout bounds a token command or an OIDC request.
var tokenTimeout = 30 * time.Second

// oidcLifetime is the lifetime asked of OIDC tokens, bktec's default. A
// client asks for a new one when the API refuses an old one (401).
const oidcLifetime = 2 * time.Hour

// secret is a token. It prints as [redacted], so a slip of %v or %s in an
// error or a log does not leak it.
type secret string

func (secret) String() string   { return "[redacted]" }
func (secret) GoString() string { return "[redacted]" }

// tokenSource gives the API access token: the accessTokenCommand
// option's output, else the environment's (EnvAccessToken), else, inside
// a Buildkite job, an OIDC token from buildkite-agent. A token from a
// command or OIDC can be asked for again (renew) when the API refuses it.
// Safe for concurrent use.
type tokenSource struct {
	get    func(ctx context.Context) (secret, error)
	renews bool   // get gives a new token each call
	origin string // where tokens come from, for errors

	mu      sync.Mutex
	current secret
}

// newTokenSource picks the token's source from s (see tokenSource): an
// option wins over the environment, as everywhere in Settings.
func newTokenSource(s Settings) (*tokenSource, error) {
	getenv := s.getenv
	if getenv == nil {
		getenv = osGetenv
	}
	if cmd := s.AccessTokenCommand; cmd != "" {
		return &tokenSource{renews: true, origin: "option accessTokenCommand", get: func(ctx context.Context) (secret, error) {
			return run(ctx, "the accessTokenCommand", "sh", "-c", cmd)
		}}, nil
	}
	if t := secret(strings.TrimSpace(getenv(EnvAccessToken))); t != "" {
		return &tokenSource{origin: EnvAccessToken, get: func(context.Context) (secret, error) { return t, nil }}, nil
	}
	if on, err := strconv.ParseBool(getenv(EnvOIDC)); err == nil && !on {
		return nil, fmt.Errorf("no access token: set %s or option accessTokenCommand (%s turns OIDC off)", EnvAccessToken, EnvOIDC)
	}
	agent, err := lookPath("buildkite-agent", getenv)
	if getenv(EnvJobID) == "" || err != nil {
		return nil, fmt.Errorf("no access token: set %s, or option accessTokenCommand, "+
			"or run in a Buildkite job (%s set, buildkite-agent on PATH) for an OIDC token", EnvAccessToken, EnvJobID)
	}
	// bktec's audience: the suite's API URL.
	audience := s.BaseURL + "/v2/analytics/organizations/" + s.OrganizationSlug + "/suites/" + s.SuiteSlug
	lifetime := strconv.Itoa(int(oidcLifetime.Seconds()))
	return &tokenSource{renews: true, origin: "buildkite-agent oidc request-token", get: func(ctx context.Context) (secret, error) {
		return run(ctx, "buildkite-agent oidc request-token", agent, "oidc", "request-token",
			"--audience", audience, "--lifetime", lifetime)
	}}, nil
}

// token returns the current token, getting one first if needed.
func (ts *tokenSource) token(ctx context.Context) (secret, error) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.current != "" {
		return ts.current, nil
	}
	t, err := ts.get(ctx)
	if err != nil {
		return "", err
	}
	ts.current = t
	return t, nil
}

// renew drops old, a token the API refused, so that the next call of
// token gets a new one (unless another call got one already). It reports
// whether the new one may differ: false for the environment's.
func (ts *tokenSource) renew(old secret) bool {
	if !ts.renews {
		return false
	}
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.current == old {
		ts.current = ""
	}
	return true
}

// run runs a program whose standard output is a token, for at most
// tokenTimeout. Its error says what failed, with the last line of the
// program's standard error, never its standard output.
func run(ctx context.Context, what, name string, args ...string) (secret, error) {
	ctx, cancel := context.WithTimeout(ctx, tokenTimeout)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = time.Second
	// "sh -c" may leave children (the command's own) holding the pipes:
	// the whole process group goes at the deadline.
	inOwnGroup(cmd)
	err := cmd.Run()
	if ctx.Err() == context.DeadlineExceeded {
		return "", fmt.Errorf("getting a token with %s: no answer in %s", what, tokenTimeout)
	}
	if err != nil {
		msg := lastLine(stderr.String())
		if msg != "" {
			msg = ": " + msg
		}
		return "", fmt.Errorf("getting a token with %s: %v%s", what, err, msg)
	}
	t := strings.TrimSpace(stdout.String())
	if t == "" {
		return "", fmt.Errorf("getting a token with %s: it printed nothing", what)
	}
	if strings.ContainsAny(t, "\r\n") {
		return "", fmt.Errorf("getting a token with %s: it printed several lines, where one token was expected", what)
	}
	return secret(t), nil
}

// lastLine is the last non-empty line of s, at most 200 bytes.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return truncate(strings.TrimSpace(lines[len(lines)-1]), 200)
}

// lookPath finds an executable in the PATH of getenv. Empty and relative
// entries are skipped: they name the current directory, a work tree
// whose programs are not to be run.
func lookPath(file string, getenv func(string) string) (string, error) {
	for _, dir := range filepath.SplitList(getenv("PATH")) {
		if dir == "" || !filepath.IsAbs(dir) {
			continue
		}
		if path, err := exec.LookPath(filepath.Join(dir, file)); err == nil {
			return path, nil
		}
	}
	return "", errors.New(file + ": not found in PATH")
}
