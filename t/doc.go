// Package t holds the end-to-end tests of git-backfill: testscript
// scenarios in testdata/*.txtar that run the real binary, through git's
// own dispatch, against fixture repositories served over file://.
//
// Run them with `go test ./t` (or `make e2e`). The test binary builds
// ./cmd/git-backfill once; `go test ./t -binary=/path/to/git-backfill`
// tests a prebuilt binary instead. Set -testwork to keep the scripts'
// work directories for inspection.
//
// Custom script commands (see commands_test.go):
//
//	fixture src|src-revs <dir>       copy a fixture server repository to <dir>
//	missing [-all|<rev>...] <n>      assert the number of missing objects
//	packs mark                       remember the repository's promisor packs
//	packs new <n> [<count>...]       assert n new promisor packs (and their sizes)
//	packs total <n>                  assert the new packs hold n objects in all
//	waitpacks <n> <timeout>          wait until n new promisor packs exist
//	slowpack <duration>|off          delay every upload-pack by <duration>
//	settle <dir> <timeout>           wait until no process works inside <dir>
//	exitcode <n> <cmd> [<arg>...]    run cmd and assert its exit status is n
//
// The fixtures are described in fixture_test.go.
package t
