package exportertest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/git-backfill/git-backfill/exporters"
)

// generatedAt is the suite's export time.
var generatedAt = time.Date(2026, 11, 22, 3, 15, 0, 0, time.UTC)

// Metadata returns the metadata of the suite's exports.
func Metadata() exporters.Metadata {
	return exporters.Metadata{
		Tool: "git-backfill", Version: "0.0.0-conformance", GeneratedAt: generatedAt,
		Repository: "conformance", Remote: "https://example.com/conformance.git",
		Selection: exporters.Selection{Days: 90}, DiffBase: "parent",
		SchemaVersion: exporters.SchemaVersion,
	}
}

// Summary returns the summary of an export of records.
func Summary(records [][]byte) exporters.Summary {
	s := exporters.Summary{CommitCount: int64(len(records))}
	if len(records) > 0 {
		s.MinCommitDate, s.MaxCommitDate = generatedAt.Add(-time.Hour), generatedAt.Add(-time.Minute)
	}
	return s
}

// Records returns n records numbered from first, as JSON without newlines.
// Their messages mix ASCII, multi-byte UTF-8 and characters that JSON
// escapes, so any re-encoding shows.
func Records(first, n int) [][]byte {
	recs := make([][]byte, n)
	for i := range recs {
		recs[i] = record(first+i, fmt.Sprintf("commit %d: ü ✓ \"quoted\" <tag> \u2028 tab\t\n", first+i), "")
	}
	return recs
}

// Record returns record number i with a diff of diffSize pseudo-random,
// poorly compressible bytes.
func Record(i, diffSize int) []byte {
	r := rand.New(rand.NewPCG(uint64(i), uint64(diffSize)))
	diff := make([]byte, diffSize)
	const chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-\n" // 64
	for j := 0; j < len(diff); j += 10 {
		v := r.Uint64()
		for k := j; k < min(j+10, len(diff)); k++ {
			diff[k] = chars[v&63]
			v >>= 6
		}
	}
	return record(i, fmt.Sprintf("large commit %d", i), string(diff))
}

func record(i int, msg, diff string) []byte {
	b, err := json.Marshal(exporters.Record{
		SchemaVersion: exporters.SchemaVersion,
		CommitSHA:     fmt.Sprintf("%040x", i),
		ParentSHAs:    []string{fmt.Sprintf("%040x", i+1<<20)},
		AuthorName:    "A U Thor", AuthorEmail: "author@example.com",
		AuthorDate:    "2026-11-21T10:00:00+01:00",
		CommitterDate: "2026-11-21T10:00:00+01:00",
		Message:       msg,
		FilesChanged:  "a.txt",
		DiffStat:      "1\t0\ta.txt",
		GitDiff:       diff,
		Files:         []exporters.File{{Path: "a.txt", Status: "M", Additions: 1}},
		Trailers:      []exporters.Trailer{},
	})
	if err != nil {
		panic(err)
	}
	return b
}

// largeBatches are records over 4 MiB (a common message size limit), and
// over twice that, mixed with small ones: alone in a batch, and two in one
// batch after small ones. They are made once; callers do not modify them.
var largeBatches = sync.OnceValue(func() [][][]byte {
	const big = 4<<20 + 1
	return [][][]byte{
		{Record(0, big)},
		Records(1, 3),
		append(Records(4, 2), Record(6, big), Record(7, 2*big)),
		Records(8, 2),
	}
})

// compare reports the first difference between got and want.
func compare(t *testing.T, got, want [][]byte) {
	t.Helper()
	for i := range min(len(got), len(want)) {
		if !bytes.Equal(got[i], want[i]) {
			t.Fatalf("record %d differs: got %d bytes %.80q..., want %d bytes %.80q...",
				i, len(got[i]), got[i], len(want[i]), want[i])
		}
	}
	if len(got) != len(want) {
		t.Fatalf("got %d records, want %d", len(got), len(want))
	}
}

// CheckError fails t unless err follows the house style: a lower-case
// start (acronyms apart) and no final punctuation or newline.
func CheckError(t testing.TB, err error) {
	t.Helper()
	msg := err.Error()
	first, n := utf8.DecodeRuneInString(msg)
	second, _ := utf8.DecodeRuneInString(msg[n:])
	switch {
	case msg == "":
		t.Errorf("empty error message")
	case unicode.IsUpper(first) && unicode.IsLower(second):
		t.Errorf("error starts with a capital: %q", msg)
	case msg[len(msg)-1] == '.' || msg[len(msg)-1] == '\n':
		t.Errorf("error ends with punctuation or a newline: %q", msg)
	}
}
