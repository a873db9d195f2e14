package manifest

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

const (
	c1 = "1111111111111111111111111111111111111111"
	c2 = "2222222222222222222222222222222222222222"
	c3 = "3333333333333333333333333333333333333333333333333333333333333333"
)

func TestAddKeepsEachCommitOnce(t *testing.T) {
	m := New()
	when := time.Date(2026, 12, 2, 13, 0, 0, 0, time.UTC)
	if err := m.Add("a.tar.gz", when, []string{c1, c2}); err != nil {
		t.Fatal(err)
	}
	if err := m.Add("b.tar.gz", when, []string{c2, c3}); err != nil {
		t.Fatal(err)
	}
	if err := m.Add("c.tar.gz", when, []string{c1, c3}); !errors.Is(err, ErrNothingNew) {
		t.Errorf("archive of listed commits: %v", err)
	}
	back, err := Parse(m.Marshal())
	if err != nil {
		t.Fatal(err)
	}
	if got := back.Commits(); !slices.Equal(got, []string{c1, c2, c3}) {
		t.Errorf("commits %v", got)
	}
	if len(back.Archives) != 2 || back.Archives[1].Name != "b.tar.gz" || !slices.Equal(back.Archives[1].Commits, []string{c3}) {
		t.Errorf("archives %+v", back.Archives)
	}
	if back.Archives[0].GeneratedAt != "2026-12-02T13:00:00Z" || back.UpdatedAt == "" {
		t.Errorf("times %+v", back)
	}
}

func TestParseRejectsCorruptManifests(t *testing.T) {
	for _, tc := range []struct{ name, data, want string }{
		{"empty", ``, "EOF"},
		{"truncated", `{"manifest_version":1,"archives":[{"name":"a","commits":["` + c1[:10], "unexpected EOF"},
		{"not an object", `[]`, "cannot unmarshal"},
		{"other version", `{"manifest_version":2,"archives":[]}`, "manifest_version 2"},
		{"no archives", `{"manifest_version":1}`, "no archives"},
		{"unknown field", `{"manifest_version":1,"archives":[],"extra":1}`, "unknown field"},
		{"bad id", `{"manifest_version":1,"archives":[{"name":"a","commits":["HEAD"]}]}`, "not a commit id"},
		{"upper case id", `{"manifest_version":1,"archives":[{"name":"a","commits":["` + strings.ToUpper("abcdef"+c1[6:]) + `"]}]}`, "not a commit id"},
		{"twice", `{"manifest_version":1,"archives":[{"name":"a","commits":["` + c1 + `"]},{"name":"b","commits":["` + c1 + `"]}]}`, "listed twice"},
		{"nameless", `{"manifest_version":1,"archives":[{"name":"","commits":[]}]}`, "no name"},
		{"trailing data", `{"manifest_version":1,"archives":[]} {}`, "after the JSON"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.data))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	m := New()
	m.Add("a.tar.gz", time.Now(), []string{c1, c3})
	f.Add(m.Marshal())
	f.Add([]byte(`{"manifest_version":1,"archives":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Parse(data)
		if err != nil {
			return
		}
		// A valid manifest survives a round trip with the same commits.
		back, err := Parse(m.Marshal())
		if err != nil {
			t.Fatalf("round trip: %v", err)
		}
		if !slices.Equal(back.Commits(), m.Commits()) {
			t.Fatalf("round trip changed the commits")
		}
	})
}
