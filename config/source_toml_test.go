package config

import (
	"errors"
	"reflect"
	"testing"

	"github.com/BurntSushi/toml"
)

const tomlPath = "/repo/.git/backfill.toml"

// specExample is a configuration with top-level keys and two exporter
// tables, the list written as "exporters" because TOML cannot hold both an
// "exporter" array and "exporter" tables. docs/configuration.md shows it.
const specExample = `minBatchSize = 10000
sparse = true
exporters = ["archive", "lake"]
[exporter.archive]
type = "tar"
output = "exports/"
[exporter.lake]
type = "s3"
bucket = "git-history"
prefix = "monorepo/"
endpoint = "http://127.0.0.1:7070"
`

func TestFromTOML(t *testing.T) {
	at := func(line int, key, value string) Entry {
		return Entry{Key: key, Value: value, Origin: tomlPath, Line: line}
	}
	tests := []struct {
		name string
		in   string
		want []Entry
	}{{
		name: "spec example",
		in:   specExample,
		want: []Entry{
			at(1, "minBatchSize", "10000"),
			at(2, "sparse", "true"),
			at(3, "exporter", ""), at(3, "exporter", "archive"), at(3, "exporter", "lake"),
			at(5, "exporter.archive.type", "tar"),
			at(6, "exporter.archive.output", "exports/"),
			at(8, "exporter.lake.type", "s3"),
			at(9, "exporter.lake.bucket", "git-history"),
			at(10, "exporter.lake.prefix", "monorepo/"),
			at(11, "exporter.lake.endpoint", "http://127.0.0.1:7070"),
		},
	}, {
		name: "every scalar kind",
		in: "# comment\n\nmaxBatchSize = \"1m\"\njobs = 4\nincludeEdges = false\n" +
			"remote = \"upstream\"\ndays = 30\nconcurrency = 8\nskipDiffs = true\n" +
			"diffBase = \"fork-point\"\nsnapshot = false\n",
		want: []Entry{
			at(3, "maxBatchSize", "1m"), at(4, "jobs", "4"), at(5, "includeEdges", "false"),
			at(6, "remote", "upstream"), at(7, "days", "30"), at(8, "concurrency", "8"),
			at(9, "skipDiffs", "true"), at(10, "diffBase", "fork-point"), at(11, "snapshot", "false"),
		},
	}, {
		name: "git spelling of the list",
		in:   "exporter = [\"a\", \"b\"]\n",
		want: []Entry{at(1, "exporter", ""), at(1, "exporter", "a"), at(1, "exporter", "b")},
	}, {
		name: "empty list",
		in:   "exporters = []\n",
		want: []Entry{at(1, "exporter", "")},
	}, {
		name: "dotted and inline exporter tables",
		in:   "exporter.a.type = \"tar\"\nexporter.b = { type = \"s3\", bucket = \"x\" }\n",
		want: []Entry{
			at(1, "exporter.a.type", "tar"),
			at(2, "exporter.b.type", "s3"), at(2, "exporter.b.bucket", "x"),
		},
	}, {
		name: "empty file",
		in:   "",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, err := FromTOML(tomlPath, []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if src.Name != tomlPath || !reflect.DeepEqual(src.Entries, tt.want) {
				t.Errorf("got %q %+v\nwant %+v", src.Name, src.Entries, tt.want)
			}
		})
	}
}

func TestFromTOMLErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
		keyErr, valErr bool
	}{
		{"misspelled key", "sparse = true\nminBatchSzie = 3\n",
			`unknown key "minBatchSzie" in /repo/.git/backfill.toml:2 (did you mean "minBatchSize"?)`, true, false},
		{"git's lower case is not TOML's", "minbatchsize = 3\n",
			`unknown key "minbatchsize" in /repo/.git/backfill.toml:1 (did you mean "minBatchSize"?)`, true, false},
		{"unknown key without suggestion", "\n\ncolour = 3\n",
			`unknown key "colour" in /repo/.git/backfill.toml:3`, true, false},
		{"unknown table", "[core]\nbare = true\n",
			`unknown key "core" in /repo/.git/backfill.toml:1`, true, false},
		// An exporter's options are the exporter's to check (in Configure);
		// here only their form and type.
		{"malformed exporter option", "[exporter.lake]\n\"bad name\" = \"x\"\n",
			`unknown key "exporter.lake.bad name" in /repo/.git/backfill.toml:2`, true, false},
		{"bool as string", "\nsparse = \"maybe\"\n",
			`bad value for sparse (/repo/.git/backfill.toml:2): expected a boolean (true or false), got a string ("maybe")`, false, true},
		{"int as float", "days = 1.5\n",
			`bad value for days (/repo/.git/backfill.toml:1): expected an integer, got a float (1.5)`, false, true},
		{"int as string", "jobs = \"4\"\n",
			`bad value for jobs (/repo/.git/backfill.toml:1): expected an integer, got a string ("4")`, false, true},
		{"size as bool", "minBatchSize = true\n",
			`bad value for minBatchSize (/repo/.git/backfill.toml:1): expected an integer or a size string such as "20k", got a boolean (true)`, false, true},
		{"string as int", "remote = 3\n",
			`bad value for remote (/repo/.git/backfill.toml:1): expected a string, got an integer (3)`, false, true},
		{"scalar as table", "[sparse]\nx = 1\n",
			`bad value for sparse (/repo/.git/backfill.toml:1): expected a boolean (true or false), got a table`, false, true},
		{"list element", "exporters = [\"a\", 2]\n",
			`bad value for exporters (/repo/.git/backfill.toml:1): expected an array of exporter names (strings), got an integer (2)`, false, true},
		{"empty list element", "exporters = [\"\"]\n",
			`bad value "" for exporters (/repo/.git/backfill.toml:1): expected an exporter name made of letters, digits, '-' and '_'`, false, true},
		{"exporters as table", "[exporters.a]\ntype = \"tar\"\n",
			`bad value for exporters (/repo/.git/backfill.toml:1): expected an array of exporter names, got a table`, false, true},
		{"exporter as string", "exporter = \"tar\"\n",
			`bad value for exporter (/repo/.git/backfill.toml:1): expected an array of exporter names or [exporter.<name>] tables, got a string ("tar")`, false, true},
		{"exporter entry not a table", "exporter.lake = \"s3\"\n",
			`bad value for exporter.lake (/repo/.git/backfill.toml:1): expected a table [exporter.lake], got a string ("s3")`, false, true},
		{"array of exporter tables", "[[exporter.lake]]\ntype = \"s3\"\n",
			`bad value for exporter.lake (/repo/.git/backfill.toml:1): expected a table [exporter.lake], got an array of tables`, false, true},
		{"option not a string", "[exporter.lake]\n\nbucket = 3\n",
			`bad value for exporter.lake.bucket (/repo/.git/backfill.toml:3): expected a string: an S3 bucket name, got an integer (3)`, false, true},
		{"secret option not shown", "[exporter.lake]\npresignedUrl = 12345\n",
			`bad value for exporter.lake.presignedUrl (/repo/.git/backfill.toml:2): expected a string: an http:// or https:// URL, got an integer`, false, true},
		{"both list spellings", "exporter = [\"a\"]\nexporters = [\"b\"]\n",
			`both exporter and exporters set the exporter list in /repo/.git/backfill.toml:2: keep one`, false, false},
		{"syntax error", "sparse = true\ndays = \n",
			`parsing /repo/.git/backfill.toml:2: expected value but found '\n' instead`, false, false},
		{"duplicate key", "days = 1\ndays = 2\n",
			`parsing /repo/.git/backfill.toml:2: Key 'days' has already been defined`, false, false},
		{"spec example as written", "exporter = [\"archive\"]\n[exporter.archive]\ntype = \"tar\"\n",
			`parsing /repo/.git/backfill.toml:2: Key 'exporter' was already created as a hash` +
				` (TOML cannot hold both exporter = [...] and [exporter.<name>] tables: write the list as exporters = [...])`, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := FromTOML(tomlPath, []byte(tt.in))
			if err == nil {
				t.Fatal("no error")
			}
			if err.Error() != tt.want {
				t.Errorf("error:\n got %s\nwant %s", err, tt.want)
			}
			var ke *KeyError
			var ve *ValueError
			if errors.As(err, &ke) != tt.keyErr || errors.As(err, &ve) != tt.valErr {
				t.Errorf("error type %T: want KeyError %v, ValueError %v", err, tt.keyErr, tt.valErr)
			}
		})
	}
}

// TestFromTOMLSyntaxErrorUnwraps checks that a syntax error keeps the library's
// error for callers that want its position.
func TestFromTOMLSyntaxErrorUnwraps(t *testing.T) {
	_, err := FromTOML(tomlPath, []byte("a = \n"))
	var pe toml.ParseError
	if !errors.As(err, &pe) || pe.Position.Line != 1 {
		t.Errorf("error %v does not unwrap to a toml.ParseError at line 1", err)
	}
}
