package main

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// inputFile is one file to read; fromDir marks files found by walking a
// directory, which may hold other kinds of files.
type inputFile struct {
	name    string
	fromDir bool
}

// expandInputs turns the command-line operands into a list of files: globs
// are expanded, directories walked recursively (in lexical order, never
// following symbolic links, so a link loop cannot trap the walk). "-" is
// standard input.
func expandInputs(args []string) (files []inputFile, problems []string) {
	for _, a := range args {
		if a == "-" {
			files = append(files, inputFile{a, false})
			continue
		}
		matches := []string{a}
		if _, err := os.Lstat(a); err != nil && hasMeta(a) { // a name that exists is never a pattern
			m, err := filepath.Glob(a)
			if err != nil || len(m) == 0 {
				problems = append(problems, a+": no file matches")
				continue
			}
			matches = m
		}
		for _, m := range matches {
			fi, err := os.Stat(m)
			if err != nil {
				problems = append(problems, pathError(m, err))
				continue
			}
			if !fi.IsDir() {
				files = append(files, inputFile{m, false})
				continue
			}
			var found []string
			_ = filepath.WalkDir(m, func(p string, d fs.DirEntry, err error) error {
				if err != nil {
					problems = append(problems, pathError(p, err))
					return nil
				}
				if d.Type().IsRegular() {
					found = append(found, p)
				}
				return nil
			})
			sort.Strings(found)
			for _, f := range found {
				files = append(files, inputFile{f, true})
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

// pathError says "FILE: what", without the name of the system call.
func pathError(name string, err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return name + ": " + err.Error()
}
