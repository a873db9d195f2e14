// Package t holds the end-to-end tests of git-backfill: testscript
// scenarios in testdata/*.txtar that run the real binary, through git's
// own dispatch, against fixture repositories served over file:// (and
// over git:// through toxiproxy for network faults).
//
// Run them with `go test ./t` (or `make e2e`). The test binary builds
// ./cmd/git-backfill once; `go test ./t -binary=/path/to/git-backfill`
// tests a prebuilt binary instead. Set -testwork to keep the scripts'
// work directories for inspection.
//
// Custom script commands (scriptCmds in commands_test.go says where each is):
//
//	fixture src|src-revs <dir>       copy a fixture server repository to <dir>
//	missing [-all|<rev>...] <n>      assert the number of missing objects
//	absent <rev>:<path>...           assert that these objects are missing
//	unfetchable <dir> <rev>:<path>...  make the server at <dir> refuse these objects
//	packs mark                       remember the repository's promisor packs
//	packs new <n> [<count>...]       assert n new promisor packs (and their sizes)
//	packs total <n>                  assert the new packs hold n objects in all
//	packs atmost <n>                 assert at most n new promisor packs
//	packs maxsize <n>                assert no new pack holds more than n objects
//	waitpacks <n> <timeout>          wait until n new promisor packs exist
//	slowpack <duration>|off          delay every upload-pack by <duration>
//	settle <dir> <timeout>           wait until no process works inside <dir>
//	exitcode <n> <cmd> [<arg>...]    run cmd and assert its exit status is n
//	within <duration> <n> <cmd> [<arg>...]  the same, and it must end in time
//	spawn <name> <cmd> [<arg>...]    start cmd in the background
//	signal <name> INT|TERM|KILL      send a signal to a spawned program
//	waitcode <name> <n>              wait for it and assert its exit status
//	ttyerr <cmd> [<arg>...]          run cmd with stderr on a terminal
//	ttyprompt <q>=<a>... -- <cmd>... run cmd at a terminal, typing answers to git's prompts
//	jsonfield stdout|stderr <field> <value>  assert a field of a JSON line
//	freeport <VAR>                   set VAR to a free TCP port on 127.0.0.1
//	gitdaemon start <dir> | stop     serve <dir> over git:// ($GITDAEMON_PORT)
//	toxiproxy start                  run toxiproxy-server ($TOXIPROXY_URL)
//	httpserver start <dir> [-auth u:p] [-tls] [-header n:v]  git's smart HTTP ($HTTP_URL, $HTTP_HOST)
//	httpproxy start                  an HTTP proxy logging to proxy.log ($HTTP_PROXY_URL)
//	toxiproxy proxy <name> <port>    proxy to 127.0.0.1:<port> ($PROXY_PORT)
//	stallproxy <port> <bytes>        a proxy that stalls after <bytes> from the server ($STALL_PORT)
//	records <file> count|commits|ids|git|field|base ...  check export records against git
//	jsonfile <file> <field> <value>  assert a field of a JSON file (metadata.json)
//	archive find|none|extract ...    find, rule out or unpack export archives
//	daysago <VAR> <n>                set VAR to the git date n days ago
//	manycommits <dir> <n>            a repository of n small commits (fast-import)
//	versitygw start <dir>            S3-compatible server on 127.0.0.1 ($S3_PORT, AWS_*)
//	waitfile <path> <timeout>        wait until path exists
//	fifo full|drain <path> ...       wait for a FIFO's writer to block; drain it
//	killexporter <name> <type>       SIGKILL an exporter plugin of a spawned export
//	manifest <dir> <rev-list arg>... an incremental destination holds these commits, each once
//	s3put <bucket> <key> <file>      upload a file to that versitygw
//	buildkite start <dir> [mode...]  fake Buildkite API and upload receiver (BUILDKITE_* variables)
//
// The network scenarios need toxiproxy-server and toxiproxy-cli in
// ../.cache/bin, and the s3 export scenario versitygw there, which `make
// tools` installs (make test and make e2e run it first); without them they
// fail, never skip. The full-disk scenario mounts a small tmpfs in a user
// and mount namespace of its own with unshare (util-linux, on every Debian
// system), which needs no root but a kernel that allows unprivileged user
// namespaces (Debian's default).
//
// The fixtures are described in fixture_test.go.
//
// t5620.sh is not a Go test: `make t5620 GIT_SOURCE=<dir>` runs git's own
// test of its builtin, t/t5620-backfill.sh from a built git source tree,
// against our binary (docs/compatibility.md).
package t
