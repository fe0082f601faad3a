package segments

// Coverage is the sequence space one side's segments have covered so far
// in the capture, as merged spans of relative sequence numbers. It tells a
// segment sent again (some of its bytes seen before: tcptrace's "rexmt
// data pkts") from one filling a hole this capture never saw filled (a
// segment lost before the capture point: new here), which "below the
// highest byte" cannot.
type Coverage struct {
	spans [][2]uint32 // [lo, hi), sorted, apart
}

// Add covers [lo, hi) and says how many of those bytes were covered before.
func (c *Coverage) Add(lo, hi uint32) (seen uint32) {
	if hi <= lo {
		return 0
	}
	// Spans ending before lo stay; those touching [lo, hi) merge into it.
	i := 0
	for i < len(c.spans) && c.spans[i][1] < lo {
		i++
	}
	j := i
	nlo, nhi := lo, hi
	for j < len(c.spans) && c.spans[j][0] <= hi {
		s := c.spans[j]
		if a, b := max(s[0], lo), min(s[1], hi); b > a {
			seen += b - a
		}
		nlo, nhi = min(nlo, s[0]), max(nhi, s[1])
		j++
	}
	switch {
	case j == i:
		c.spans = append(c.spans, [2]uint32{})
		copy(c.spans[i+1:], c.spans[i:])
		c.spans[i] = [2]uint32{nlo, nhi}
	default:
		c.spans[i] = [2]uint32{nlo, nhi}
		c.spans = append(c.spans[:i+1], c.spans[j:]...)
	}
	return seen
}

// Len is how many bytes are covered.
func (c *Coverage) Len() int {
	n := 0
	for _, s := range c.spans {
		n += int(s[1] - s[0])
	}
	return n
}

// Reset forgets every span, keeping the space.
func (c *Coverage) Reset() { c.spans = c.spans[:0] }
