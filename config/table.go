package config

import (
	"strconv"
	"strings"
)

// DefaultJobs is how many fetch requests run at once unless configured
// (0 configured means this too). Measured: on a remote 25 ms away, -j4 took
// 0.44x the time of -j1 for 20 batches; more gained little.
const DefaultJobs = 4

// Allowed-value texts shared by several keys.
const (
	allowedBool    = "a boolean: true or false (also yes/no, on/off, 1/0)"
	allowedWorkers = "from 1 to 1024, or 0 to choose automatically"
	allowedURL     = "an http:// or https:// URL"
	allowedName    = "an exporter name made of letters, digits, '-' and '_'"
)

// Keys describes every setting, top-level keys first in the order docs/configuration.md lists them, then the
// per-exporter options. The CLI prints help from it and docs are checked against it.
// Callers must not modify it.
var Keys = []KeyInfo{
	{Name: "minBatchSize", Kind: KindSize, Default: "50000", RepoSafe: true,
		Allowed: "a positive size such as 50000, 20k or 1m",
		Help:    "minimum number of objects per fetch request; a path's objects are never split"},
	{Name: "maxBatchSize", Kind: KindSize, Default: "0", RepoSafe: true,
		Allowed: "a positive size such as 200k or 1m, or 0 for no limit",
		Help:    "split batches larger than this, even within one path"},
	{Name: "jobs", Kind: KindInt, Default: strconv.Itoa(DefaultJobs),
		Allowed: "a number of parallel fetches " + allowedWorkers,
		Help:    "fetch requests run at once while the walk continues"},
	{Name: "sparse", Kind: KindBool, RepoSafe: true,
		Allowed: allowedBool,
		Help:    "limit to the sparse-checkout; unset means core.sparseCheckout decides"},
	{Name: "includeEdges", Kind: KindBool, Default: "true",
		Allowed: allowedBool,
		Help:    "also fetch the snapshots of boundary commits"},
	{Name: "remote", Kind: KindString,
		Allowed: "a remote name",
		Help:    "remote to fetch from; unset means the promisor remote (origin for export)"},
	{Name: "days", Kind: KindInt, Default: "90", RepoSafe: true,
		Allowed: "a positive number of days such as 90 (at most 100000)",
		Help:    "export commits of the default branch from the last n days when no range is given"},
	{Name: "concurrency", Kind: KindInt, Default: "0",
		Allowed: "a number of parallel diff workers " + allowedWorkers,
		Help:    "commits whose diffs are computed at once during export"},
	{Name: "skipDiffs", Kind: KindBool, Default: "false",
		Allowed: allowedBool,
		Help:    "leave git_diff and git_diff_raw out of exported records"},
	{Name: "diffBase", Kind: KindString, Default: DiffBaseParent, RepoSafe: true,
		Allowed: DiffBaseParent + " or " + DiffBaseForkPoint,
		Help:    "what each exported commit's diff is against"},
	{Name: "snapshot", Kind: KindBool, Default: "false",
		Allowed: allowedBool,
		Help:    "export from a hard-linked snapshot of a shared bare mirror"},
	{Name: "exporter", Kind: KindList,
		Allowed: allowedName,
		Help: "default exporters for export, repeatable; none means stdout " +
			"(in TOML: exporters = [...] beside [exporter.<name>] tables)"},

	{Name: "exporter.<name>.type", Kind: KindString, Default: "<name>",
		Allowed: "an exporter type: a built-in (stdout, tar, s3, buildkite, parquet) or a plugin name",
		Help:    "which exporter implementation this named exporter uses"},
	{Name: "exporter.<name>.path", Kind: KindString,
		Allowed: "an absolute path to the plugin executable",
		Help:    "run this plugin program instead of searching for git-backfill-exporter-<type>"},
	{Name: "exporter.<name>.sha256", Kind: KindString,
		Allowed: "a SHA-256 digest of 64 hexadecimal digits",
		Help:    "refuse to start the plugin unless its executable has this digest"},
	{Name: "exporter.<name>.timeout", Kind: KindString,
		Allowed: "a duration such as 90s, 10m or 2h",
		Help: "the longest any call to this exporter may take (by default Configure and Begin 2m, " +
			"Manifest 15m, each Write 10m, End with its delivery 2h)"},
	{Name: "exporter.<name>.output", Kind: KindString,
		Allowed: "a file or directory path",
		Help:    "tar: the archive file, or a directory that receives it"},
	{Name: "exporter.<name>.bucket", Kind: KindString,
		Allowed: "an S3 bucket name",
		Help:    "s3: the bucket to upload to"},
	{Name: "exporter.<name>.prefix", Kind: KindString,
		Allowed: "an S3 key prefix",
		Help:    "s3: key prefix of uploaded archives and the manifest"},
	{Name: "exporter.<name>.region", Kind: KindString,
		Allowed: "an AWS region such as us-east-1",
		Help:    "s3: the bucket's region"},
	{Name: "exporter.<name>.endpoint", Kind: KindString,
		Allowed: allowedURL,
		Help:    "s3: an S3-compatible server, addressed path-style"},
	{Name: "exporter.<name>.presignedUrl", Kind: KindString, Secret: true,
		Allowed: allowedURL,
		Help:    "s3: upload with a presigned POST form obtained from this URL"},
}

// Diff bases accepted by the diffBase key.
const (
	DiffBaseParent    = "parent"
	DiffBaseForkPoint = "fork-point"
)

var (
	topKeys         = map[string]KeyInfo{} // canonical name → info
	exporterOptions = map[string]KeyInfo{} // option name ("bucket") → info
	lowerNames      = map[string]string{}  // lower-cased top-level name → canonical
	lowerOptions    = map[string]string{}  // lower-cased option name → canonical
)

func init() {
	for _, k := range Keys {
		if opt := k.Option(); opt != "" {
			exporterOptions[opt] = k
			lowerOptions[strings.ToLower(opt)] = opt
			continue
		}
		topKeys[k.Name] = k
		lowerNames[strings.ToLower(k.Name)] = k.Name
	}
}
