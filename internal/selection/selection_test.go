package selection

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/git-backfill/git-backfill/internal/git"
	"github.com/git-backfill/git-backfill/internal/gittest"
	"github.com/git-backfill/git-backfill/internal/odb"
)

func TestReadIDs(t *testing.T) {
	a, b := strings.Repeat("a", 40), strings.Repeat("B", 40)
	ids, err := ReadIDs(strings.NewReader("# list\n"+a+"\n\n"+b+"\n"+a+"\n"), "list")
	if err != nil {
		t.Fatal(err)
	}
	if want := []git.OID{git.OID(a), git.OID(strings.ToLower(b))}; !reflect.DeepEqual(ids, want) {
		t.Fatalf("ids = %v", ids)
	}
	if _, err := ReadIDs(strings.NewReader(a+"\nabc123\n"), "list"); err == nil || !strings.Contains(err.Error(), "list:2") {
		t.Fatalf("want an error naming line 2, got %v", err)
	}
}

func TestDefaultBranchAndPresent(t *testing.T) {
	repo := gittest.New(t, []string{"a.txt"})
	g := git.NewRunner(repo.Dir, repo.Env())
	ctx := context.Background()
	// No remote-tracking branches: HEAD.
	if got, err := DefaultBranch(ctx, g, "origin"); err != nil || got != "HEAD" {
		t.Fatalf("DefaultBranch = %q, %v", got, err)
	}
	head := strings.TrimSpace(repo.Must("rev-parse", "HEAD"))
	repo.Must("update-ref", "refs/remotes/origin/master", head)
	if got, _ := DefaultBranch(ctx, g, "origin"); got != "refs/remotes/origin/master" {
		t.Fatalf("with origin/master: %q", got)
	}
	repo.Must("update-ref", "refs/remotes/origin/main", head)
	if got, _ := DefaultBranch(ctx, g, "origin"); got != "refs/remotes/origin/main" {
		t.Fatalf("with origin/main: %q", got)
	}
	absent := strings.Repeat("0", 39) + "1"
	repoInfo, err := g.Discover(ctx)
	if err != nil {
		t.Fatal(err)
	}
	objects, err := odb.Open(repoInfo.ObjectsDir, nil, repoInfo.OIDLength())
	if err != nil {
		t.Fatal(err)
	}
	defer objects.Close()
	present := Present(objects, []git.OID{git.OID(head), git.OID(absent), "not hex"})
	if !present[git.OID(head)] || present[git.OID(absent)] || present["not hex"] {
		t.Fatalf("Present = %v", present)
	}
}

// A line too long to be an id is named by its number, not read whole.
func TestReadIDsLongLine(t *testing.T) {
	in := strings.Repeat("a", 40) + "\n" + strings.Repeat("x", 1<<20) + "\n"
	_, err := ReadIDs(strings.NewReader(in), "list.txt")
	if err == nil || err.Error() != "list.txt:2: line longer than 4096 bytes: not a commit id" {
		t.Fatalf("error %v", err)
	}
}
