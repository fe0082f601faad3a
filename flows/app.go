package flows

// AppBytes are the first payload bytes each direction sent, in sequence
// order and without gaps, for application hints: enough for an HTTP
// request line and headers, a TLS ClientHello, an SSH banner.
type AppBytes struct {
	Data    [2][]byte // by Dir
	next    [2]Seq
	done    [2]bool
	started [2]bool
}

// appLimit is how many bytes are kept per direction: a ClientHello with
// post-quantum key shares spans two segments, about 1,800 bytes.
var appLimit = [2]int{DirClient: 4096, DirServer: 1024}

// collectApp appends seg's payload if it continues what was kept; a gap
// ends the collection for that direction, a retransmission is skipped.
func (c *Conn) collectApp(seg *Segment, d Dir) {
	if c.App == nil {
		c.App = new(AppBytes)
	}
	a := c.App
	if a.done[d] {
		return
	}
	start := seg.Seq
	if seg.Flags&FlagSYN != 0 {
		start = start.Add(1) // data on a SYN (Fast Open) follows the SYN
	}
	if len(a.Data[d]) == 0 && !a.started[d] {
		a.started[d] = true
		a.next[d] = start
		if isn, ok := c.FirstDataSeq(d); ok {
			a.next[d] = isn // a first segment out of order is not the start
		}
	}
	p := seg.Payload
	switch {
	case start == a.next[d]:
	case start.LessThan(a.next[d]) && a.next[d].LessThan(start.Add(uint32(len(p)))):
		p = p[start.Size(a.next[d]):] // overlaps what was kept: the new part
	case start.LessThan(a.next[d]):
		return // a retransmission of what was kept
	default:
		a.done[d] = true // a gap: stop rather than guess
		return
	}
	room := appLimit[d] - len(a.Data[d])
	if len(p) >= room {
		p, a.done[d] = p[:room], true
	}
	a.Data[d] = append(a.Data[d], p...)
	a.next[d] = a.next[d].Add(uint32(len(p)))
}
