package pathwalk

// dirMerge is one directory's walk in progress: the digests of its chunks
// merged so far, and the read-ahead of its subdirectories started from
// what those chunks showed. Reading a subdirectory's first versions while
// the directory's last ones are still being read keeps git busy: without
// it, every level of the tree waits for the whole level above, and the
// root waits for the revision walk to end.
type dirMerge struct {
	w      *Walker
	dir    string
	match  Match
	st     *dirState
	merged int // chunks merged
	subs   map[string]*subAhead
}

// subAhead is what a subdirectory has been asked for so far.
type subAhead struct {
	match Match
	pre   *ahead
	sent  int // ids of its slot passed to pre
}

func (w *Walker) newDirMerge(dir string, match Match) *dirMerge {
	return &dirMerge{w: w, dir: dir, match: match, st: newDirState(), subs: map[string]*subAhead{}}
}

// mergeDone merges the chunks from the first not merged yet for as long as
// they are read, without waiting, and reads ahead what they show.
func (m *dirMerge) mergeDone(chunks []*chunk) {
	n := m.merged
	// A failed chunk is left for mergeAll to report.
	for ; m.merged < len(chunks) && readOK(chunks[m.merged]); m.merged++ {
		c := chunks[m.merged]
		m.st.merge(&c.dg)
		m.w.Trees.release(c)
	}
	if m.merged > n {
		m.readAheadSubs()
	}
}

// readOK tells, without waiting, whether c has been read successfully.
func readOK(c *chunk) bool {
	select {
	case <-c.done:
		return c.err == nil
	default:
		return false
	}
}

// mergeAll waits for and merges the rest of chunks. On failure it abandons
// every read it started.
func (m *dirMerge) mergeAll(chunks []*chunk) error {
	for ; m.merged < len(chunks); m.merged++ {
		c := chunks[m.merged]
		if err := m.w.Trees.wait(c); err != nil {
			m.w.abandon(chunks[m.merged:])
			m.abandon()
			return err
		}
		m.st.merge(&c.dg)
		m.w.Trees.release(c)
		// Deeper levels start while the rest of this one is read.
		if m.merged+1 < len(chunks) {
			m.readAheadSubs()
		}
	}
	return nil
}

// readAheadSubs asks for the subdirectory versions that the chunks merged
// since the last call showed.
func (m *dirMerge) readAheadSubs() {
	for i := range m.st.dirs.list {
		d := &m.st.dirs.list[i]
		s := m.sub(d.name)
		if s.match == Excluded || s.sent == len(d.ids) {
			continue
		}
		m.w.extendAhead(join(m.dir, d.name), s.pre, d.ids[s.sent:])
		s.sent = len(d.ids)
	}
}

// sub returns a subdirectory's read-ahead state, judging it by the filter
// the first time.
func (m *dirMerge) sub(name string) *subAhead {
	s, ok := m.subs[name]
	if !ok {
		match := m.match
		if match != Included && m.w.Filter != nil {
			match = m.w.Filter.Dir(join(m.dir, name))
		}
		s = &subAhead{match: match, pre: &ahead{}}
		m.subs[name] = s
	}
	return s
}

// abandon drops every subdirectory read ahead.
func (m *dirMerge) abandon() {
	for _, s := range m.subs {
		m.w.drop(s.pre)
	}
}

// extendAhead adds trees to what a directory reads ahead, as far as the
// read-ahead budget allows. Only a prefix of pre.ids is ever read ahead:
// once the budget ran short, the rest waits for the walk.
func (w *Walker) extendAhead(dir string, pre *ahead, trees [][]byte) {
	start := len(pre.ids)
	for _, id := range trees {
		if _, ok := w.seen[string(id)]; !ok && (w.Has == nil || w.Has(id)) {
			pre.ids = append(pre.ids, id)
		}
	}
	if pre.covered < start {
		return
	}
	n := min(int64(len(pre.ids)-start), w.Trees.budget.Load())
	if n <= 0 {
		return
	}
	w.Trees.budget.Add(-n)
	pre.chunks = append(pre.chunks, w.Trees.request(dirKey(dir), len(pre.chunks), pre.ids[start:start+int(n)], true)...)
	pre.covered = start + int(n)
}
