package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// browser starts headless Chromium (Debian's chromium) for a browser test
// and returns a context that drives one tab of it. Where chromium is not
// installed the test skips, unless SYNFIN_BROWSER=required (as .ci/run
// sets it, having installed chromium), when it fails.
// long skips a test that takes seconds under go test -short (the quick
// run a contributor makes); make test and CI run it.
func long(t *testing.T, what string) {
	t.Helper()
	if testing.Short() {
		t.Skipf("-short: %s", what)
	}
}

func browser(t *testing.T, width, height int) context.Context {
	t.Helper()
	long(t, "starts Chromium")
	path, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("SYNFIN_BROWSER") == "required" {
			t.Fatal("chromium is not installed, and SYNFIN_BROWSER=required")
		}
		t.Skip("chromium is not installed (Debian: apt-get install chromium)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("allow-file-access-from-files", true),
		chromedp.WindowSize(width, height),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	tab, cancelTab := chromedp.NewContext(actx)
	// The first run starts the browser, which lives as long as its
	// context: no timeout there, only on the context the test drives.
	if err := chromedp.Do(tab); err != nil {
		cancelTab()
		cancelAlloc()
		t.Fatalf("starting chromium: %v", err)
	}
	ctx, cancelTime := context.WithTimeout(tab, 60*time.Second)
	t.Cleanup(func() { cancelTime(); cancelTab(); cancelAlloc() })
	return ctx
}

// fileURL is the file:// address of a local path.
func fileURL(t *testing.T, path string) string {
	t.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	return "file://" + filepath.ToSlash(abs)
}

// keepShot writes a screenshot where SYNFIN_SHOTS names a directory, for
// a person to look at; it is not otherwise kept.
func keepShot(t *testing.T, name string, png []byte) {
	if dir := os.Getenv("SYNFIN_SHOTS"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
			t.Error(err)
		}
	}
}
