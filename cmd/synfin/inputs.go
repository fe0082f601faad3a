package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// expandInputs turns the command-line operands into a list of files: globs
// are expanded, directories walked recursively (in lexical order). "-" is
// standard input.
func expandInputs(args []string) (files []string, problems []string) {
	for _, a := range args {
		if a == "-" {
			files = append(files, a)
			continue
		}
		matches := []string{a}
		if hasMeta(a) {
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
				problems = append(problems, err.Error())
				continue
			}
			if !fi.IsDir() {
				files = append(files, m)
				continue
			}
			var found []string
			_ = filepath.WalkDir(m, func(p string, d fs.DirEntry, err error) error {
				if err != nil {
					problems = append(problems, err.Error())
					return nil
				}
				if d.Type().IsRegular() {
					found = append(found, p)
				}
				return nil
			})
			sort.Strings(found)
			files = append(files, found...)
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
