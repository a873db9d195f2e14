package git

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
)

// fetchRoute says how objects are fetched by id from one remote.
//
// "git fetch" turns every id into a refspec, then checks each fetched ref
// against every refspec for a negative one: quadratic in the batch. On this
// machine a 50,000-id batch spent 2.8 s of CPU in that check before it even
// started the server; a batch of 8,000, 50-100 ms. "git fetch-pack" takes
// the ids as wants and reaches the server in 20 ms. Both send the same
// request and store the same promisor pack.
//
// fetch-pack is used only for a repository on this machine (a path or a
// file:// URL), where nothing of git fetch is missing:
//   - fetch-pack lists all the remote's refs first. Here that is a read of
//     its packed-refs; over a network it is a round trip carrying every ref,
//     which on a server with many refs can cost more than it saves.
//   - It speaks only git's own transports, not HTTP or remote helpers.
//
// Any doubt (a remote helper, server options, a path that is not a
// directory, such as a bundle) leaves the remote to git fetch.
type fetchRoute struct {
	direct     bool   // use fetch-pack
	url        string // the remote's URL, as git resolved it (insteadOf applied)
	uploadPack string // remote.<name>.uploadpack, if set
}

// routes caches each remote's fetchRoute for one Runner and its copies.
type routes struct {
	mu sync.Mutex
	by map[string]*routeEntry
}

func newRoutes() *routes { return &routes{by: map[string]*routeEntry{}} }

type routeEntry struct {
	once  sync.Once
	route fetchRoute
}

// PrepareFetch starts finding out how to fetch from remote, in the
// background, so that the first fetch does not wait for it: call it when
// fetches are sure to come. If ctx ends first, fetches use git fetch.
func (r *Runner) PrepareFetch(ctx context.Context, remote string) {
	go r.fetchRoute(ctx, remote)
}

// fetchRoute returns how to fetch from remote, resolving it once per Runner.
func (r *Runner) fetchRoute(ctx context.Context, remote string) fetchRoute {
	if r.routes == nil {
		return r.resolveRoute(ctx, remote)
	}
	r.routes.mu.Lock()
	e := r.routes.by[remote]
	if e == nil {
		e = &routeEntry{}
		r.routes.by[remote] = e
	}
	r.routes.mu.Unlock()
	e.once.Do(func() { e.route = r.resolveRoute(ctx, remote) })
	return e.route
}

// resolveRoute asks git for remote's URL ("ls-remote --get-url" applies
// url.*.insteadOf as fetch does) and for its configuration, both at once.
// A failure of either only means git fetch is used.
func (r *Runner) resolveRoute(ctx context.Context, remote string) fetchRoute {
	var (
		wg      sync.WaitGroup
		url     []byte
		urlErr  error
		conf    []byte
		confErr error
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		url, urlErr = r.Output(ctx, "ls-remote", "--get-url", remote)
	}()
	// Exit code 1: no remote.* variables at all, which is fine.
	conf, confErr = r.Output(ctx, "config", "-z", "--get-regexp", `^remote\.`)
	wg.Wait()
	if urlErr != nil {
		return fetchRoute{}
	}
	if gerr, ok := confErr.(*Error); confErr != nil && !(ok && gerr.ExitCode == 1) {
		return fetchRoute{}
	}
	return chooseRoute(strings.TrimRight(string(url), "\n"), remoteConfig(conf, remote))
}

// remoteConfig picks remote's own variables out of the output of
// "git config -z --get-regexp": records of key LF value NUL. Keys come
// back with the variable name in lower case; the remote's name keeps its
// case, so it is compared exactly.
func remoteConfig(data []byte, remote string) map[string]string {
	vars := map[string]string{}
	prefix := "remote." + remote + "."
	for _, rec := range bytes.Split(data, []byte{0}) {
		key, value, _ := strings.Cut(string(rec), "\n")
		if name, ok := strings.CutPrefix(key, prefix); ok && !strings.Contains(name, ".") {
			vars[name] = value
		}
	}
	return vars
}

// chooseRoute decides, from a remote's resolved url and its variables,
// whether fetch-pack can stand in for git fetch.
func chooseRoute(url string, vars map[string]string) fetchRoute {
	route := fetchRoute{url: url, uploadPack: vars["uploadpack"]}
	if _, ok := vars["vcs"]; ok {
		return route // a remote helper
	}
	if _, ok := vars["serveroption"]; ok {
		return route // options fetch-pack cannot send
	}
	if url == "" || strings.HasPrefix(url, "-") || strings.HasPrefix(route.uploadPack, "-") {
		return route
	}
	if strings.HasPrefix(url, "file://") {
		route.direct = true
		return route
	}
	// A relative path starts where git settles (the top of the work
	// tree), not necessarily where we run: left to git fetch.
	if !isLocalPath(url) || !filepath.IsAbs(url) {
		return route
	}
	// git fetch reads a file as a bundle; fetch-pack cannot.
	if info, err := os.Stat(url); err == nil && info.IsDir() {
		route.direct = true
	}
	return route
}

// isLocalPath reports whether git takes url as a path on this machine
// rather than "host:path" for ssh: a path has no colon before its first
// slash (or, on Windows, starts with a drive). URLs with a scheme have one.
func isLocalPath(url string) bool {
	if runtime.GOOS == "windows" && len(url) >= 2 && url[1] == ':' &&
		(url[0] >= 'a' && url[0] <= 'z' || url[0] >= 'A' && url[0] <= 'Z') {
		return true // C:... is a drive there, not a host
	}
	colon := strings.IndexByte(url, ':')
	if colon < 0 {
		return true
	}
	slash := strings.IndexByte(url, '/')
	return slash >= 0 && slash < colon
}
