package odb

import (
	"encoding/binary"
	"testing"
)

// FuzzParsePackIndex: any bytes either fail to parse or give an index whose
// lookups stay inside the file.
func FuzzParsePackIndex(f *testing.F) {
	f.Add(validIndex(3, 20), []byte("0123456789abcdef0123"))
	f.Add(validIndex(0, 20), []byte("x"))
	f.Add(append([]byte{0xff, 't', 'O', 'c', 0, 0, 0, 2}, make([]byte, 1024)...), make([]byte, 20))
	f.Fuzz(func(t *testing.T, data, id []byte) {
		for _, idLen := range []int{20, 32} {
			p, err := parsePackIndex(data, idLen)
			if err != nil {
				continue
			}
			probe := make([]byte, idLen)
			copy(probe, id)
			p.has(probe)
			// Lookups of ids the index lists stay inside the file too.
			for i := 0; i < min(p.count, 4); i++ {
				p.has(p.names[i*p.stride : i*p.stride+idLen])
			}
		}
	})
}

// validIndex builds a version 2 index of n sorted ids.
func validIndex(n, idLen int) []byte {
	data := []byte{0xff, 't', 'O', 'c', 0, 0, 0, 2}
	fanout := make([]byte, 1024)
	ids := make([]byte, 0, n*idLen)
	for i := range n {
		id := make([]byte, idLen)
		id[0] = byte(i * 7)
		id[idLen-1] = byte(i)
		ids = append(ids, id...)
	}
	for b := range 256 {
		c := 0
		for i := range n {
			if int(ids[i*idLen]) <= b {
				c++
			}
		}
		binary.BigEndian.PutUint32(fanout[4*b:], uint32(c))
	}
	data = append(data, fanout...)
	data = append(data, ids...)
	data = append(data, make([]byte, n*8+2*idLen)...)
	return data
}

func TestValidIndexLookups(t *testing.T) {
	data := validIndex(30, 20)
	p, err := parsePackIndex(data, 20)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 30 {
		id := make([]byte, 20)
		id[0], id[19] = byte(i*7), byte(i)
		if !p.has(id) {
			t.Fatalf("id %d not found", i)
		}
		id[10] = 1
		if p.has(id) {
			t.Fatalf("absent id %d found", i)
		}
	}
}

func BenchmarkHas(b *testing.B) {
	data := validIndex(36, 20) // validIndex keeps ids sorted up to 36
	p, err := parsePackIndex(data, 20)
	if err != nil {
		b.Fatal(err)
	}
	s := &Store{idLen: 20, packs: []*packIndex{p}, loose: map[string]struct{}{}}
	id := make([]byte, 20)
	i := 20
	id[0], id[19] = byte(i*7), byte(i)
	for b.Loop() {
		if !s.Has(id) {
			b.Fatal("not found")
		}
	}
}
