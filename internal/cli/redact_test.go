package cli

import "testing"

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://user:secret@example.com/org/repo.git":                "https://example.com/org/repo.git",
		"https://example.com/repo.git?private_token=secret#frag":      "https://example.com/repo.git",
		"https://oauth2:secret@example.com/repo.git?x=1":              "https://example.com/repo.git",
		"git@example.com:org/repo.git":                                "git@example.com:org/repo.git",
		"file:///srv/repo.git":                                        "file:///srv/repo.git",
		"/srv/repo.git":                                               "/srv/repo.git",
		"ssh://user:secret@example.com:22/repo.git?token=secret":      "ssh://example.com:22/repo.git",
		"https://user:pa%zzss@example.com/repo.git?private_token=s#f": "https://example.com/repo.git",
	} {
		if got := redactURL(in); got != want {
			t.Errorf("redactURL(%q) = %q, want %q", in, got, want)
		}
	}
}
