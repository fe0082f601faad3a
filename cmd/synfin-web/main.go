//go:build js && wasm

// Command web is synfin for the browser: built with GOOS=js GOARCH=wasm
// and embedded in one HTML page by `make web` (cmd/synfin-page), it
// runs the command line's views (package web) over files the page was
// given, reading them a chunk at a time with Blob.slice. It answers the
// page's script through globalThis.synfin; nothing here touches the
// network.
package main

import (
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"syscall/js"

	"github.com/synfin/synfin/internal/gcfloor"
	"github.com/synfin/synfin/internal/inputs"
	"github.com/synfin/synfin/internal/msg"
	"github.com/synfin/synfin/internal/web"
)

// version is stamped by make web, as the command line's is.
var version = "0.1.0-dev"

// chunkSize is how much of a file is in memory at once.
const chunkSize = 4 << 20

func main() {
	// The command line's collector policy (cmd/synfin/gc.go) with a
	// higher floor: WebAssembly collects on the one thread that also
	// analyses.
	gcfloor.Start(100, 64<<20)
	api := js.Global().Get("Object").New()
	api.Set("version", version)
	api.Set("text", js.FuncOf(text))
	api.Set("analyze", js.FuncOf(analyzeFiles))
	api.Set("view", js.FuncOf(view))
	api.Set("detail", js.FuncOf(detail))
	js.Global().Set("synfin", api)
	if ready := js.Global().Get("synfinReady"); ready.Type() == js.TypeFunction {
		ready.Invoke()
	}
	select {}
}

// text(lang) is the page's words in lang, as a JSON object by key.
func text(_ js.Value, args []js.Value) any {
	b, _ := json.Marshal(msg.Page(langOf(args, 0)))
	return string(b)
}

func langOf(args []js.Value, i int) msg.Lang {
	if len(args) > i && args[i].Type() == js.TypeString && strings.HasPrefix(args[i].String(), "zh") {
		return msg.ZH
	}
	return msg.EN
}

// analyzeFiles(files, lang, progress) reads the files (an array of File)
// and resolves to the Analysis as JSON; progress(name, done, size) is
// called as each chunk is read.
func analyzeFiles(_ js.Value, args []js.Value) any {
	files, lang, progress := args[0], langOf(args, 1), args[2]
	return promise(func() (any, error) {
		a := web.Analyze(inputsOf(files, progress), lang, version)
		b, err := json.Marshal(a)
		return string(b), err
	})
}

// view(kind, files, conn, lang) runs one view (web.Kind's names) and
// resolves to {bytes: Uint8Array, messages, code}.
func view(_ js.Value, args []js.Value) any {
	kind, files, conn, lang := args[0].String(), args[1], args[2].Int(), langOf(args, 3)
	return promise(func() (any, error) {
		k, ok := web.ParseKind(kind)
		if !ok {
			return nil, errors.New("synfin: no view " + kind)
		}
		out := web.View(k, inputsOf(files, js.Null()), conn, lang, version)
		res := js.Global().Get("Object").New()
		res.Set("bytes", bytesOf(out.Bytes))
		res.Set("messages", out.Messages)
		res.Set("code", out.Code)
		return res, nil
	})
}

// detail(file, conn, lang) reads one capture (a File) once and resolves
// to {svg, explain, record, graphs} (strings), messages and code.
func detail(_ js.Value, args []js.Value) any {
	file, conn, lang := args[0], args[1].Int(), langOf(args, 2)
	return promise(func() (any, error) {
		d := web.DetailOf(inputsOf(js.Global().Get("Array").Call("of", file), js.Null())[0], conn, lang, version)
		res := js.Global().Get("Object").New()
		res.Set("svg", string(d.SVG))
		res.Set("explain", string(d.Explain))
		res.Set("record", string(d.Record))
		res.Set("graphs", string(d.Graphs))
		res.Set("messages", d.Messages)
		res.Set("code", d.Code)
		return res, nil
	})
}

// bytesOf copies b into a new Uint8Array.
func bytesOf(b []byte) js.Value {
	u := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(u, b)
	return u
}

// inputsOf makes inputs of an array of File. Two files of one name (from
// two folders) are told apart as "name (2)", since records name their
// capture.
func inputsOf(files, progress js.Value) []inputs.Input {
	var ins []inputs.Input
	seen := map[string]int{}
	for i := range files.Length() {
		f := files.Index(i)
		name := f.Get("name").String()
		if seen[name]++; seen[name] > 1 {
			name += " (" + strconv.Itoa(seen[name]) + ")"
		}
		ins = append(ins, inputs.Input{Name: name, Open: func() (io.Reader, func(), error) {
			r := &blobReader{blob: f, size: int64(f.Get("size").Float()), name: name, progress: progress}
			return r, func() {}, nil
		}})
	}
	return ins
}

// blobReader reads a File a chunk at a time: each chunk is one
// Blob.slice(...).arrayBuffer(), copied into a buffer reused for the
// next, so a capture is never in memory whole.
type blobReader struct {
	blob      js.Value
	name      string
	off, size int64
	buf, rest []byte
	progress  js.Value
}

func (r *blobReader) Read(p []byte) (int, error) {
	if len(r.rest) == 0 {
		if r.off >= r.size {
			return 0, io.EOF
		}
		end := min(r.off+chunkSize, r.size)
		ab, err := await(r.blob.Call("slice", r.off, end).Call("arrayBuffer"))
		if err != nil {
			return 0, err
		}
		if r.buf == nil {
			r.buf = make([]byte, chunkSize)
		}
		n := js.CopyBytesToGo(r.buf, js.Global().Get("Uint8Array").New(ab))
		if n == 0 {
			return 0, io.ErrUnexpectedEOF
		}
		r.rest, r.off = r.buf[:n], r.off+int64(n)
		if r.progress.Type() == js.TypeFunction {
			r.progress.Invoke(r.name, r.off, r.size)
		}
	}
	n := copy(p, r.rest)
	r.rest = r.rest[n:]
	return n, nil
}

// await waits for a promise; the goroutine blocks, and the page's event
// loop runs meanwhile.
func await(p js.Value) (js.Value, error) {
	done := make(chan js.Value, 1)
	failed := make(chan js.Value, 1)
	then := js.FuncOf(func(_ js.Value, a []js.Value) any { done <- a[0]; return nil })
	catch := js.FuncOf(func(_ js.Value, a []js.Value) any { failed <- a[0]; return nil })
	defer then.Release()
	defer catch.Release()
	p.Call("then", then, catch)
	select {
	case v := <-done:
		return v, nil
	case e := <-failed:
		return js.Undefined(), errors.New(e.Call("toString").String())
	}
}

// promise runs work in a goroutine of its own (a function the page calls
// must not block) and returns a Promise of its result.
func promise(work func() (any, error)) js.Value {
	var executor js.Func
	executor = js.FuncOf(func(_ js.Value, args []js.Value) any {
		resolve, reject := args[0], args[1]
		go func() {
			defer executor.Release()
			v, err := work()
			if err != nil {
				reject.Invoke(err.Error())
				return
			}
			resolve.Invoke(v)
		}()
		return nil
	})
	return js.Global().Get("Promise").New(executor)
}
