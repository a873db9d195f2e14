// Command git-backfill-exporter-files is the example exporter plugin: it
// writes one JSON file per commit (see package exporters/files). Install it
// on PATH or in a plugin directory and export with
//
//	git config backfill.exporter.files.dir /path/to/commits
//	git backfill export --exporter=files
//
// A plugin's main is one call; the exporter's name, "files", comes from the
// program's name, git-backfill-exporter-files.
package main

import (
	"github.com/git-backfill/git-backfill/exporters/files"
	"github.com/git-backfill/git-backfill/plugins"
)

func main() { plugins.Serve(files.New) }
