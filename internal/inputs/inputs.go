package inputs

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// File is one file to read; FromDir marks files found by walking a
// directory, which may hold other kinds of files.
type File struct {
	Name    string
	FromDir bool
}

// Expand turns the command-line operands into a list of files: globs
// are expanded, directories walked recursively (in lexical order, never
// following symbolic links, so a link loop cannot trap the walk). "-" is
// standard input.
// Each problem is a *NoMatchError, an *EmptyDirError or a *FileError.
func Expand(args []string) (files []File, problems []error) {
	for _, a := range args {
		if a == "-" {
			files = append(files, File{a, false})
			continue
		}
		matches := []string{a}
		if _, err := os.Lstat(a); err != nil && hasMeta(a) { // a name that exists is never a pattern
			m, err := filepath.Glob(a)
			if err != nil || len(m) == 0 {
				problems = append(problems, &NoMatchError{a})
				continue
			}
			matches = m
		}
		for _, m := range matches {
			fi, err := os.Stat(m)
			if err != nil {
				problems = append(problems, &FileError{m, err})
				continue
			}
			if !fi.IsDir() {
				files = append(files, File{m, false})
				continue
			}
			var found []string
			_ = filepath.WalkDir(m, func(p string, d fs.DirEntry, err error) error {
				if err != nil {
					problems = append(problems, &FileError{p, err})
					return nil
				}
				if d.Type().IsRegular() {
					found = append(found, p)
				}
				return nil
			})
			if len(found) == 0 {
				problems = append(problems, &EmptyDirError{m})
			}
			sort.Strings(found)
			for _, f := range found {
				files = append(files, File{f, true})
			}
		}
	}
	return files, problems
}

func hasMeta(p string) bool {
	for _, c := range p {
		switch c {
		case '*', '?', '[':
			return true
		}
	}
	return false
}

// NoMatchError is a pattern that no file matches.
type NoMatchError struct{ Pattern string }

func (e *NoMatchError) Error() string { return e.Pattern + ": no file matches" }

// EmptyDirError is a directory that holds no files.
type EmptyDirError struct{ Dir string }

func (e *EmptyDirError) Error() string {
	return e.Dir + ": no captures found: the directory holds no files"
}

// FileError is a file that could not be read or written, and why: "FILE:
// what", without the name of the system call.
type FileError struct {
	Name string
	Err  error
}

func (e *FileError) Error() string {
	err := e.Err
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return e.Name + ": " + err.Error()
}

// Unwrap returns the cause.
func (e *FileError) Unwrap() error { return e.Err }

// PathError says "FILE: what", without the name of the system call: a
// *FileError's English.
func PathError(name string, err error) string { return (&FileError{name, err}).Error() }

// Input is one capture to read.
type Input struct {
	Name    string
	FromDir bool // found by walking a directory, not named by the user
	// Open gives the capture's bytes and what to call when done with them.
	Open func() (io.Reader, func(), error)
}

// Rereadable spools standard input to an unlinked temporary file so that
// it can be read twice.
func Rereadable(in Input) (Input, func(), error) {
	r, done, err := in.Open()
	if err != nil {
		return in, nil, err
	}
	defer done()
	f, err := os.CreateTemp("", "synfin-stdin-*")
	if err != nil {
		return in, nil, err
	}
	os.Remove(f.Name())
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return in, nil, err
	}
	return Input{in.Name, false, func() (io.Reader, func(), error) {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return nil, nil, err
		}
		return f, func() {}, nil
	}}, func() { f.Close() }, nil
}

// Of makes inputs of files; "-" reads stdin.
func Of(files []File, stdin io.Reader) []Input {
	inputs := make([]Input, 0, len(files))
	for _, f := range files {
		if f.Name == "-" {
			inputs = append(inputs, Input{"-", false, func() (io.Reader, func(), error) { return stdin, func() {}, nil }})
			continue
		}
		inputs = append(inputs, Input{f.Name, f.FromDir, func() (io.Reader, func(), error) {
			fh, err := os.Open(f.Name)
			if err != nil {
				return nil, nil, err
			}
			return fh, func() { fh.Close() }, nil
		}})
	}
	return inputs
}

// Bytes is an input held in memory (the embedded demo capture).
func Bytes(name string, b []byte) Input {
	return Input{name, false, func() (io.Reader, func(), error) { return bytes.NewReader(b), func() {}, nil }}
}
