package browser

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// browser starts headless Chromium (Debian's chromium) for a browser test
// and returns a context that drives one tab of it. Where chromium is not
// installed the test skips, unless SYNFIN_BROWSER=required (as .ci/run
// sets it, having installed chromium), when it fails.
// Package browser's tests run synfin's HTML outputs and its browser page in
// headless Chromium (chromedp). They are a module of their own so that
// synfin's module does not require a browser driver: make test runs them
// (cd integration/browser && go test ./...), against the synfin binary and
// page built from this repository.

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

var synfinBin struct {
	once sync.Once
	path string
	err  error
}

// run runs the synfin of this repository, built once per test binary, as
// a user would, and returns its exit status.
func run(t *testing.T, args []string, stdout, stderr io.Writer) int {
	t.Helper()
	synfinBin.once.Do(func() {
		dir, err := os.MkdirTemp("", "synfin-browser-")
		if err != nil {
			synfinBin.err = err
			return
		}
		synfinBin.path = filepath.Join(dir, "synfin")
		build := exec.Command("go", "build", "-o", synfinBin.path, "./cmd/synfin")
		build.Dir = "../.."
		if out, err := build.CombinedOutput(); err != nil {
			synfinBin.err = fmt.Errorf("go build ./cmd/synfin: %v\n%s", err, out)
		}
	})
	if synfinBin.err != nil {
		t.Fatal(synfinBin.err)
	}
	cmd := exec.Command(synfinBin.path, args...)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0
}

// runOK runs synfin and returns its standard output, failing the test
// unless it exits 0.
func runOK(t *testing.T, args ...string) []byte {
	t.Helper()
	var out, errb bytes.Buffer
	if code := run(t, args, &out, &errb); code != 0 {
		t.Fatalf("synfin %s: exit %d: %s", strings.Join(args, " "), code, errb.String())
	}
	return out.Bytes()
}
