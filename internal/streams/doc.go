// Package streams writes each direction's payload, put back in sequence
// order, to a file of its own, as tcpflow does (--streams DIR):
//
//	DIR/CAPTURE_CONN_CLIENT_SERVER.c2s   what the client sent (CAPTURE: the input's path, made safe)
//	DIR/CAPTURE_CONN_CLIENT_SERVER.s2c   what the server sent
//	… .gaps                              "offset length" of each gap, when there were any
//
// Bytes never captured are not invented: the file goes on after the gap
// and the .gaps file says where it was. Memory stays bounded: a direction
// holds at most streamPending bytes waiting for a gap to fill, all
// directions together streamBudget, and at most streamOpenFiles files are
// open at once.
//
// A Set's Trace is a pipeline trace hook; it reads Segment.Payload, so the
// capture must run in one goroutine (pipeline.InOne). It imports analyze
// and flows, and nothing of the command.
package streams
