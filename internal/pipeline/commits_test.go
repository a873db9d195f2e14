package pipeline

import (
	"fmt"
	"strings"
	"testing"

	"github.com/git-backfill/git-backfill/internal/git"
)

// The message counts every skipped commit but names only the first ones.
func TestSkippedMessage(t *testing.T) {
	var ids []git.OID
	for i := range 25 {
		ids = append(ids, git.OID(fmt.Sprintf("%040d", i)))
	}
	got := skippedMessage(ids, 20)
	if !strings.HasPrefix(got, "25 commits listed could not be fetched and were skipped:\n  "+string(ids[0])+"\n") ||
		!strings.HasSuffix(got, string(ids[19])+"\n  and 5 more") || strings.Contains(got, string(ids[20])) {
		t.Errorf("skippedMessage(25, 20) =\n%s", got)
	}
	if got := skippedMessage(ids[:1], 20); got != "1 commit listed could not be fetched and was skipped:\n  "+string(ids[0]) {
		t.Errorf("one: %q", got)
	}
}
