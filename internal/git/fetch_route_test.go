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
	for _, tc := range []struct {
		url    string
		vars   map[string]string
		direct bool
	}{
		{"file:///srv/repo.git", nil, true},
		{"file:///srv/repo.git", map[string]string{"uploadpack": "/opt/git/git-upload-pack"}, true},
		{filepath.Join(dir, "server.git"), nil, true},
		{"server.git", nil, false}, // relative: git fetch knows where from
		{"./server.git", nil, false},
		{filepath.Join(dir, "repo.bundle"), nil, false}, // git fetch reads bundles
		{filepath.Join(dir, "missing.git"), nil, false}, // git fetch explains
		{"host:srv/repo.git", nil, false},
		{"host:/srv/repo.git", nil, false},
		{"ssh://host/srv/repo.git", nil, false},
		{"git://host/repo.git", nil, false},
		{"https://host/repo.git", nil, false},
		{"http://host/repo.git", nil, false},
		{"other::" + filepath.Join(dir, "server.git"), nil, false}, // a remote helper
		{"file:///srv/repo.git", map[string]string{"vcs": "svn"}, false},
		{"file:///srv/repo.git", map[string]string{"serveroption": "a=b"}, false},
		{"-server.git", nil, false},
		{"file:///srv/repo.git", map[string]string{"uploadpack": "--exec=x"}, false},
		{"", nil, false},
	} {
		got := chooseRoute(tc.url, tc.vars)
		if got.direct != tc.direct {
			t.Errorf("chooseRoute(%q, %v).direct = %v, want %v", tc.url, tc.vars, got.direct, tc.direct)
		}
		if got.url != tc.url || got.uploadPack != tc.vars["uploadpack"] {
			t.Errorf("chooseRoute(%q, %v) = %+v: url or upload-pack not kept", tc.url, tc.vars, got)
		}
	}
}

func TestRemoteConfig(t *testing.T) {
	data := []byte("remote.origin.url\nfile:///a\x00" +
		"remote.origin.uploadpack\n/bin/up\x00" +
		"remote.Origin.vcs\nsvn\x00" + // another remote: names keep their case
		"remote.origin.x.vcs\nhg\x00" + // the remote "origin.x"
		"remote.origin.promisor\x00") // no value: a boolean true
	got := remoteConfig(data, "origin")
	want := map[string]string{"url": "file:///a", "uploadpack": "/bin/up", "promisor": ""}
	if len(got) != len(want) {
		t.Fatalf("remoteConfig = %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("remoteConfig[%q] = %q, want %q", k, got[k], v)
		}
	}
	if got := remoteConfig(data, "origin.x"); got["vcs"] != "hg" || len(got) != 1 {
		t.Errorf("remoteConfig(origin.x) = %v", got)
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
