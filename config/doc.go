// Package config turns git-backfill's settings from every source into one
// typed, validated [Settings] value that remembers where each value came from.
//
// A setting can come from, highest precedence first:
//
//   - command-line flags (the CLI builds a [Source] itself, Origin "--min-batch-size");
//   - the environment, GIT_BACKFILL_<KEY> ([FromEnv]);
//   - git config, backfill.<key> ([FromGitConfig]; the caller runs
//     "git config -z --list --show-origin --show-scope" so that include,
//     includeIf and worktree config behave as in git);
//   - a TOML file, $GIT_DIR/backfill.toml or $XDG_CONFIG_HOME/git-backfill/config.toml
//     ([DefaultTOMLPath], [FromTOML]), decoded strictly;
//   - the repository's tracked .gitbackfill.toml ([FromRepoFile]), which may set only
//     the harmless keys marked [KeyInfo.RepoSafe];
//   - the defaults in [Keys].
//
// [Resolve] merges the sources: for each key the highest source that sets it wins,
// and only that value is parsed. Within one source the last entry for a key wins,
// except for the multi-valued exporter list, whose entries accumulate and where an
// empty value resets the list (git's convention). Each exporter option
// (exporter.<name>.<key>) is resolved on its own, so git config can override one
// option of an exporter defined in a TOML file.
//
// [Keys] is the one table of every setting: its name, type, default and help. The CLI
// prints help from it and the documentation is checked against it.
//
// Every bad value is reported as a [*ValueError] naming the key, where the value
// came from (file and line where known) and what is allowed; an unknown key in a
// strict source is a [*KeyError]. Both mean "bad configuration" (exit code 128).
// Warnings (ignored keys, unknown variables) are returned as strings for the caller
// to print; this package never prints, exits or runs git.
//
// TOML cannot hold both an array "exporter = [...]" and tables "[exporter.<name>]",
// so a TOML file writes the default exporter list as "exporters = [...]"; the git
// config spelling "exporter = [...]" is accepted when the file has no exporter tables.
package config
