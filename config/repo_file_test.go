package config

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// The tracked file is untrusted: only a small regular file is read, and
// whatever is wrong with it is a warning that names the file and never
// shows a value from it.
func TestLoadRepoFile(t *testing.T) {
	dir := t.TempDir()
	secret := filepath.Join(dir, "credentials")
	if err := os.WriteFile(secret, []byte("aws_secret_access_key = \"hunter2\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	link := filepath.Join(dir, "link.toml")
	if err := os.Symlink(secret, link); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo.toml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, path, want string
	}{
		{"symbolic link", link, "it is a symbolic link"},
		{"FIFO", fifo, "it is not a regular file"},
		{"directory", dir, "it is not a regular file"},
		{"too large", write("big.toml", "# "+strings.Repeat("x", MaxRepoFileSize)+"\n"), "it is larger than 64 KiB"},
		{"syntax", write("syntax.toml", "days = 3\nminBatchSize = \"hunter2\n"), "line 2 is not valid TOML"},
		{"wrong type", write("type.toml", "days = \"hunter2\"\n"), "bad value for days"},
		{"out of range", write("range.toml", "\nminBatchSize = -77\n"), "bad value for minBatchSize"},
	} {
		src, warnings, ok := LoadRepoFile(tc.path)
		all := strings.Join(warnings, "\n")
		if ok || len(src.Entries) > 0 {
			t.Errorf("%s: the file was used: %+v", tc.name, src)
		}
		if !strings.Contains(all, "ignoring tracked "+tc.path+": "+tc.want) {
			t.Errorf("%s: warnings %q, want %q", tc.name, all, tc.want)
		}
		for _, leak := range []string{"hunter2", "-77", "xxxx"} {
			if strings.Contains(all, leak) {
				t.Errorf("%s: a value from the file is shown: %q", tc.name, all)
			}
		}
	}
	if _, warnings, ok := LoadRepoFile(filepath.Join(dir, "none.toml")); ok || len(warnings) > 0 {
		t.Errorf("no file: ok %v, warnings %q", ok, warnings)
	}
	good := write("good.toml", "days = 30\nremote = \"elsewhere\"\n")
	src, warnings, ok := LoadRepoFile(good)
	if !ok || len(src.Entries) != 1 || src.Entries[0].Key != "days" || len(warnings) != 1 {
		t.Errorf("good file: ok %v, %+v, warnings %q (remote is not for the tracked file)", ok, src, warnings)
	}
}
