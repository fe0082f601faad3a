package outfile

import (
	"os"
	"path/filepath"
	"sync"
)

// File is an output being written: a temporary file in the output's
// directory, renamed over the output by Commit. Until then the output, if
// there was one, is as it was. A name that is not a regular file (a
// terminal, /dev/null, a named pipe) is written directly: renaming a file
// over it would replace the device, not write to it.
type File struct {
	*os.File
	final string
	temp  string // "" when writing directly
}

// open are the temporary files not yet committed or removed: a second
// Ctrl-C, which exits at once, removes them (RemoveAll).
var (
	openMu sync.Mutex
	open   = map[string]bool{}
)

// Create starts writing path. The temporary file takes the mode the
// output has, or would have were it created as os.Create does.
func Create(path string) (*File, error) {
	fi, err := os.Stat(path)
	if err == nil && !fi.Mode().IsRegular() {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
		if err != nil {
			return nil, err
		}
		return &File{File: f, final: path}, nil
	}
	mode := os.FileMode(0o666) &^ umask()
	if err == nil {
		mode = fi.Mode().Perm()
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".synfin-*")
	if err != nil {
		return nil, err
	}
	openMu.Lock()
	open[f.Name()] = true
	openMu.Unlock()
	if err := f.Chmod(mode); err != nil {
		f.Close()
		forget(f.Name())
		return nil, err
	}
	return &File{File: f, final: path, temp: f.Name()}, nil
}

// Path is the output's name, where Commit puts the file.
func (f *File) Path() string { return f.final }

// Commit closes the file and puts it in place of the output.
func (f *File) Commit() error {
	err := f.File.Close()
	if f.temp == "" {
		return err
	}
	if err == nil {
		err = os.Rename(f.temp, f.final)
	}
	if err != nil {
		os.Remove(f.temp)
	}
	forget(f.temp)
	return err
}

// Abort closes and removes the temporary file, leaving the output as it
// was. After Commit it does nothing.
func (f *File) Abort() {
	f.File.Close()
	if f.temp != "" && forget(f.temp) {
		os.Remove(f.temp)
	}
}

// forget drops a temporary file from the open set, and says whether it was
// there.
func forget(name string) bool {
	openMu.Lock()
	defer openMu.Unlock()
	was := open[name]
	delete(open, name)
	return was
}

// RemoveAll removes every temporary file not yet committed: what a run
// stopped at once (a second Ctrl-C) does before it exits.
func RemoveAll() {
	openMu.Lock()
	defer openMu.Unlock()
	for name := range open {
		os.Remove(name)
		delete(open, name)
	}
}
