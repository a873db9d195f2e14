package cli

import (
	"fmt"
	"io"
	"strings"
)

const usageLine = "git backfill [<options>] [<revision-range>] [-- <pathspec>...]"

// backfillOptions are the options of "git backfill". Each that has a
// configuration key overrides it (flags beat every other source).
var backfillOptions = []option{
	{long: "min-batch-size", arg: "<n>", key: "minBatchSize",
		help: "fetch once a batch holds at least <n> blobs (default 50000; k, m, g suffixes); one path's blobs are never split"},
	{long: "max-batch-size", arg: "<n>", key: "maxBatchSize",
		help: "never send more than <n> objects in one request, splitting a very large path if needed (default: no limit)"},
	{long: "sparse", key: "sparse",
		help: "fetch only paths in the sparse-checkout (default: on when core.sparseCheckout is true)"},
	{long: "include-edges", key: "includeEdges",
		help: "also fetch the snapshots of the boundary commits of a range (default: on)"},
	{long: "jobs", short: 'j', arg: "<n>", key: "jobs",
		help: "run up to <n> fetch requests at once while the walk goes on (default 4)"},
	{long: "remote", arg: "<name>", key: "remote",
		help: "fetch from this remote instead of the promisor remote"},
	{long: "dry-run", set: setDryRun,
		help: "list the batches that would be fetched on stdout; fetch nothing"},
	{long: "progress", set: setProgress,
		help: "show progress on stderr (default: only when stderr is a terminal)"},
	{long: "quiet", set: setQuiet, short: 'q',
		help: "no progress and no summary"},
	{long: "verbose", set: setVerbose, short: 'v',
		help: "print the summary line at the end even when stderr is not a terminal"},
	{long: "stats", set: setStats, arg: "json",
		help: "write a JSON summary to stderr at the end, after the summary line (unless -q)"},
	{long: "config", set: setConfig, arg: "<file>",
		help: "read settings from this TOML file instead of $GIT_DIR/backfill.toml or ~/.config/git-backfill/config.toml"},
}

// usageArgs describe a command's positional arguments in -h output.
type usageArg struct{ name, help string }

var backfillArgs = []usageArg{
	{"<revision-range>", "commits whose snapshots to fill, as git rev-list takes them (default HEAD): A..B, ^X, --all, --stdin, --first-parent, --since=<date> ..."},
	{"-- <pathspec>...", "fetch only these paths (relative to the current directory)"},
}

var exportArgs = []usageArg{
	{"<revision-range>", "commits to export, as git rev-list takes them (default: the default branch's last --days days)"},
	{"-- <pathspec>...", "export only commits touching these paths, with files and diffs limited to them"},
}

// writeUsage prints "-h" help: the usage line, then every option and
// argument.
func writeUsage(w io.Writer, usage string, opts []option, args []usageArg) {
	fmt.Fprintf(w, "usage: %s\n\n", usage)
	for _, o := range opts {
		fmt.Fprintf(w, "    %-28s %s\n", optionSynopsis(o), o.help)
	}
	for _, a := range args {
		fmt.Fprintf(w, "    %-28s %s\n", a.name, a.help)
	}
	fmt.Fprintln(w, "\nSee 'git help backfill' for configuration keys and exit codes.")
}

func optionSynopsis(o option) string {
	var b strings.Builder
	if o.short != 0 {
		fmt.Fprintf(&b, "-%c, ", o.short)
	}
	b.WriteString("--")
	if o.arg == "" {
		b.WriteString("[no-]")
	}
	b.WriteString(o.long)
	if o.arg != "" {
		b.WriteString("=" + o.arg)
	}
	return b.String()
}
