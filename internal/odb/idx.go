package odb

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
)

// packIndex is one pack's .idx file: a sorted table of the pack's object
// ids behind a 256-entry fan-out table, in version 1 (no header, SHA-1
// only) or version 2 (git's default since 2007) layout.
type packIndex struct {
	data   []byte // the whole file
	unmap  func()
	fanout []byte // 256 big-endian uint32: objects whose first byte is <= i
	names  []byte // where the id table starts
	stride int    // bytes from one id to the next
	idLen  int
	count  int
}

var idxV2Magic = []byte{0xff, 't', 'O', 'c'}

func openPackIndex(path string, idLen int) (*packIndex, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, unmap, err := mapFile(f)
	if err != nil {
		return nil, fmt.Errorf("object store: reading %s: %w", path, err)
	}
	p, err := parsePackIndex(data, idLen)
	if err != nil {
		unmap()
		return nil, fmt.Errorf("object store: %s: %w", path, err)
	}
	p.unmap = unmap
	return p, nil
}

// parsePackIndex checks an index's layout and sizes; ids are only read by
// has. Every table must fit in the file: a truncated or foreign file is an
// error, never a crash.
func parsePackIndex(data []byte, idLen int) (*packIndex, error) {
	p := &packIndex{data: data, idLen: idLen}
	const fanoutLen = 256 * 4
	var header int
	perObject := 0
	if bytes.HasPrefix(data, idxV2Magic) {
		if len(data) < 8 {
			return nil, fmt.Errorf("truncated pack index")
		}
		if v := binary.BigEndian.Uint32(data[4:8]); v != 2 {
			return nil, fmt.Errorf("unsupported pack index version %d", v)
		}
		header = 8
		p.stride = idLen
		perObject = idLen + 4 + 4 // id, CRC, offset
	} else {
		if idLen != 20 {
			return nil, fmt.Errorf("version 1 pack index in a SHA-256 repository")
		}
		p.stride = 4 + idLen // offset, then id
		perObject = p.stride
	}
	if len(data) < header+fanoutLen {
		return nil, fmt.Errorf("truncated pack index")
	}
	p.fanout = data[header : header+fanoutLen]
	prev := uint32(0)
	for i := 0; i < 256; i++ {
		n := binary.BigEndian.Uint32(p.fanout[4*i:])
		if n < prev {
			return nil, fmt.Errorf("corrupt pack index: fan-out table goes down")
		}
		prev = n
	}
	p.count = int(prev)
	// The trailer holds the pack's and the index's checksums.
	need := uint64(header+fanoutLen) + uint64(p.count)*uint64(perObject) + 2*uint64(idLen)
	if uint64(len(data)) < need {
		return nil, fmt.Errorf("truncated pack index (%d objects need %d bytes, file has %d)", p.count, need, len(data))
	}
	start := header + fanoutLen
	if header == 0 {
		start += 4 // version 1: each id follows its offset
	}
	p.names = data[start:]
	return p, nil
}

// has binary-searches the ids whose first byte is id's.
func (p *packIndex) has(id []byte) bool {
	lo := 0
	if id[0] > 0 {
		lo = int(binary.BigEndian.Uint32(p.fanout[4*(int(id[0])-1):]))
	}
	hi := int(binary.BigEndian.Uint32(p.fanout[4*int(id[0]):]))
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		off := mid * p.stride
		switch c := compareIDs(p.names[off:off+p.idLen], id); {
		case c == 0:
			return true
		case c < 0:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return false
}

func (p *packIndex) close() {
	if p.unmap != nil {
		p.unmap()
		p.unmap = nil
	}
}
