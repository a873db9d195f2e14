package git

import (
	"context"
	"strings"
)

// FetchObjects downloads exactly the objects ids from remote in one request.
//
// The noop negotiation algorithm skips the have/want exchange: we ask for
// objects by id, so no common history needs to be found. --filter=blob:none
// keeps the request a partial fetch (requesting a tree must not bring its
// blobs), and the result lands as one pack with a .promisor file, so the
// repository stays a consistent partial clone whatever happens later.
// --stdin takes the ids as refspecs; the server must allow fetching any
// reachable object by id, which partial-clone servers do.
// --no-auto-maintenance: each fetch would otherwise start "git maintenance
// run --auto"; RunAutoMaintenance does it once after the last batch.
func (r *Runner) FetchObjects(ctx context.Context, remote string, ids []string) error {
	args := []string{"-c", "fetch.negotiationAlgorithm=noop", "fetch", remote,
		"--no-tags", "--no-write-fetch-head", "--recurse-submodules=no",
		"--filter=blob:none", "--no-auto-maintenance", "--quiet", "--stdin"}
	_, err := r.OutputInput(ctx, strings.NewReader(strings.Join(ids, "\n")+"\n"), args...)
	return err
}

// RunAutoMaintenance runs the housekeeping each fetch would have started on
// its own (we turned that off so it runs once, not once per batch).
func (r *Runner) RunAutoMaintenance(ctx context.Context) error {
	_, err := r.Output(ctx, "maintenance", "run", "--auto", "--quiet")
	return err
}
