// Package oracle reads the peer-tool oracle files of the test corpus (tshark
// field dumps and Zeek conn.log baselines) and compares them with synfin's
// records (docs/spec.md §7). Only tests import it.
//
// # Inputs
//
//   - synfin records: analyze.Record, as the pipeline makes them or as
//     [ReadRecords] decodes synfin's JSON Lines output into them; no copy
//     of the schema, so a field renamed in analyze is renamed here too.
//   - tshark: [ReadTshark] reads oracles/tshark/<capture>.tsv (tshark -2 -T
//     fields, only rows with SYN, FIN or RST set) and derives one [TsharkConn]
//     per tcp.stream. A stream with none of those flags is absent.
//   - Zeek: [ReadZeek] reads a conn.log (with a #fields header, renamed id
//     columns such as src_ip, or the bare header line that btest-diff-cut
//     leaves); [ReadMapping] reads oracles/zeek/mapping.tsv, whose
//     [Baseline.Usable] says which baselines may be compared.
//
// # Multi-valued tshark fields
//
// A field that occurs twice in a frame (tunnels, TCP headers quoted in ICMP
// errors) is comma-joined by tshark. The reader takes the LAST value of every
// tcp.* field and of the address fields (the innermost header, which is the
// one carrying the TCP header). It skips a row, recording why in
// [TsharkLog.Skipped], when:
//
//   - tcp.stream holds two different values (the frame belongs to two
//     streams; nothing can be attributed);
//   - the addresses show an ICMP error quoting a TCP header: the outer
//     destination equals the quoted source (the error goes back to the
//     sender of the quoted segment). Such a row is not a TCP segment on the
//     wire and would otherwise count as a retransmitted SYN.
//
// When a row holds two TCP headers (tcp.srcport comma-joined), the option
// kind list cannot be split between them, so the layout of that row is
// unknown (nil). When a row has both IPv4 and IPv6 addresses (an IPv6-in-IPv4
// tunnel such as 6to4, Teredo, AYIYA or GTP, or IPv4-in-IPv6), tshark's fields
// do not say which is inner; the reader takes the IPv6 addresses, which is
// right for every such row in the corpus (all are IPv6 over IPv4), and marks
// the connection Tunnelled. An IPv4-in-IPv6 stream would therefore show up as
// unmatched on both sides of a comparison rather than as wrong values.
//
// # Usable Zeek baselines
//
// See [Baseline.SkipReasons]: a baseline is compared only when its role is
// primary, neither the test script (notes "redefs:") nor the command line
// (name=value arguments) redefines anything, no packet filter is involved
// (-f/--filter on the command line, or "filter" in the notes or test name),
// and, if btest-diff-cut cut columns, the kept columns still hold the
// 5-tuple and conn_state or history. Because the mapping does not record
// every cut, check [ZeekLog.Comparable] on the log as well. Whether Zeek
// dropped bad-checksum packets (no -C) is kept as a note on every
// connection of the log ([Baseline.ChecksumNote], ZeekConn.Note).
//
// # Matching
//
// Records and oracle connections are compared per capture (the base name of
// Record.File against the oracle's capture name). A record matches a tshark
// stream with the same unordered endpoint pair and the same client ISN when
// both have one; the remaining ones on that pair are paired in order of
// appearance (conn index against stream number), skipping pairs where both
// sides have a client ISN and they differ. A Zeek row matches a record on
// the unordered endpoint pair of its 5-tuple; when a pair has as many rows
// as records, they are paired in order of appearance (conn index against log
// order) whatever their orientation; when Zeek split or merged connections
// (counts differ), rows with id.orig = synfin's client are paired first and
// then flipped ones (id.orig = synfin's server: Zeek may flip the
// originator), each in order. A flipped match is noted on its disagreements.
//
// A field counts only when the oracle has a value for it; see
// [CompareTshark] and [CompareZeek] for the fields.
package oracle
