package archive

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/git-backfill/git-backfill/exporters"
)

// bigMeta returns testMeta with n random pathspecs, 64 hex digits each,
// which compress to about half: 2500 make a head too big for maxReserve.
func bigMeta(n int) exporters.Metadata {
	meta := testMeta()
	rng := rand.New(rand.NewPCG(1, 2))
	for range n {
		meta.Selection.Pathspecs = append(meta.Selection.Pathspecs, fmt.Sprintf("%016x%016x%016x%016x",
			rng.Uint64(), rng.Uint64(), rng.Uint64(), rng.Uint64()))
	}
	return meta
}

func TestPaddedMember(t *testing.T) {
	head := bytes.Repeat([]byte("backfill head "), 300)
	natural, err := gzipMember(head, gzip.DefaultCompression, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := int64(len(natural))
	for _, tc := range []struct {
		pad int64
		ok  bool
	}{
		{-1, false}, // too small
		{0, true},   // no filler needed
		{1, false},  // less than an extra field with one subfield
		{padOverhead - 1, false},
		{padOverhead, true}, // an empty subfield
		{1000, true},
		{math.MaxUint16 + 2, true}, // the largest extra field
		{math.MaxUint16 + 3, false},
	} {
		m, ok, err := paddedMember(head, gzip.DefaultCompression, n+tc.pad)
		if err != nil || ok != tc.ok {
			t.Errorf("pad %d: ok %v, %v; want ok %v", tc.pad, ok, err, tc.ok)
			continue
		}
		if !ok {
			continue
		}
		if int64(len(m)) != n+tc.pad {
			t.Errorf("pad %d: %d bytes, want %d", tc.pad, len(m), n+tc.pad)
		}
		zr, err := gzip.NewReader(bytes.NewReader(m))
		if err != nil {
			t.Fatalf("pad %d: %v", tc.pad, err)
		}
		got, err := io.ReadAll(zr)
		if err != nil || !bytes.Equal(got, head) {
			t.Errorf("pad %d: read back %d bytes, %v", tc.pad, len(got), err)
		}
		// One subfield spanning the field, as RFC 1952 lays them out.
		if x := zr.Extra; tc.pad > 0 && (len(x) < 4 || x[0] != padID[0] || x[1] != padID[1] ||
			int(binary.LittleEndian.Uint16(x[2:])) != len(x)-4) {
			t.Errorf("pad %d: extra field % x...", tc.pad, x[:min(len(x), 8)])
		}
	}
}

// TestReservationFits checks that the head of any summary and records'
// size fits the room Create keeps, at every gzip level, until that room
// reaches maxReserve.
func TestReservationFits(t *testing.T) {
	end := time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)
	summaries := []exporters.Summary{{},
		{CommitCount: math.MaxInt64, SkippedCommits: math.MaxInt64, MinCommitDate: end, MaxCommitDate: end}}
	sizes := []int64{0, 8 << 30, math.MaxInt64} // from 8 GiB, tar adds a PAX header
	for _, pathspecs := range []int{0, 650} {   // 650: just below maxReserve
		w := &Writer{meta: bigMeta(pathspecs), name: "backfill-x-20261122T031500Z"}
		reserve, err := w.reservation()
		if err != nil {
			t.Fatal(err)
		}
		if reserve >= maxReserve {
			t.Fatalf("%d pathspecs: reserve %d, the cap", pathspecs, reserve)
		}
		for level := gzip.HuffmanOnly; level <= gzip.BestCompression; level++ {
			for _, s := range summaries {
				for _, size := range sizes {
					head, err := w.headTar(s, size)
					if err != nil {
						t.Fatal(err)
					}
					// As paddedMember decides, at half the cost.
					m, err := gzipMember(head, level, nil)
					if err != nil || int64(len(m))+padOverhead > reserve {
						t.Errorf("%d pathspecs, level %d, %+v, size %d: %d bytes do not fit %d: %v",
							pathspecs, level, s, size, len(m), reserve, err)
					}
				}
			}
		}
	}
	w := &Writer{meta: bigMeta(2500), name: "backfill-x-20261122T031500Z"}
	if reserve, err := w.reservation(); reserve != maxReserve || err != nil {
		t.Errorf("2500 pathspecs: reserve %d, %v; want the cap, %d", reserve, err, maxReserve)
	}
}

// TestCloseCopiesBigHead checks the slow path: a head too big for
// maxReserve, so Close copies the spool after it.
func TestCloseCopiesBigHead(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.tar.gz")
	meta := bigMeta(2500)
	w, err := Create(path, meta, gzip.DefaultCompression, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	recs := testRecords(50, 20000)
	if err := w.Write(recs); err != nil {
		t.Fatal(err)
	}
	spool := openSpool(t, dir)
	size, err := w.Close(exporters.Summary{CommitCount: int64(len(recs))})
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Size() != size {
		t.Fatalf("archive: %v, Close said %d bytes", err, size)
	}
	if si, _ := spool.Stat(); os.SameFile(si, fi) {
		t.Error("the archive is the spool: the head fitted, so this test no longer tests the copy")
	}
	info, err := Verify(path)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(meta.Selection.Pathspecs); len(info.Selection.Pathspecs) != n || info.Selection.Pathspecs[n-1] != meta.Selection.Pathspecs[n-1] {
		t.Errorf("pathspecs: %d", len(info.Selection.Pathspecs))
	}
	got, err := ReadRecords(path)
	if err != nil || len(got) != len(recs) || !bytes.Equal(got[49], recs[49]) {
		t.Errorf("records: %d, %v", len(got), err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
	checkWithTools(t, path, Name(meta.Repository, meta.GeneratedAt), bytes.Join(append(recs, nil), []byte("\n")))
}
