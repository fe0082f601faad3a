package draw

import (
	"github.com/synfin/synfin/analyze"
	"github.com/synfin/synfin/analyze/ladder"
)

// Context is what a walkthrough may know beyond its own connection.
type Context struct {
	// Note names, beside each packet, what sent it (synfin lab: the
	// socket call); nil for none.
	Note func(*ladder.Step) string
	// Listened holds, per server ("ip:port"), when a handshake to it
	// first completed in the capture: an RST refusing a later SYN there is
	// not "nothing listens".
	Listened map[string]analyze.Time
	// Width, when not 0, is the terminal's: plain text wraps to it
	// (else at 96 columns).
	Width int
	// Earlier holds, per 4-tuple ("client server"), the connections
	// before, in order: a new SYN on it is a port reuse.
	Earlier map[string][]Earlier
	// Told, shared by the walkthroughs of one document, keeps what was
	// told whole already: the handshake's long paragraph is told once,
	// and later walkthroughs say only what differs.
	Told *Told
}

// Told is what the walkthroughs of one document have told whole.
type Told struct {
	Handshake bool
	Conn      int // the connection whose handshake was told whole
}

// Earlier is what a walkthrough tells of a connection before on the same
// 4-tuple.
type Earlier struct {
	Conn      int
	Last      analyze.Time
	Closer    analyze.Closer
	Kind      analyze.TeardownKind
	ClientEnd uint32 // near the client's last sequence number: ISN, SYN, data, FIN
}

// Earliers records every record for later connections on its 4-tuple.
func Earliers(recs []analyze.Record) map[string][]Earlier {
	m := map[string][]Earlier{}
	for i := range recs {
		NoteEarlier(m, &recs[i])
	}
	return m
}

// NoteEarlier records one record for later connections on its 4-tuple.
func NoteEarlier(m map[string][]Earlier, r *analyze.Record) {
	e := Earlier{Conn: r.Conn, Last: r.LastTS, Closer: r.Teardown.Closer, Kind: r.Teardown.Kind}
	if r.Handshake.ClientISN != nil {
		e.ClientEnd = *r.Handshake.ClientISN + uint32(r.Stats.ClientUnique) + 2
	}
	k := r.Client + " " + r.Server
	m[k] = append(m[k], e)
}

// before is the latest connection on l's tuple that ended before ts.
func (ctx *Context) before(l *ladder.Ladder, ts int64) (Earlier, bool) {
	var got Earlier
	found := false
	for _, e := range ctx.Earlier[l.Client+" "+l.Server] {
		if e.Conn != l.Conn && int64(e.Last) < ts && (!found || e.Last > got.Last) {
			got, found = e, true
		}
	}
	return got, found
}

// Listening records the completed handshakes of records for a Context.
func Listening(recs []analyze.Record) map[string]analyze.Time {
	m := map[string]analyze.Time{}
	for i := range recs {
		NoteListening(m, &recs[i])
	}
	return m
}

// NoteListening records one record's completed handshake in m.
func NoteListening(m map[string]analyze.Time, r *analyze.Record) {
	if r.Handshake.Status != analyze.HandshakeComplete || r.Handshake.AckTS == nil {
		return
	}
	if t, ok := m[r.Server]; !ok || *r.Handshake.AckTS < t {
		m[r.Server] = *r.Handshake.AckTS
	}
}
