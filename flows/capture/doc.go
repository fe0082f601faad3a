// Package capture turns capture bytes into raw packets: it is step 1 of
// package flows, kept apart because it is where hostile input arrives and
// it needs nothing of the analysis behind it.
//
// It owns:
//
//   - decompression (gzip, zstd, lz4, xz, bzip2) and format sniffing (pcap,
//     pcap with nanosecond timestamps, pcapng), both from magic bytes, so
//     that a file is read by what it is and not by what its name says;
//   - reading pcap and pcapng through gopacket's pcapgo readers into Packets
//     that carry their link type, timestamp, 1-based index and byte offset,
//     with pooled buffers so that a batch of thousands of small captures
//     does not allocate each one afresh;
//   - the record guard, which follows record and block boundaries as the
//     bytes pass and stops at one that claims an impossible length before
//     pcapgo sees it, so that a hostile length never becomes an allocation,
//     and which gives each pcapng packet its byte offset;
//   - the errors of opening and reading (ErrNotCapture, ErrUnsupportedFormat,
//     *OpenError, *PacketError), which name the file and, for damage, the
//     packet and its byte offset, so that the user can find the spot in
//     Wireshark or a hex editor.
//
// Decoding a packet's layers is not its business: that is flows.Decoder,
// whose errors (flows.ErrUnsupportedLink, flows.IsDamage) live with it.
//
// It must not import any package of synfin: flows (and through it
// everything else) imports capture, and keeping this layer at the bottom,
// with only the standard library, gopacket and the decompressors below it,
// keeps what reads untrusted bytes small enough to fuzz and review on its
// own.
package capture
