package archive

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/git-backfill/git-backfill/exporters"
)

// The head is the archive's first gzip member: the directory, the
// metadata.json entry and the header of the records' entry. Close writes
// it into room that Create kept at the start of the spool, so the spool
// becomes the archive without a copy. The head must fill that room
// exactly, and gzip has a place for filler: the extra field of a member's
// header (RFC 1952, section 2.3.1.1), which every reader skips.
const (
	// maxReserve bounds the room kept for the head. One extra field holds
	// up to 65535 bytes, so any head member, from the smallest (about 20
	// bytes) to 64 KiB less padOverhead, fills 64 KiB exactly; a larger
	// one takes the slow path, a copy.
	maxReserve = 64 << 10
	// padOverhead is the least an extra field adds to a member: its
	// length (XLEN), then the one subfield's ID and length.
	padOverhead = 2 + 4
)

// padID is the ID of the filler subfield: two letters, as RFC 1952
// suggests, "bf" for backfill, not among the IDs registered there.
var padID = [2]byte{'b', 'f'}

// reservation returns the room to keep for the head: the most its gzip
// member can take, which Create knows but for the summary and the
// records' size, so it assumes the longest of those. Deflate grows
// incompressible input little: Go's encoders fall back to stored blocks
// (5 bytes a block), and fixed codes spend at most 9 bits a byte. 1/8 and
// 256 bytes more cover that, gzip's 18 bytes of framing and the filler's
// overhead; a head that still does not fit takes the slow path.
func (w *Writer) reservation() (int64, error) {
	last := time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)
	worst := exporters.Summary{CommitCount: math.MaxInt64, SkippedCommits: math.MaxInt64,
		MinCommitDate: last, MaxCommitDate: last}
	head, err := w.headTar(worst, math.MaxInt64)
	if err != nil {
		return 0, err
	}
	n := int64(len(head))
	return min(n+n/8+256, maxReserve), nil
}

// headTar returns the head's tar bytes for records of size bytes. The tar
// writer is not closed: the records' entry continues in the next member,
// and closing would end the tar.
func (w *Writer) headTar(summary exporters.Summary, size int64) ([]byte, error) {
	info, err := w.metadata(summary)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	mtime := w.meta.GeneratedAt
	if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: w.name + "/", Mode: 0o755, ModTime: mtime}); err != nil {
		return nil, err
	}
	if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: w.name + "/" + MetadataFile,
		Mode: 0o644, Size: int64(len(info)), ModTime: mtime}); err != nil {
		return nil, err
	}
	if _, err := tw.Write(info); err != nil {
		return nil, err
	}
	if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: w.name + "/" + RecordsFile,
		Mode: 0o644, Size: size, ModTime: mtime}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// metadata returns metadata.json's content: NewInfo's fields, indented,
// unless WithMetadata replaced them.
func (w *Writer) metadata(summary exporters.Summary) ([]byte, error) {
	if w.info != nil {
		info, err := w.info(summary)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", MetadataFile, err)
		}
		return info, nil
	}
	info, err := json.MarshalIndent(NewInfo(w.meta, summary), "", "  ")
	if err != nil {
		return nil, err
	}
	return append(info, '\n'), nil
}

// paddedMember compresses head into a gzip member of exactly size bytes.
// ok is false when no filler makes it so: the member is larger than size,
// or smaller by less than padOverhead or by more than one extra field
// holds.
func paddedMember(head []byte, level int, size int64) (m []byte, ok bool, err error) {
	if m, err = gzipMember(head, level, nil); err != nil {
		return nil, false, err
	}
	pad := size - int64(len(m))
	if pad == 0 {
		return m, true, nil
	}
	if pad < padOverhead || pad-2 > math.MaxUint16 {
		return nil, false, nil
	}
	extra := make([]byte, pad-2)
	copy(extra, padID[:])
	binary.LittleEndian.PutUint16(extra[2:], uint16(len(extra)-4))
	if m, err = gzipMember(head, level, extra); err != nil {
		return nil, false, err
	}
	// The header comes before the deflate stream, which is the same
	// whatever the header holds; check rather than trust that.
	return m, int64(len(m)) == size, nil
}

// gzipMember compresses data into one gzip member with extra in its
// header (none if nil).
func gzipMember(data []byte, level int, extra []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, level)
	if err != nil {
		return nil, err
	}
	zw.Extra = extra
	if _, err := zw.Write(data); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
