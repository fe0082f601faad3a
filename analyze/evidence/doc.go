// Package evidence reads one connection's packets (a ladder) into a
// timeline of what each packet proves, as far as the capture point can
// tell: which bytes, SYN and FIN it acknowledges, whether it is new data,
// a retransmission (and what the packets before it single out as its
// trigger), a copy the capture holds twice (and by what evidence), a
// window update, a zero window or a probe of it, a keep-alive, a
// duplicate ACK, an RST and what came before it. Both sides' RFC 9293
// state machines run over it, each side moving only on what it sent or
// received. Every sentence synfin writes about a connection (explain, the
// ladder's caption, the report) is built from this timeline, so that no
// two views tell different stories and no sentence states a cause the
// packets do not single out.
//
// The package is pure: a ladder in, a timeline out; no I/O.
package evidence
