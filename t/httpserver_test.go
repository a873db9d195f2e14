package t

import (
	"crypto/subtle"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"net/http/httputil"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"

	"github.com/rogpeppe/go-internal/testscript"
)

// httpserver start <root> [-auth <user>:<password>] [-tls] [-header <name>:<value>]:
// serves the repositories under root over git's smart HTTP: git's own
// http-backend as a CGI program behind a loopback server, protocol v2
// passed on as a web server would. It sets HTTP_URL (http://127.0.0.1:port,
// https with -tls, whose certificate authority goes to $WORK/http-ca.pem)
// and HTTP_HOST (127.0.0.1:port).
// With -auth every request needs that user (basic authentication, 401
// otherwise); with -header every request must carry that header (403
// otherwise). Paths under /moved/ are redirected (301) to the same path
// without it. Each request is logged to $WORK/http.log as
// "<method> <path> <status> auth=<none|ok|bad> protocol=<Git-Protocol>".
//
// httpproxy start: an HTTP proxy on loopback, logging each request it
// forwards to $WORK/proxy.log; sets HTTP_PROXY_URL.
func cmdHttpserver(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "httpserver")
	if len(args) < 2 || args[0] != "start" {
		ts.Fatalf("usage: httpserver start <root> [-auth user:password] [-tls] [-header name:value]")
	}
	gitPath, err := exec.LookPath("git")
	if err != nil {
		ts.Fatalf("httpserver: %v", err)
	}
	h := &gitHTTP{root: ts.MkAbs(args[1]), git: gitPath, log: newLineLog(ts, "http.log")}
	tls := false
	for i := 2; i < len(args); i++ {
		next := func() string {
			if i+1 >= len(args) {
				ts.Fatalf("httpserver: %s needs a value", args[i])
			}
			i++
			return args[i]
		}
		switch args[i] {
		case "-auth":
			var ok bool
			h.user, h.password, ok = strings.Cut(next(), ":")
			if !ok {
				ts.Fatalf("httpserver: -auth wants user:password")
			}
		case "-header":
			name, value, ok := strings.Cut(next(), ":")
			if !ok {
				ts.Fatalf("httpserver: -header wants name:value")
			}
			h.header, h.headerValue = name, strings.TrimSpace(value)
		case "-tls":
			tls = true
		default:
			ts.Fatalf("httpserver: unknown option %s", args[i])
		}
	}
	for _, k := range []string{"HOME", "GIT_CONFIG_NOSYSTEM", "PATH", "LC_ALL"} {
		h.env = append(h.env, k+"="+ts.Getenv(k))
	}
	srv := httptest.NewUnstartedServer(h)
	if tls {
		srv.StartTLS()
		ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
		if err := os.WriteFile(filepath.Join(ts.Getenv("WORK"), "http-ca.pem"), ca, 0o644); err != nil {
			ts.Fatalf("httpserver: %v", err)
		}
	} else {
		srv.Start()
	}
	ts.Defer(srv.Close)
	ts.Setenv("HTTP_URL", srv.URL)
	ts.Setenv("HTTP_HOST", srv.Listener.Addr().String())
}

// gitHTTP is the handler of httpserver.
type gitHTTP struct {
	root, git           string
	env                 []string
	user, password      string
	header, headerValue string
	log                 *lineLog
}

func (h *gitHTTP) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	auth := h.serve(rec, r)
	h.log.printf("%s %s %d auth=%s protocol=%s", r.Method, r.URL.Path, rec.status, auth, r.Header.Get("Git-Protocol"))
}

func (h *gitHTTP) serve(w http.ResponseWriter, r *http.Request) (auth string) {
	if rest, ok := strings.CutPrefix(r.URL.Path, "/moved/"); ok {
		to := "/" + rest
		if r.URL.RawQuery != "" {
			to += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, to, http.StatusMovedPermanently)
		return "none"
	}
	if h.header != "" && r.Header.Get(h.header) != h.headerValue {
		http.Error(w, "missing header", http.StatusForbidden)
		return "none"
	}
	auth = "none"
	if h.user != "" {
		user, password, ok := r.BasicAuth()
		switch {
		case !ok:
		case subtle.ConstantTimeCompare([]byte(user), []byte(h.user)) == 1 &&
			subtle.ConstantTimeCompare([]byte(password), []byte(h.password)) == 1:
			auth = "ok"
		default:
			auth = "bad"
		}
		if auth != "ok" {
			w.Header().Set("WWW-Authenticate", `Basic realm="git-backfill tests"`)
			http.Error(w, "authentication required", http.StatusUnauthorized)
			return auth
		}
	}
	env := append(append([]string{}, h.env...),
		"GIT_PROJECT_ROOT="+h.root, "GIT_HTTP_EXPORT_ALL=1",
		"GIT_PROTOCOL="+r.Header.Get("Git-Protocol"), "REMOTE_USER="+h.user)
	cgiHandler := &cgi.Handler{Path: h.git, Args: []string{"http-backend"}, Dir: h.root, Env: env,
		Stderr: h.log.file}
	cgiHandler.ServeHTTP(w, r)
	return auth
}

// statusRecorder remembers the status a handler sent.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func cmdHttpproxy(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "httpproxy")
	if len(args) != 1 || args[0] != "start" {
		ts.Fatalf("usage: httpproxy start")
	}
	log := newLineLog(ts, "proxy.log")
	proxy := &httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
		// A proxy gets the whole URL in the request line.
		pr.Out.URL = pr.In.URL
		pr.Out.Host = pr.In.Host
		log.printf("%s %s", pr.In.Method, pr.In.URL.Path)
	}}
	srv := httptest.NewServer(proxy)
	ts.Defer(srv.Close)
	ts.Setenv("HTTP_PROXY_URL", srv.URL)
}

// lineLog is a log file in $WORK that handlers write whole lines to.
type lineLog struct {
	mu   sync.Mutex
	file *os.File
}

func newLineLog(ts *testscript.TestScript, name string) *lineLog {
	f, err := os.OpenFile(filepath.Join(ts.Getenv("WORK"), name), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		ts.Fatalf("%v", err)
	}
	ts.Defer(func() { f.Close() })
	return &lineLog{file: f}
}

func (l *lineLog) printf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.file, format+"\n", args...)
}
