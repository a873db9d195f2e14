package wildmatch

import "math/bits"

// smallStates is how many words of states run keeps on the stack: enough
// for patterns of up to 127 steps.
const smallStates = 2

// run feeds text through the steps and returns the states reached; ok is
// false when no state survives. buf, when large enough, holds the two
// state sets.
func (p *Pattern) run(text string, buf []uint64) (states, bool) {
	n := len(p.steps)
	words := (n + 64) / 64
	if len(buf) < 2*words {
		buf = make([]uint64, 2*words)
	}
	cur, next := states(buf[:words]), states(buf[words:2*words])
	cur.clear()
	cur.add(0)
	p.closure(cur)
	for i := 0; i < len(text); i++ {
		c := text[i]
		next.clear()
		any := false
		for w, word := range cur {
			for word != 0 {
				s := w*64 + bits.TrailingZeros64(word)
				word &= word - 1
				if s == n || !p.steps[s].set.has(c) {
					continue
				}
				any = true
				if p.steps[s].star {
					next.add(s)
				} else {
					next.add(s + 1)
				}
			}
		}
		if !any {
			return cur, false
		}
		p.closure(next)
		cur, next = next, cur
	}
	return cur, true
}

// closure adds the states reachable without consuming a byte: past a star
// (which may match nothing) and both ways from a fork. Every such move goes
// forward, so one pass in step order suffices.
func (p *Pattern) closure(st states) {
	for _, s := range p.moves {
		if !st.has(s) {
			continue
		}
		st.add(s + 1)
		if fork := p.steps[s].fork; fork > 0 {
			st.add(fork)
		}
	}
}

// states is a bit set of step indexes.
type states []uint64

func (s states) has(i int) bool { return s[i/64]&(1<<(i%64)) != 0 }
func (s states) add(i int)      { s[i/64] |= 1 << (i % 64) }
func (s states) clear()         { clear(s) }
