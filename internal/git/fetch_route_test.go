package git

import (
	"os"
	"path/filepath"
	"testing"
)

func TestChooseRoute(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "server.git"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "repo.bundle"), []byte("# v2 git bundle\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	type vars = map[string]string
	promisor := func(more ...string) vars {
		v := vars{"promisor": "true"}
		for i := 0; i+1 < len(more); i += 2 {
			v[more[i]] = more[i+1]
		}
		return v
	}
	for _, tc := range []struct {
		url    string
		vars   map[string]string
		direct bool
	}{
		{"file:///srv/repo.git", promisor(), true},
		{"file:///srv/repo.git", promisor("uploadpack", "/opt/git/git-upload-pack"), true},
		{filepath.Join(dir, "server.git"), promisor(), true},
		{"server.git", promisor(), false}, // relative: git fetch knows where from
		{"./server.git", promisor(), false},
		{filepath.Join(dir, "repo.bundle"), promisor(), false}, // git fetch reads bundles
		{filepath.Join(dir, "missing.git"), promisor(), false}, // git fetch explains
		{"host:srv/repo.git", promisor(), false},
		{"host:/srv/repo.git", promisor(), false},
		{"ssh://host/srv/repo.git", promisor(), false},
		{"git://host/repo.git", promisor(), false},
		{"https://host/repo.git", promisor(), false},
		{"http://host/repo.git", promisor(), false},
		{"other::" + filepath.Join(dir, "server.git"), promisor(), false}, // a remote helper
		{"file:///srv/repo.git", promisor("vcs", "svn"), false},
		{"file:///srv/repo.git", promisor("serveroption", "a=b"), false},
		{"-server.git", promisor(), false},
		{"file:///srv/repo.git", promisor("uploadpack", "--exec=x"), false},
		{"", promisor(), false},
		{"file:///srv/repo.git", nil, false},                       // not a promisor remote
		{"file:///srv/repo.git", vars{"promisor": "false"}, false}, // nor this
		{"file:///srv/repo.git", vars{"promisor": "1"}, true},
	} {
		var cfg Config
		for k, v := range tc.vars {
			cfg = append(cfg, ConfigEntry{Key: "remote.origin." + k, Value: v})
		}
		got := chooseRoute(tc.url, "origin", cfg)
		if got.direct != tc.direct {
			t.Errorf("chooseRoute(%q, %v).direct = %v, want %v", tc.url, tc.vars, got.direct, tc.direct)
		}
		if got.url != tc.url || got.uploadPack != tc.vars["uploadpack"] {
			t.Errorf("chooseRoute(%q, %v) = %+v: url or upload-pack not kept", tc.url, tc.vars, got)
		}
	}
}

// The remote's own variables count, read as git reads them: other remotes'
// (names keep their case; "origin.x" is another remote) do not.
func TestChooseRouteReadsTheRemotesConfig(t *testing.T) {
	cfg := Config{
		{Key: "remote.origin.url", Value: "file:///a"},
		{Key: "remote.origin.uploadpack", Value: "/bin/up"},
		{Key: "remote.Origin.vcs", Value: "svn"},
		{Key: "remote.origin.x.vcs", Value: "hg"},
		{Key: "remote.origin.x.promisor", Value: "true"},
		{Key: "remote.origin.promisor", NoValue: true}, // no value: a boolean true
	}
	if got := chooseRoute("file:///a", "origin", cfg); !got.direct || got.uploadPack != "/bin/up" {
		t.Errorf("origin: %+v, want direct with upload-pack /bin/up", got)
	}
	if got := chooseRoute("file:///a", "origin.x", cfg); got.direct {
		t.Errorf("origin.x has a remote helper: %+v", got)
	}
	// extensions.partialClone names a promisor remote too.
	if got := chooseRoute("file:///a", "mirror", Config{{Key: "extensions.partialclone", Value: "mirror"}}); !got.direct {
		t.Errorf("the extensions.partialClone remote: %+v, want direct", got)
	}
}

func TestIsLocalPath(t *testing.T) {
	for url, want := range map[string]bool{
		"/srv/repo":        true,
		"repo":             true,
		"./a:b":            true, // the colon comes after a slash
		"host:repo":        false,
		"[::1]:repo":       false,
		"user@host:a/repo": false,
	} {
		if got := isLocalPath(url); got != want {
			t.Errorf("isLocalPath(%q) = %v, want %v", url, got, want)
		}
	}
}

func TestFetchPackPays(t *testing.T) {
	for _, tc := range []struct {
		ids, refs int
		pays      bool
	}{
		{7996, 191, true},     // fzf: one batch
		{50000, 1016, true},   // git/git: a default batch
		{500, 191, false},     // a small batch: git fetch's check is cheap
		{8000, 300000, false}, // a mirror with many refs: the listing is not
		{50000, 300000, true},
		{1, 0, true},
	} {
		if got := fetchPackPays(tc.ids, tc.refs); got != tc.pays {
			t.Errorf("fetchPackPays(%d ids, %d refs) = %v, want %v", tc.ids, tc.refs, got, tc.pays)
		}
	}
}
