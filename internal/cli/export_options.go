package cli

const exportUsageLine = "git backfill export [<options>] [<revision-range>] [-- <pathspec>...]"

// exportOptions are the options of "git backfill export".
var exportOptions = []option{
	{long: "days", arg: "<n>", key: "days",
		help: "without a revision range: the default branch's commits of the last <n> days (default 90)"},
	{long: "commits-from", arg: "<file>",
		help: "export the commit ids listed in <file> (one per line; - for standard input), fetching missing ones"},
	{long: "diff-base", arg: "<mode>", key: "diffBase",
		help: "diff each commit against its first parent (parent, the default) or where its branch left the default branch (fork-point)"},
	{long: "skip-diffs", negatable: true, key: "skipDiffs",
		help: "leave out git_diff and git_diff_raw (file lists and numstat stay)"},
	{long: "concurrency", arg: "<n>", key: "concurrency",
		help: "compute diffs with up to <n> workers (default: the number of CPUs)"},
	{long: "exporter", arg: "<name>", key: "exporter", repeat: true,
		help: "send records to this exporter (repeatable; default from backfill.exporter, else stdout)"},
	{long: "output", arg: "<path>",
		help: "also write a tar.gz archive: a file name, or a directory that receives backfill-<repo>-<time>.tar.gz"},
	{long: "upload", arg: "<archive>",
		help: "upload an archive kept by a failed export with the s3 exporter, without any git work"},
	{long: "remote", arg: "<name>", key: "remote",
		help: "remote of the default branch and of missing commits (default origin)"},
	{long: "sparse", negatable: true, key: "sparse",
		help: "export only commits touching the sparse-checkout (cone mode), their files and diffs limited to it"},
	{long: "snapshot", negatable: true, key: "snapshot",
		help: "for a bare mirror that others update: export from a hard-linked snapshot taken under the mirror's update lock"},
	{long: "min-batch-size", arg: "<n>", key: "minBatchSize",
		help: "blob batches fetched before diffs, as for git backfill"},
	{long: "jobs", short: 'j', arg: "<n>", key: "jobs",
		help: "fetch requests at once, as for git backfill"},
	{long: "progress", negatable: true,
		help: "show progress on stderr (default: only when stderr is a terminal)"},
	{long: "quiet", short: 'q',
		help: "no progress and no summary"},
	{long: "config", arg: "<file>",
		help: "read settings from this TOML file"},
}
