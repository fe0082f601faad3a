// Command mkpage writes synfin's browser page: one self-contained HTML
// file holding the page (page/), Go's wasm_exec.js and synfin's
// WebAssembly module (cmd/synfin-web), gzip-compressed and base64-encoded,
// so that it opens from disk by double-click or from any static host and
// needs nothing else. make web runs it:
//
//	mkpage -wasm synfin.wasm -exec $(go env GOROOT)/lib/wasm/wasm_exec.js -o dist/synfin.html
package main

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

var (
	//go:embed page/page.html
	pageHTML string
	//go:embed page/style.css
	styleCSS string
	//go:embed page/app.js
	appJS string
)

func main() {
	wasm := flag.String("wasm", "", "synfin's WebAssembly module (GOOS=js GOARCH=wasm go build ./cmd/synfin-web)")
	exec := flag.String("exec", "", "Go's wasm_exec.js, from the Go that built the module ($(go env GOROOT)/lib/wasm/wasm_exec.js)")
	out := flag.String("o", "dist/synfin.html", "the page to write")
	flag.Parse()
	if *wasm == "" || *exec == "" {
		fmt.Fprintln(os.Stderr, "usage: mkpage -wasm FILE -exec wasm_exec.js [-o PAGE]")
		os.Exit(2)
	}
	if err := write(*wasm, *exec, *out); err != nil {
		fmt.Fprintln(os.Stderr, "mkpage:", err)
		os.Exit(1)
	}
}

func write(wasmPath, execPath, out string) error {
	wasm, err := os.ReadFile(wasmPath)
	if err != nil {
		return err
	}
	glue, err := os.ReadFile(execPath)
	if err != nil {
		return err
	}
	page, compressed, err := Page(wasm, string(glue))
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(out, page, 0o644); err != nil {
		return err
	}
	fmt.Printf("wrote %s: %.1f MB (the module %.1f MB, %.1f MB gzip-compressed, in base64)\n",
		out, float64(len(page))/1e6, float64(len(wasm))/1e6, float64(compressed)/1e6)
	return nil
}

// Page is the page with module and glue inside it, and the size of the
// compressed module.
func Page(wasm []byte, glue string) ([]byte, int, error) {
	var z bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
	if _, err := zw.Write(wasm); err != nil {
		return nil, 0, err
	}
	if err := zw.Close(); err != nil {
		return nil, 0, err
	}
	// A script's text ends at the first "</script": none of ours may hold one.
	for name, s := range map[string]string{"wasm_exec.js": glue, "app.js": appJS, "style.css": styleCSS} {
		if strings.Contains(strings.ToLower(s), "</script") || strings.Contains(strings.ToLower(s), "</style") {
			return nil, 0, errors.New(name + " holds a closing script or style tag")
		}
	}
	r := strings.NewReplacer("/*STYLE*/", styleCSS, "/*WASM_EXEC*/", glue, "/*MODULE*/", base64.StdEncoding.EncodeToString(z.Bytes()), "/*APP*/", appJS)
	return []byte(r.Replace(pageHTML)), z.Len(), nil
}
