package main

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/spf13/pflag"

	"github.com/synfin/synfin/analyze"
)

// Shell completion (synfin completion bash|zsh|fish), written from the
// same view list and flag set the command parses, so it cannot drift from
// them.

// formatNames are --format's values.
var formatNames = []string{"table", "markdown", "csv", "json", "jsonl", "html", "svg", "parquet"}

// valuesOf lists the closed sets a flag takes, for completion.
func valuesOf(flag string) []string {
	switch flag {
	case "state":
		return analyze.StateNames()
	case "format":
		return formatNames
	case "lang":
		return []string{"en", "zh"}
	}
	return nil
}

// completion writes the completion script for shell, or says which
// shells it knows.
func completion(w, stderr io.Writer, fs *pflag.FlagSet, args []string) int {
	shell := ""
	if len(args) == 1 {
		shell = args[0]
	}
	commands := append(append([]string{}, viewNames...), "version")
	var flags []*pflag.Flag
	fs.VisitAll(func(f *pflag.Flag) {
		if !f.Hidden {
			flags = append(flags, f)
		}
	})
	sort.Slice(flags, func(i, j int) bool { return flags[i].Name < flags[j].Name })
	switch shell {
	case "bash", "zsh":
		var words []string
		for _, f := range flags {
			words = append(words, "--"+f.Name)
			if f.Shorthand != "" {
				words = append(words, "-"+f.Shorthand)
			}
		}
		if shell == "zsh" {
			// zsh runs bash's completion through bashcompinit.
			fmt.Fprintln(w, "#compdef synfin\nautoload -U +X bashcompinit && bashcompinit")
		}
		fmt.Fprintln(w, "_synfin() {\n  local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n  case \"$prev\" in")
		for _, name := range []string{"state", "format", "lang"} {
			pat := "--" + name
			if f := fs.Lookup(name); f != nil && f.Shorthand != "" {
				pat += "|-" + f.Shorthand
			}
			fmt.Fprintf(w, "    %s) COMPREPLY=($(compgen -W %q -- \"$cur\")); return;;\n", pat, strings.Join(valuesOf(name), " "))
		}
		fmt.Fprintf(w, "  esac\n  if [[ \"$cur\" == -* ]]; then COMPREPLY=($(compgen -W %q -- \"$cur\")); return; fi\n", strings.Join(words, " "))
		fmt.Fprintf(w, "  if [[ $COMP_CWORD -eq 1 ]]; then COMPREPLY=($(compgen -W %q -- \"$cur\") $(compgen -f -- \"$cur\")); return; fi\n", strings.Join(commands, " "))
		fmt.Fprintln(w, "  COMPREPLY=($(compgen -f -- \"$cur\"))\n}\ncomplete -o filenames -F _synfin synfin")
	case "fish":
		fmt.Fprintf(w, "complete -c synfin -n __fish_use_subcommand -a %q\n", strings.Join(commands, " "))
		for _, f := range flags {
			line := "complete -c synfin -l " + f.Name
			if f.Shorthand != "" {
				line += " -s " + f.Shorthand
			}
			if vals := valuesOf(f.Name); vals != nil {
				line += fmt.Sprintf(" -x -a %q", strings.Join(vals, " "))
			} else if f.NoOptDefVal == "" {
				line += " -r" // takes a value
			}
			fmt.Fprintf(w, "%s -d %q\n", line, firstLine(f.Usage))
		}
	default:
		return usageError(stderr, fmt.Sprintf("completion %s: want bash, zsh or fish (synfin completion bash > /etc/bash_completion.d/synfin)", strings.Join(args, " ")))
	}
	return exitOK
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}
