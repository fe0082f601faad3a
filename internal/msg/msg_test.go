package msg

import (
	"strings"
	"testing"
)

// TestEveryKeyInEveryLanguage: a key without its Chinese (or English) text
// would show English in a Chinese report, or the bare key.
func TestEveryKeyInEveryLanguage(t *testing.T) {
	for _, k := range Keys() {
		m := catalogue[k]
		if m.en == "" || m.zh == "" {
			t.Errorf("%s: en %q, zh %q", k, m.en, m.zh)
		}
		if strings.Count(m.en, "%") != strings.Count(m.zh, "%") {
			t.Errorf("%s: en and zh take different arguments: %q, %q", k, m.en, m.zh)
		}
	}
}

func TestLookup(t *testing.T) {
	if got := ZH.T("ladder.handshake"); got != "三次握手" {
		t.Errorf("zh ladder.handshake = %q", got)
	}
	if got := EN.F("ladder.fold", 42); got != "… 42 data segments …" {
		t.Errorf("en ladder.fold = %q", got)
	}
	if got := ZH.T("no.such.key"); got != "no.such.key" {
		t.Errorf("missing key gives %q, want the key itself", got)
	}
	for _, name := range []string{"en", "zh", "zh-CN"} {
		if _, err := Parse(name); err != nil {
			t.Errorf("Parse(%q): %v", name, err)
		}
	}
	if _, err := Parse("fr"); err == nil {
		t.Error("Parse(fr) succeeded")
	}
}
