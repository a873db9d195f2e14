package pathwalk

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"sort"
	"sync"
)

// fakeStore is an in-memory object store of trees named by strings; their
// ids are the SHA-1 of the name, so tests read names, not hashes.
type fakeStore struct {
	mu    sync.Mutex
	trees map[string][]byte // hex id -> raw tree
	names map[string]string // hex id -> name
	reads []string          // names, in the order read
	opens int
	fail  string // reading this tree fails
}

type fakeEntry struct {
	mode, name, target string
}

func fblob(name, id string) fakeEntry { return fakeEntry{"100644", name, id} }
func ftree(name, id string) fakeEntry { return fakeEntry{"40000", name, id} }

func fakeID(name string) []byte {
	sum := sha1.Sum([]byte(name))
	return sum[:]
}

func newFakeStore() *fakeStore {
	return &fakeStore{trees: map[string][]byte{}, names: map[string]string{}}
}

// add stores a tree; entries are sorted as git sorts them (directories as
// if their name ended in "/").
func (f *fakeStore) add(name string, entries ...fakeEntry) {
	sort.Slice(entries, func(i, j int) bool { return sortName(entries[i]) < sortName(entries[j]) })
	var raw []byte
	for _, e := range entries {
		raw = append(raw, e.mode+" "+e.name+"\x00"...)
		raw = append(raw, fakeID(e.target)...)
		f.names[hex.EncodeToString(fakeID(e.target))] = e.target
	}
	id := hex.EncodeToString(fakeID(name))
	f.trees[id] = raw
	f.names[id] = name
}

func sortName(e fakeEntry) string {
	if e.mode == "40000" {
		return e.name + "/"
	}
	return e.name
}

func (f *fakeStore) name(id []byte) string {
	if n, ok := f.names[hex.EncodeToString(id)]; ok {
		return n
	}
	return hex.EncodeToString(id)
}

func (f *fakeStore) open(ctx context.Context) (Stream, error) {
	f.mu.Lock()
	f.opens++
	f.mu.Unlock()
	return &fakeStream{store: f, ctx: ctx, queue: make(chan []byte, 1<<16)}, nil
}

type fakeStream struct {
	store *fakeStore
	ctx   context.Context
	queue chan []byte
	sent  [][]byte
}

func (s *fakeStream) Send(id []byte) error {
	s.sent = append(s.sent, append([]byte(nil), id...))
	return nil
}

func (s *fakeStream) Flush() error {
	for _, id := range s.sent {
		select {
		case s.queue <- id:
		case <-s.ctx.Done():
			return s.ctx.Err()
		}
	}
	s.sent = s.sent[:0]
	return nil
}

func (s *fakeStream) Receive(want []byte) ([]byte, error) {
	var id []byte
	select {
	case id = <-s.queue:
	case <-s.ctx.Done():
		return nil, s.ctx.Err()
	}
	if string(id) != string(want) {
		return nil, fmt.Errorf("asked for %x, got %x", want, id)
	}
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	name := s.store.names[hex.EncodeToString(id)]
	s.store.reads = append(s.store.reads, name)
	if name == s.store.fail {
		return nil, fmt.Errorf("cannot read %s", name)
	}
	raw, ok := s.store.trees[hex.EncodeToString(id)]
	if !ok {
		return nil, fmt.Errorf("tree %s not found", name)
	}
	return raw, nil
}

func (s *fakeStream) Close() error { return nil }
