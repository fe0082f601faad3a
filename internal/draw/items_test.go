package draw

import (
	"bytes"
	"strings"
	"testing"

	"github.com/synfin/synfin/internal/msg"
)

// walkthrough is the English walkthrough of connection conn of a
// capture, its lines joined.
func walkthrough(t *testing.T, path string, conn int) string {
	t.Helper()
	rec, recs := followAll(t, path)
	for i := range recs {
		if recs[i].Conn == conn {
			var b bytes.Buffer
			Explain(&b, rec.Ladder(conn), &recs[i], msg.EN, PlainText, Context{Listened: Listening(recs), Earlier: Earliers(recs)})
			return strings.Join(strings.Fields(b.String()), " ")
		}
	}
	t.Fatalf("%s: no connection %d", path, conn)
	return ""
}

// TestWalkthroughsTellWhatThePacketsProve: each walkthrough issue 24
// found wrong, on its capture (testdata/explain, testdata/lab), says what
// the packets prove and no longer what they contradict.
func TestWalkthroughsTellWhatThePacketsProve(t *testing.T) {
	const dir = "../../testdata/"
	for _, c := range []struct {
		name    string
		file    string
		conn    int
		want    []string
		wantNot []string
	}{
		{"the caption's order: the RST came before the second FIN", "explain/arkime__mpls-basic.pcap", 0,
			[]string{"The server sent FIN; then an RST from the server ended the connection before the other side's FIN",
				"it had closed the connection (its FIN) without acknowledging the client's last data, which the capture shows before that FIN",
				"though an RST came between the two FINs",
				"A FIN from the client after the RST"},
			[]string{"Both sides sent FIN; then an RST", "is now LAST-ACK", "answers a late segment"}},
		{"an RST between the FINs, the server's FIN after it", "explain/zeek__postgresql__psql-aws-ssl-require.pcap", 0,
			[]string{"sends RST: it had closed the connection (its FIN, 110.669 ms earlier) and the server's data arrived after that",
				"A FIN from the server after the RST"},
			[]string{"Both sides sent FIN; then an RST", "a simultaneous close", "TIME-WAIT once"}},
		{"data after close, not a half-close", "explain/example2-51-71.pcap", 0,
			[]string{"After the client's FIN the server still sends: 2 packet(s), 53 bytes",
				"the RST below shows the client had called close(), not shutdown()"},
			[]string{"A half-close:", "Both sides sent FIN; then an RST"}},
		{"one RST per arriving segment, no copy by ID 0", "explain/example2-51-71.pcap", 1,
			[]string{"sends RST: it had closed the connection (its FIN, 91.655 ms earlier) and the client's data arrived after that",
				"with no IPv4 identification to tell them apart (IPv6, or an ID of 0), the capture cannot tell a copy"},
			[]string{"It was sent once", "answers a late segment"}},
		{"no FIN-WAIT-2 after the RST; an RST below the window", "explain/zeek__tls__heartbleed-encrypted-success.pcap", 0,
			[]string{"sends RST: it had closed the connection", "is below the next one the server expects"},
			[]string{"FIN-WAIT-2", "a half-close, where"}},
		{"no LAST-ACK or TIME-WAIT after the RSTs", "explain/arkime__https3-301-get.pcap", 0,
			[]string{"sends RST: it had closed the connection (its FIN, 35.610 ms earlier)", "Another RST from the client"},
			[]string{"enters TIME-WAIT", "is now LAST-ACK", "Agreed: MSS"}},
		{"no TIME-WAIT after the RST (ssh)", "explain/zeek__ssh__ssh_version_199.pcap", 0,
			[]string{"A FIN from the server after the RST"},
			[]string{"enters TIME-WAIT", "is now LAST-ACK", "answers a late segment"}},
		{"no TIME-WAIT after the RST (IPv6)", "explain/zeek__ftp__ipv6-violation.pcap", 0,
			[]string{"A FIN from the server after the RST", "the client may send segments of up to 9138 bytes and the server of up to 1440 bytes"},
			[]string{"enters TIME-WAIT", "Agreed: MSS"}},
		{"RSTs with ID 0 are not called copies; the missing direction is said", "explain/arkime__aerospike.pcap", 0,
			[]string{"The client acknowledges 84 bytes that the capture never shows the server sending",
				"the capture cannot tell a copy made where it was taken from a second packet just like it"},
			[]string{"It was sent once", "calls close() (or shutdown()) first"}},
		{"SYN retries after RSTs: no timer, connect() fails after the last", "explain/zeek__pop3__pop3.pcap", 0,
			[]string{"The client sends the same SYN again 498.072 ms after the RST refused the previous one",
				"the client tries again below, so its connect() has not failed yet",
				"and the client's connect() fails (ECONNREFUSED)"},
			[]string{"Linux waits", "no SYN-ACK came back in time"}},
		{"simultaneous open: nobody listen()s", "lab/19_simultaneous_open.pcap", 0,
			[]string{"a simultaneous open. Each side called connect(); nobody listen()s",
				"The client answers the other's SYN with SYN-ACK: its own ISN 1463464816 again",
				"The server answers the other's SYN with SYN-ACK: its own ISN 704700118 again"},
			[]string{"listen()ing", "The SYN-ACK again"}},
		{"TCP Fast Open: the ack covers the SYN's data", "lab/10_tfo.pcap", 1,
			[]string{"It carries 500 bytes of data (TCP Fast Open)",
				"ack=1137811265 (relative 501): the client's ISN 1137810764 plus one for the SYN and 500 for the data it carried"},
			[]string{"(relative 1), the client's ISN 1137811264"}},
		{"TCP Fast Open on loopback", "explain/suricata-verify__tcp-fastopen-05__tfo.pcap", 0,
			[]string{"ack=2484001829 (relative 4): the client's ISN 2484001825 plus one for the SYN and 3 for the data"},
			[]string{"the client's ISN 2484001828"}},
		{"a scanner's probe: no half-open give-up after a complete handshake", "explain/zeek__modbus__modbus-and-non-modbus-p502.pcap", 4,
			[]string{"The client's kernel answers the SYN-ACK with RST", "A packet from the client after the RST"},
			[]string{"gives up on the half-open connection", "after the other side's FIN"}},
		{"MSS is not agreed; a SYN's window is not scaled", "lab/23_zero_window.pcap", 0,
			[]string{"MSS is not negotiated", "The window of a SYN is never scaled (RFC 7323 §2.2): the client's 64240 was in bytes, while this ACK's 63 is multiplied by 1024, 64512 bytes"},
			[]string{"Agreed: MSS"}},
		{"the data phase: zero windows, their end, delayed ACKs, ACKs folded", "lab/23_zero_window.pcap", 0,
			[]string{"The server advertises a zero window", "The server's window opens again to 12112 (before scaling), 140.056 ms after it closed",
				"delayed ACKs, one for every second segment", "acknowledgement(s): 0 from the client, 28 from the server"},
			[]string{"An acknowledgement. 7."}},
		{"only one direction captured: the client's ACKs show the server answered", "explain/zeek__smtp-one-side-only.pcap", 0,
			[]string{"The capture holds only the client's packets", "the client's later packets acknowledge what the server sent"},
			[]string{"the server never answered", "calls close() (or shutdown()) first"}},
		{"only the server's side captured: it cannot say who closed first", "explain/ssh-server-side-half-duplex-0.pcap", 0,
			[]string{"The capture holds only the server's packets", "the capture misses some of its packets, so it cannot tell"},
			[]string{"calls close() (or shutdown()) first"}},
		{"a FIN set again to acknowledge the other's FIN, not a timeout", "explain/zeek__http__post.pcap", 0,
			[]string{"The client acknowledges the server's FIN; its own FIN is still unacknowledged, so the FIN flag is set again"},
			[]string{"its acknowledgement did not come in time"}},
	} {
		text := walkthrough(t, dir+c.file, c.conn)
		for _, w := range c.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s (%s %d): missing %q", c.name, c.file, c.conn, w)
			}
		}
		for _, w := range c.wantNot {
			if strings.Contains(text, w) {
				t.Errorf("%s (%s %d): still says %q", c.name, c.file, c.conn, w)
			}
		}
	}
}
