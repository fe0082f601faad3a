package main

import (
	"fmt"
	"io"
	"slices"
	"sort"

	"github.com/synfin/synfin/internal/msg"
	"github.com/synfin/synfin/internal/tty"
	"github.com/synfin/synfin/internal/views"

	"github.com/spf13/pflag"
)

const usageText = `synfin: how every TCP connection in a capture was opened and closed.

Usage:
  synfin [VIEW] [flags] INPUT...

INPUT is a pcap or pcapng file (gzip, zstd, lz4, xz or bzip2 compressed or
not), a glob, a directory (read recursively), or - for standard input.

Views:
  conns       one line per connection: state, handshake, teardown (default)
  handshakes  SYN, SYN-ACK, ACK: counts, both legs, RTT, ISNs
  teardowns   FIN, ACK, FIN, ACK or RST: kind, closer, times
  options     SYN and SYN-ACK options and what they negotiated
  summary     counts per state, handshake and teardown kind; distributions
  ladder      a sequence diagram of one connection (-c N)
  report      one Markdown or HTML document for a lab report
  explain     a packet-by-packet walkthrough of one connection, in words
  isn         how each host chooses its initial sequence numbers
  batch       many captures and archives in parallel: JSON Lines, CSV, Parquet
  lab         a live loopback connection, captured and explained (root)
  demo        five tables of a capture built into synfin
  help VIEW   what a view shows, column by column
  completion  a completion script: synfin completion bash|zsh|fish

Examples:
  synfin demo
  synfin lab.pcapng
  synfin handshakes -f markdown lab.pcapng > handshake.md
  synfin -f jsonl captures/ > conns.jsonl
  synfin teardowns --port 80 --state SF trace.pcap.gz
  synfin ladder -c 0 lab.pcapng
  synfin report -f html --lang zh lab.pcapng > report.html
  synfin batch -o conns.parquet archive.tar.zst
  synfin --packets trace.pcap     # Wireshark's tcp.analysis flags, per packet

Flags:
`

// usageError reports a mistake on the command line: exit status 2.
func usageError(stderr io.Writer, lang msg.Lang, err error) int {
	return views.UsageError(stderr, lang, err)
}

// sayError reports an error that is no mistake on the command line: one
// line, in lang.
func sayError(stderr io.Writer, lang msg.Lang, text string) {
	tty.Say(stderr, "synfin: %s", lang.F("cli.error", text))
}

func usage(w io.Writer, fs *pflag.FlagSet) {
	fmt.Fprint(w, usageText)
	flagLines(w, fs, nil)
	fmt.Fprint(w, "\nExit status: 0 all read; 1 analysis printed but some input was damaged or\nunreadable; 2 nothing could be read, or bad usage.\n")
}

var viewHelp = map[string]string{
	"conns": `conns: one line per TCP connection.
  conn         connection number in its file, from 0 in order of first packet (tshark's tcp.stream)
  client       the sender of the first SYN (else the receiver of the first SYN-ACK; else the higher port)
  server       the other end
  state        Zeek's conn_state (SF normal open and close, S0 no reply, REJ refused, RSTO/RSTR reset by
               originator/responder, S1 open at the end, SH/SHR half-open close, OTH no SYN seen, …)
  history      Zeek's history letters: upper case from Zeek's originator (S SYN, H SYN-ACK, A ACK, D data,
               F FIN, R RST, T retransmission, W zero window, G gap, ^ roles flipped)
  handshake    complete, no_ack, no_reply, rejected, unreachable, simultaneous, synack_only, not_seen
  rtt_ms       handshake RTT: one round trip, the exchange that completed the handshake
  teardown     four_way, three_way, simultaneous, half_closed, reset, open
  closer       who sent the first FIN (or RST): client, server, both, none
  pkts, bytes  client/server packets and payload bytes (from IP lengths)
  duration_ms  first to last packet
  sf           S<n>F<m>: packets with SYN and with FIN, both ways; /R when an RST was seen`,
	"handshakes": `handshakes: the opening of each connection.
  syns, synacks   transmissions of the SYN and SYN-ACK (1 = no retransmission)
  syn_synack_ms   first leg: the latest client SYN before the last SYN-ACK, to that SYN-ACK
  synack_ack_ms   second leg: that SYN-ACK to the client's ACK
  rtt_ms          one round trip: the sum of the two legs, always
  setup_ms        the first SYN to the ACK: what connect() waited, retransmission timeouts included
  capture_point   client (second leg under 10% of the RTT), server (first leg under 10%), middle
  client_isn, server_isn   raw initial sequence numbers
  ack_ok          the SYN-ACK acknowledged client ISN+1 and the ACK server ISN+1
The legs come from the exchange that completed the handshake; rtt_ambiguous (in the records) says
when a retransmission makes that pairing a guess (the SYN-ACK's or the ACK's timestamp echo names
another one).`,
	"teardowns": `teardowns: the closing of each connection. Times are ms after the connection's first packet.
  kind       four_way (FIN, ACK, FIN, ACK), three_way (the second FIN carries the first ACK),
             simultaneous (neither FIN acknowledges the other), half_closed (one FIN only),
             reset (an RST before the close completed), open
  fin1, fin1_ack, fin2, fin2_ack, rst   when each happened
  close_ms   the last of those minus fin1
  fins       FIN segments from client/server, retransmissions included
  data_after_fin   payload bytes the other side sent after the first FIN (half-close)`,
	"options": `options: the SYN and SYN-ACK options, and the result.
  *_mss, *_wscale   offered MSS and window-scale shift
  *_layout          option kinds in wire order (2 MSS, 4 SACK-permitted, 8 timestamps, 1 NOP, 3 window scale)
  mss               the smaller of the two offers (536 for a side that offered none, RFC 9293)
  wscale            client/server shifts if both offered, else off
  sack, ts          both sides offered them
  ecn               SYN with ECE+CWR and SYN-ACK with ECE only (RFC 3168)
  tfo               the SYN carried a Fast Open cookie and data, and the SYN-ACK acknowledged the data
  notes             anomalies (mss_missing, wscale_over_14, ts_echo_mismatch, …) and features (ecn_negotiated,
                    accecn_negotiated, tfo_*, mptcp_capable); tables of signature and note counts follow`,
	"summary": `summary: counts per state, handshake status and teardown kind; connections with SYN and FIN seen,
reset, still open at the end, begun before the capture; min/mean/max of duration, handshake RTT,
data-phase RTT, packets per connection and advertised window.`,
	"ladder": `ladder -c N FILE: a sequence diagram of connection N (default 0): one arrow per packet with its
time (ms), flags, relative seq/ack (--raw-seq for raw), length and SYN/SYN-ACK options; phases labelled,
retransmissions named, long data runs folded (--full for all). -f table (Unicode; --ascii), markdown, svg, html.`,
	"report": `report FILE...: one document for a lab report: counts by state, handshake and teardown with their
meanings, RTT min/median/p95/max, the tables, and ladders of representative connections (first textbook,
refused, retransmitted SYN, reset, half-close). -f markdown (default) or html (self-contained, printable).
--lang zh for Simplified Chinese.`,
	"explain": `explain -c N FILE: connection N's opening and closing told packet by packet: the socket call behind
each packet, seq/ack raw and relative, the options and what was agreed, the RFC 9293 states of both sides, why
the active closer waits in TIME-WAIT; retransmitted SYNs, refusals, resets and half-closes told as such.
-f table (text) or markdown; --lang zh.`,
	"completion": `completion bash|zsh|fish: a shell completion script for the views, the flags and the values of
  --state, --format and --lang, written from the flags synfin parses.
    synfin completion bash > /etc/bash_completion.d/synfin
    synfin completion zsh > "${fpath[1]}/_synfin"
    synfin completion fish > ~/.config/fish/completions/synfin.fish`,
	"lab": `lab [--server-close|--reset|--half-close|--refused] [--port N] [-w FILE]: synfin's own client and server
make one connection on 127.0.0.1; synfin captures it with an AF_PACKET socket (root or CAP_NET_RAW), lists the
socket calls, explains each packet with the call that sent it, and -w writes the capture as pcapng.`,
	"segments": `segments [-c N] FILE...: every segment of the connections chosen (-c N, the filters; all when none),
both directions in capture order, one row each:
  frame, time_ms  Wireshark's frame number; ms after the connection's first packet
  from            the sender: client or server
  seq, next_seq   relative to the sender's ISN (--raw-seq for raw); next_seq counts the length, SYN and FIN
  len, win        payload bytes; the window it advertises, scaled as its receiver reads it (a SYN's never is)
  ack_frame, ack_time_ms   the first ACK covering the segment's last byte
  rtt_ms          that ACK's time minus the segment's: the textbook's SampleRTT; none for bytes sent more
                  than once (Karn's rule) or never acknowledged in the capture
  srtt_ms, rttvar_ms, rto_ms   the sender's estimates after this sample, by RFC 6298 (alpha 1/8, beta 1/4,
                  K 4; RTO at least 1 s): srtt_ms is the textbook's EstimatedRTT, rttvar_ms its DevRTT
  acked_bytes     on an ACK: how far it moved the acknowledged edge
  acks_frame, ack_rtt_ms   the segment whose end the ACK acknowledges exactly, and the time since it
                  (Wireshark's tcp.analysis.acks_frame and ack_rtt)
  dup_ack, analysis        the duplicate ACK's number; Wireshark's tcp.analysis flags
Each record sums the same up per side in stats.client and stats.server: rtt_samples and rtt_min/median/
mean/max/stdev_ms (these rtt_ms), handshake_rtt_ms (its leg of the handshake), srtt_ms, rttvar_ms, rto_ms
(after the last sample), window_min/max/mean and window_zero (the windows it advertised, scaled; min above
zero), initial_window_bytes/_segments (sent before its first ACK), segments_per_ack (the other side's per
ACK of its own), throughput_bytes_per_s (unique bytes over the connection's time, as tcptrace) and
goodput_bytes_per_s (over the data phase), idle_max_ms, window_limited_ms/_times (held by the other's window).`,
	"graph": `graph -c N --kind KIND FILE: connection N's data phase (default 0), drawn for the side that sent more:
  tseq        time-sequence (Stevens, tcptrace): each data segment a bar from its first to its last byte at the
              time it was sent; red, with a ring, where it carries bytes the capture saw before (tcptrace's
              rexmt rule); the ACK line, the receive window line (ACK + window) and SACK blocks
  rtt         each segment's RTT (to the ACK of its last byte) and the smoothed RTT of RFC 6298
  window      the window the receiver advertised (scaled) and the bytes in flight
  throughput  bytes sent for the first time per interval (a fiftieth of the connection), in kbit/s
-f svg (default), or the points as -f csv or jsonl (series, x_ms, y, y0).`,
	"isn": `isn FILE...: how each host chooses initial sequence numbers, per host, server port and reused 4-tuple:
random (RFC 6528), time_based (with its rate), increasing, constant_step, reused, too_few; -f json for every ISN.`,
	"batch": `batch INPUT...: every capture of files, directories, globs and tar/zip archives (read as streams), in
parallel (--jobs, default all cores), records in input order as JSON Lines, CSV or Parquet (-o out.parquet).
--resume MANIFEST continues an interrupted sweep; --shard I/N takes a share for N machines; --summary-only;
-o conns-%04d.parquet writes numbered files, each put in place whole (--rotate ROWS,DURATION).`,
	"demo": `demo: runs every view on a real capture built into synfin: a textbook connection (handshake,
request, response, four-way close), a refused one and a reset one, with 20 ms each way.`,
}

func help(stdout, stderr io.Writer, lang msg.Lang, fs *pflag.FlagSet, args []string) int {
	if len(args) == 0 {
		usage(stdout, fs)
		return exitOK
	}
	if _, ok := viewHelp[args[0]]; ok {
		viewUsage(stdout, fs, args[0])
		return exitOK
	}
	return usageError(stderr, lang, msg.E("cli.view.nohelp", args[0]))
}

// helpViews are the views synfin help VIEW documents, in the order
// synfin lists its views, then any others by name.
func helpViews() []string {
	var vs []string
	for _, v := range viewNames {
		if _, ok := viewHelp[v]; ok {
			vs = append(vs, v)
		}
	}
	var more []string
	for v := range viewHelp {
		if !slices.Contains(vs, v) {
			more = append(more, v)
		}
	}
	sort.Strings(more)
	return append(vs, more...)
}
