#!/bin/sh
# Runs git's own test of its builtin "git backfill", t/t5620-backfill.sh
# of a git source tree, against our binary: git's test library drives the
# installed git (GIT_TEST_INSTALLED), which finds our git-backfill first
# on PATH. Nothing is fetched or built here; `make t5620` builds our
# binary and calls this. docs/compatibility.md says how to get the tree.
#
# usage: t/t5620.sh <git-source-tree> <dir-holding-git-backfill> [<test option>...]
#
# The environment may set GIT_TEST_INSTALLED (default: the directory of
# the git on PATH). Tests that need a git command the installed git lacks
# are skipped through git's own GIT_SKIP_TESTS, each named with the reason.
set -eu

die() {
	echo "t5620: $*" >&2
	exit 1
}

[ $# -ge 2 ] || die "usage: t/t5620.sh <git-source-tree> <dir-holding-git-backfill> [<test option>...]"
src=$1 bindir=$2
shift 2
how="clone git's repository at tag v2.55.0 and build it there with 'make -j2 NO_RUST=1' (see docs/compatibility.md)"
[ -n "$src" ] || die "no git source tree given (GIT_SOURCE=<dir>): $how"
[ -f "$src/t/t5620-backfill.sh" ] || die "$src/t/t5620-backfill.sh does not exist: GIT_SOURCE must be a git source tree; $how"
if [ ! -x "$src/t/helper/test-tool" ] || [ ! -f "$src/GIT-BUILD-OPTIONS" ]; then
	die "$src is not built (no t/helper/test-tool): run 'make -j2 NO_RUST=1' in $src (at tag v2.55.0)"
fi
[ -x "$bindir/git-backfill" ] || die "$bindir/git-backfill does not exist: run 'make build' first"
src=$(CDPATH= cd -P -- "$src" && pwd)
bindir=$(CDPATH= cd -P -- "$bindir" && pwd)

version=$(sed -n 's/^GIT_VERSION *= *//p' "$src/GIT-VERSION-FILE" 2>/dev/null || true)
if [ "$version" != "2.55.0" ]; then
	echo "t5620: warning: $src is git ${version:-of an unknown version}; this target is kept in step with v2.55.0" >&2
fi

if [ -z "${GIT_TEST_INSTALLED:-}" ]; then
	git=$(command -v git) || die "git is not on PATH"
	GIT_TEST_INSTALLED=$(dirname "$git")
fi
installed="$GIT_TEST_INSTALLED/git"
[ -x "$installed" ] || die "$installed does not exist (GIT_TEST_INSTALLED=$GIT_TEST_INSTALLED)"
# git runs a builtin before any git-<name> on PATH: with git 2.49 or later
# the script would test git's own backfill, not ours.
if "$installed" --list-cmds=builtins 2>/dev/null | grep -qx backfill; then
	die "$installed has a builtin backfill, which git would run instead of ours: set GIT_TEST_INSTALLED to the directory of a git older than 2.49"
fi

# git's test library puts the installed git's directory (and git looks in
# its exec-path) before our bin/: a git-backfill there would be tested
# instead of ours, and could pass.
for dir in "$GIT_TEST_INSTALLED" "$("$installed" --exec-path)"; do
	if [ -e "$dir/git-backfill" ] && [ "$dir" != "$bindir" ]; then
		die "$dir/git-backfill would be tested instead of $bindir/git-backfill: git's test library puts $dir first; remove it or set GIT_TEST_INSTALLED to a directory without one"
	fi
done

# Tests that need a git command by the words of their title, one
# "<command>|<title words>" a line. A command is there when "git <command>
# -h" exits 129 with its usage, as every git command does; an unknown one
# exits 1.
needs='replay|fetch-free replay'
skip=
echo "t5620: $("$installed" --version) from $GIT_TEST_INSTALLED, git-backfill from $bindir"
while IFS='|' read -r cmd title; do
	status=0
	"$installed" "$cmd" -h >/dev/null 2>&1 || status=$?
	[ "$status" -eq 129 ] && continue
	# The test's number: its place among the test_expect_* lines.
	n=$(awk -v title="$title" '/^[ \t]*test_expect_(success|failure)/ { n++; if (index($0, title)) { print n; exit } }' "$src/t/t5620-backfill.sh")
	if [ -z "$n" ]; then
		echo "t5620: no test titled '...$title...' to skip (the installed git has no 'git $cmd')" >&2
		continue
	fi
	echo "t5620: skipping test $n ('...$title...'): the installed git has no 'git $cmd'"
	skip="$skip t5620.$n"
done <<EOF
$needs
EOF

# A newer git's test library may default to another hash or ref format
# than the installed git uses (git 2.39 has no reftable): pin the
# installed git's defaults.
PATH="$bindir:$PATH"
GIT_TEST_DEFAULT_HASH=sha1
GIT_TEST_DEFAULT_REF_FORMAT=files
GIT_SKIP_TESTS="${GIT_SKIP_TESTS:-}$skip"
export PATH GIT_TEST_INSTALLED GIT_TEST_DEFAULT_HASH GIT_TEST_DEFAULT_REF_FORMAT GIT_SKIP_TESTS
cd "$src/t"
exec ./t5620-backfill.sh "$@"
