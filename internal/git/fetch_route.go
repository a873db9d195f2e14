package git

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"slices"
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

// routes caches each remote's fetchRoute for one Runner and its copies,
// and the configuration they are decided from, if the caller has read it
// (see UseConfig).
type routes struct {
	mu  sync.Mutex
	by  map[string]*routeEntry
	cfg Config
}

func newRoutes() *routes { return &routes{by: map[string]*routeEntry{}} }

type routeEntry struct {
	mu    sync.Mutex
	known bool
	route fetchRoute
}

// UseConfig hands r the configuration the caller has read (ReadConfig), so
// that deciding how to fetch does not start git to read it again.
func (r *Runner) UseConfig(cfg Config) {
	if r.routes != nil {
		r.routes.mu.Lock()
		r.routes.cfg = cfg
		r.routes.mu.Unlock()
	}
}

// config is the configuration UseConfig handed over, else read now.
func (r *Runner) config(ctx context.Context) (Config, error) {
	if r.routes != nil {
		r.routes.mu.Lock()
		cfg := r.routes.cfg
		r.routes.mu.Unlock()
		if cfg != nil {
			return cfg, nil
		}
	}
	return r.ReadConfig(ctx)
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
// url.*.insteadOf as fetch does), reads its configuration meanwhile, and
// for a local remote counts the server's refs. Any failure only means git
// fetch is used.
func (r *Runner) resolveRoute(ctx context.Context, remote string) fetchRoute {
	type configRead struct {
		cfg Config
		err error
	}
	cfgc := make(chan configRead, 1)
	go func() {
		cfg, err := r.config(ctx)
		cfgc <- configRead{cfg, err}
	}()
	url, err := r.Output(ctx, "ls-remote", "--get-url", remote)
	read := <-cfgc
	if err != nil || read.err != nil {
		return fetchRoute{}
	}
	route := chooseRoute(strings.TrimRight(string(url), "\n"), remote, read.cfg)
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

// chooseRoute decides, from remote's resolved url and the configuration,
// whether fetch-pack can stand in for git fetch.
func chooseRoute(url, remote string, cfg Config) fetchRoute {
	route := fetchRoute{url: url}
	if e, ok := cfg.Get("remote." + remote + ".uploadpack"); ok {
		route.uploadPack = e.Value
	}
	if !slices.Contains(cfg.PromisorRemotes(), remote) {
		return route
	}
	if _, ok := cfg.Get("remote." + remote + ".vcs"); ok {
		return route // a remote helper
	}
	if _, ok := cfg.Get("remote." + remote + ".serveroption"); ok {
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
