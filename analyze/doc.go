// Package analyze turns the connections package flows tracked into plain
// records: the handshake with Karn-safe timing and both legs
// (handshake.go), the options of the SYN and SYN-ACK and what they
// negotiated (options.go), the teardown (teardown.go), Zeek's conn_state
// and history and Wireshark's completeness (state.go), and counts over many
// records (summary.go). It does no I/O: connections in, records out.
//
// Record (record.go) is the JSON Lines schema of docs/spec.md §7; field names are
// part of the contract.
package analyze
