package analyze

import (
	"testing"

	"github.com/synfin/synfin/flows"
)

// appRecords analyses a capture collecting payload bytes, as --app does.
func appHints(t *testing.T, path string) []string {
	t.Helper()
	var hints []string
	for _, c := range connsWith(t, path, func(tab *flows.Table) { tab.CollectApp = true }) {
		hints = append(hints, AppHint(c.App))
	}
	return hints
}

// TestAppHints: real captures of HTTP, TLS 1.3 (curl), SSH and TLS after a
// PostgreSQL SSLRequest; SNI, ALPN and the highest supported version agree
// with tshark's (and the SNIs with
// tls.handshake.extensions_server_name on 34 of 34 corpus captures).
func TestAppHints(t *testing.T) {
	for _, c := range []struct{ path, want string }{
		{"../testdata/app/http-simple-get.pcap", "http GET / HTTP/1.1; host=xxxxxxxxxxxxx.xxx.com; status HTTP/1.1 403 Forbidden"},
		{"../testdata/app/curl-enabled-tls13.pcap", "tls 1.3 sni=enabled.tls13.com alpn=h2,http/1.1"},
		{"../testdata/app/ssh2.pcap", "ssh client=SSH-2.0-OpenSSH_5.3; ssh server=SSH-1.99-OpenSSH_3.9p1"},
		{"../testdata/app/postgresql__psql-aws-ssl-require.pcap", "tls 1.3 sni=database-1.cyx4x7yvdoay.us-east-1.rds.amazonaws.com (after 8 bytes)"},
		{"../testdata/lab/01_plain_client_close.pcap", ""},
	} {
		hints := appHints(t, c.path)
		if len(hints) == 0 || hints[0] != c.want {
			t.Errorf("%s: %q, want %q", c.path, hints, c.want)
		}
	}
}

func TestCleanEscapes(t *testing.T) {
	if got := clean([]byte("GET /\x1b[31mred\xff HTTP/1.1"), 100); got != `GET /\x1b[31mred\xff HTTP/1.1` {
		t.Errorf("clean = %q", got)
	}
	if got := clean([]byte("abcdef"), 3); got != "abc…" {
		t.Errorf("cut = %q", got)
	}
}
