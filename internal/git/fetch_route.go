package git

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
)

// fetchRoute says how objects are fetched by id from one remote.
//
// "git fetch" turns every id into a refspec, then checks each fetched ref
// against every refspec for a negative one: quadratic in the batch. On this
// machine a 50,000-id batch spent 2.8 s of CPU in that check before it even
// started the server; a batch of 8,000, 50-100 ms. "git fetch-pack" takes
// the ids as wants and reaches the server in milliseconds, with the same
// fetch request and the same promisor pack as a result.
//
// But fetch-pack first lists every ref the server has, which git fetch,
// given only ids, does not: about 2 µs a ref here, 0.6 s on a mirror with
// 300,000 refs. So it is chosen per request, when the check it avoids
// costs more than the listing it adds (see fetchPackPays), and only where
// nothing of git fetch is missing:
//   - a repository on this machine (an absolute path or a file:// URL):
//     fetch-pack speaks no HTTP, and over a network the listing also
//     crosses the network;
//   - a remote registered as a promisor (git fetch would register it
//     otherwise);
//   - no remote helper, no server options.
//
// Any doubt (a path that is not a directory, such as a bundle) leaves the
// remote to git fetch.
type fetchRoute struct {
	direct     bool   // fetch-pack may be used
	url        string // the remote's URL, as git resolved it (insteadOf applied)
	uploadPack string // remote.<name>.uploadpack, if set
	refs       int    // refs the server lists, when direct
}

// fetchPackPays reports whether fetch-pack costs less than git fetch for a
// request of n ids from a server listing refs refs. Measured here: git
// fetch's check costs about 1.1 ns per pair of ids (n²), fetch-pack's
// listing about 2 µs per ref, so fetch-pack pays above n² = 1,800 refs;
// 2,000 leans to git fetch. fzf's 191 refs: from 619 ids; git/git's 1,016
// refs: from 1,426; 300,000 refs: from 24,495.
func fetchPackPays(n, refs int) bool {
	return int64(n)*int64(n) > 2000*int64(refs)
}

// routes caches each remote's fetchRoute for one Runner and its copies.
type routes struct {
	mu sync.Mutex
	by map[string]*routeEntry
}

func newRoutes() *routes { return &routes{by: map[string]*routeEntry{}} }

type routeEntry struct {
	mu    sync.Mutex
	known bool
	route fetchRoute
}

// PrepareFetch starts finding out how to fetch from remote, in the
// background, so that the first fetch does not wait for it: call it when
// fetches are sure to come. If ctx ends first, fetches use git fetch.
func (r *Runner) PrepareFetch(ctx context.Context, remote string) {
	go r.fetchRoute(ctx, remote)
}

// fetchRoute returns how to fetch from remote, resolving it once per Runner.
// A resolution cut short by ctx is not kept: the next caller tries again.
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
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.known {
		route := r.resolveRoute(ctx, remote)
		if ctx.Err() != nil {
			return route
		}
		e.route, e.known = route, true
	}
	return e.route
}

// resolveRoute asks git for remote's URL ("ls-remote --get-url" applies
// url.*.insteadOf as fetch does) and for its configuration, both at once.
// A failure of either only means git fetch is used.
func (r *Runner) resolveRoute(ctx context.Context, remote string) fetchRoute {
	var (
		err     error
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
	route := chooseRoute(strings.TrimRight(string(url), "\n"), remoteConfig(conf, remote))
	if route.direct {
		route.refs, err = r.countRemoteRefs(ctx, route)
		route.direct = err == nil
	}
	return route
}

// countRemoteRefs asks the server for its refs as fetch-pack would, and
// counts them.
func (r *Runner) countRemoteRefs(ctx context.Context, route fetchRoute) (int, error) {
	name := []string{"ls-remote"}
	if route.uploadPack != "" {
		name = append(name, "--upload-pack="+route.uploadPack)
	}
	name = append(name, route.url)
	p, err := r.startPiped(ctx, name, name, emptyIfNil(nil), nil, nil)
	if err != nil {
		return 0, err
	}
	n := 0
	err = p.consume(func(out *bufio.Reader) error {
		for {
			_, err := out.ReadSlice('\n')
			if err == nil {
				n++
			} else if err != bufio.ErrBufferFull {
				return nil
			}
		}
	})
	return n, err
}

// configTrue is git's reading of a boolean that is true; a variable
// without "=" reads as "true" (see remoteConfig).
func configTrue(v string) bool {
	switch strings.ToLower(v) {
	case "true", "yes", "on":
		return true
	}
	n, err := strconv.Atoi(v)
	return err == nil && n != 0
}

// remoteConfig picks remote's own variables out of the output of
// "git config -z --get-regexp": records of key LF value NUL. Keys come
// back with the variable name in lower case; the remote's name keeps its
// case, so it is compared exactly.
func remoteConfig(data []byte, remote string) map[string]string {
	vars := map[string]string{}
	prefix := "remote." + remote + "."
	for _, rec := range bytes.Split(data, []byte{0}) {
		key, value, hasValue := strings.Cut(string(rec), "\n")
		if !hasValue {
			value = "true" // "[remote "x"] promisor" with no "="
		}
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
	if !configTrue(vars["promisor"]) {
		return route
	}
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
