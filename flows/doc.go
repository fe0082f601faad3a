// Package flows turns capture bytes into TCP connections.
//
// The data flows in this order:
//
//  1. Package capture (flows/capture) opens a file or stream, sniffs
//     compression (gzip, zstd, lz4, xz, bzip2) and format (pcap, pcapng) from
//     magic bytes, and yields raw packets (capture.Packet) with their link
//     type, timestamp, index and byte offset. It is a package of its own
//     because it is the layer that meets hostile bytes first and needs
//     nothing of the rest: flows imports it, never the other way.
//  2. decode.go decodes each packet with one preallocated gopacket
//     DecodingLayerParser per link type (plus small decoders for what gopacket
//     lacks: raw IP, NFLOG, PPP, PPPoE, MPLS) into a Segment that holds values
//     only.
//  3. table.go looks the segment's endpoint pair up in the connection table
//     and hands it to its Conn (conn.go), which keeps per-direction sequence
//     state (stream.go) and records the handshake, teardown and statistics
//     facts that package analyze turns into records.
//  4. A connection is finished, and handed to the caller's callback, when it
//     has closed (FIN both ways acknowledged, or RST) and a short linger has
//     passed in capture time, when it has been idle past the idle timeout,
//     or at the end of the input. Memory therefore follows concurrent
//     connections, not total ones.
//
// Nothing on the per-packet path allocates once the table has warmed up.
package flows
