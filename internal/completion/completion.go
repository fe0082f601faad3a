// Package completion writes synfin's shell completion scripts (bash, zsh
// through bashcompinit, fish) from the same view list, help texts and flag
// set the command parses, so that they cannot drift from them.
package completion

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/spf13/pflag"
)

// Shells are the shells Write writes a script for.
var Shells = []string{"bash", "zsh", "fish"}

// Command is what the scripts complete.
type Command struct {
	Views       []string            // the views, in the order synfin lists them
	DefaultView string              // the view without an operand naming one
	HelpViews   []string            // the views synfin help documents
	Summaries   map[string]string   // each view's one-line summary, for fish
	Values      map[string][]string // the closed set of values a flag takes
	SortColumns map[string][]string // the columns --sort takes in each view that takes it
	Flags       *pflag.FlagSet
}

// ErrShell is the error of a shell Write knows nothing of.
var ErrShell = errors.New("no such shell")

// Write writes the completion script for shell.
func Write(w io.Writer, c *Command, shell string) error {
	var flags []*pflag.Flag
	c.Flags.VisitAll(func(f *pflag.Flag) {
		if !f.Hidden {
			flags = append(flags, f)
		}
	})
	sort.Slice(flags, func(i, j int) bool { return flags[i].Name < flags[j].Name })
	switch shell {
	case "bash":
		bashScript(w, c, flags, "_synfin")
	case "zsh":
		// zsh runs the bash function through bashcompinit. Installed in
		// $fpath as _synfin, this file is itself the function zsh calls on
		// the first Tab: it defines the bash one, registers it for later
		// Tabs, and answers this one through bashcompinit's _bash_complete.
		fmt.Fprintln(w, "#compdef synfin\nautoload -U +X bashcompinit && bashcompinit")
		bashScript(w, c, flags, "_synfin_bash")
		fmt.Fprintln(w, "if [[ $funcstack[1] == _synfin ]]; then _bash_complete -F _synfin_bash; fi")
	case "fish":
		fishScript(w, c, flags)
	default:
		return ErrShell
	}
	return nil
}

// sortGroups groups the views taking --sort by their columns, in the
// order synfin lists its views: one case of the scripts per column list.
func (c *Command) sortGroups() (groups [][]string, columns [][]string) {
	for _, v := range c.Views {
		cols := c.SortColumns[v]
		if cols == nil {
			continue
		}
		i := slices.IndexFunc(columns, func(x []string) bool { return slices.Equal(x, cols) })
		if i < 0 {
			groups, columns = append(groups, nil), append(columns, cols)
			i = len(groups) - 1
		}
		groups[i] = append(groups[i], v)
	}
	return groups, columns
}

// TakesValue says whether the word after flag is its value, not an
// operand: not for booleans and flags with a value of their own (--reset).
func TakesValue(f *pflag.Flag) bool {
	return f.Value.Type() != "bool" && f.NoOptDefVal == ""
}

// shQuote quotes s for bash and zsh.
func shQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// fishQuote quotes s for fish, where a single-quoted string still reads
// \\ and \'.
func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// flagPattern is flag's spellings as a case pattern: "--format|-f".
func flagPattern(f *pflag.Flag) string {
	if f.Shorthand != "" {
		return "--" + f.Name + "|-" + f.Shorthand
	}
	return "--" + f.Name
}

// bashScript writes the bash completion function fn, and registers it for
// synfin.
func bashScript(w io.Writer, c *Command, flags []*pflag.Flag, fn string) {
	var words, valued []string
	for _, f := range flags {
		words = append(words, "--"+f.Name)
		if f.Shorthand != "" {
			words = append(words, "-"+f.Shorthand)
		}
		if TakesValue(f) {
			valued = append(valued, flagPattern(f))
		}
	}
	words = append(words, "--help", "-h") // pflag answers these itself
	commands := append(append([]string{}, c.Views...), "version")

	fmt.Fprintf(w, "%s() {\n", fn)
	fmt.Fprint(w, `  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"
  # bash splits --sort=rtt_ms at "=" (COMP_WORDBREAKS): the flag is the
  # word before the "=".
  if [[ "$cur" == "=" ]]; then
    cur=""
  elif [[ "$prev" == "=" && $COMP_CWORD -ge 2 ]]; then
    prev="${COMP_WORDS[COMP_CWORD-2]}"
  fi
  # The operands so far: words that are neither flags nor a flag's value.
  # The first names the view when it is one (else it is an input, and the
  # view is the default).
  local first="" nops=0 i=1
  while [[ $i -lt $COMP_CWORD ]]; do
    case "${COMP_WORDS[i]}" in
`)
	fmt.Fprintf(w, "      %s)\n        i=$((i+1))\n        if [[ \"${COMP_WORDS[i]}\" == \"=\" ]]; then i=$((i+1)); fi;;\n", strings.Join(valued, "|"))
	fmt.Fprint(w, `      -*|=) ;;
      *) if [[ $nops -eq 0 ]]; then first="${COMP_WORDS[i]}"; fi; nops=$((nops+1));;
    esac
    i=$((i+1))
  done
  local view="$first"
  case "$first" in
`)
	fmt.Fprintf(w, "    %s) ;;\n    *) view=%s;;\n  esac\n", strings.Join(c.Views, "|"), c.DefaultView)
	fmt.Fprintln(w, "  case \"$prev\" in")
	for _, f := range flags {
		if vals := c.Values[f.Name]; vals != nil {
			fmt.Fprintf(w, "    %s) COMPREPLY=($(compgen -W %s -- \"$cur\")); return;;\n", flagPattern(f), shQuote(strings.Join(vals, " ")))
		}
	}
	if f := c.Flags.Lookup("sort"); f != nil {
		// The columns of the view on the line; a leading "-" sorts
		// descending, so "-" offers the columns with it.
		fmt.Fprintf(w, "    %s)\n      local cols=\"\"\n      case \"$view\" in\n", flagPattern(f))
		groups, columns := c.sortGroups()
		for i, g := range groups {
			fmt.Fprintf(w, "        %s) cols=%s;;\n", strings.Join(g, "|"), shQuote(strings.Join(columns[i], " ")))
		}
		fmt.Fprint(w, `      esac
      if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -P - -W "$cols" -- "${cur#-}"))
      else
        COMPREPLY=($(compgen -W "$cols" -- "$cur"))
      fi
      return;;
`)
	}
	fmt.Fprintln(w, "  esac")
	fmt.Fprintf(w, "  if [[ \"$cur\" == -* ]]; then COMPREPLY=($(compgen -W %s -- \"$cur\")); return; fi\n", shQuote(strings.Join(words, " ")))
	fmt.Fprintf(w, "  if [[ $nops -eq 0 ]]; then COMPREPLY=($(compgen -W %s -- \"$cur\") $(compgen -f -- \"$cur\")); return; fi\n", shQuote(strings.Join(commands, " ")))
	fmt.Fprintf(w, "  if [[ $nops -eq 1 && \"$first\" == help ]]; then COMPREPLY=($(compgen -W %s -- \"$cur\")); return; fi\n", shQuote(strings.Join(c.HelpViews, " ")))
	fmt.Fprintf(w, "  if [[ $nops -eq 1 && \"$first\" == completion ]]; then COMPREPLY=($(compgen -W %s -- \"$cur\")); return; fi\n", shQuote(strings.Join(Shells, " ")))
	fmt.Fprintf(w, "  COMPREPLY=($(compgen -f -- \"$cur\"))\n}\ncomplete -o filenames -F %s synfin\n", fn)
}

// fishScript writes fish's completions: the views with their summaries,
// the flags with their usage, and the values of the flags that take a
// closed set.
func fishScript(w io.Writer, c *Command, flags []*pflag.Flag) {
	var valued []string
	for _, f := range flags {
		if TakesValue(f) {
			valued = append(valued, "--"+f.Name)
			if f.Shorthand != "" {
				valued = append(valued, "-"+f.Shorthand)
			}
		}
	}
	fmt.Fprintf(w, `# The operands so far: words that are neither flags nor a flag's value.
function __synfin_operands
    set -l words (commandline -opc)
    set -e words[1]
    set -l skip 0
    for w in $words
        if test $skip = 1
            set skip 0
            continue
        end
        switch $w
            case %s
                set skip 1
            case '-*'
            case '*'
                echo $w
        end
    end
end

# Whether the only operand so far is $argv[1] (synfin help, synfin completion).
function __synfin_after
    set -l ops (__synfin_operands)
    test (count $ops) -eq 1; and test "$ops[1]" = $argv[1]
end

# The columns --sort takes in the view on the line: the first operand when
# it names a view, else the default view.
function __synfin_sort_columns
    set -l ops (__synfin_operands)
    set -l view %s
    if contains -- "$ops[1]" %s
        set view $ops[1]
    end
    # A leading "-" sorts descending.
    set -l p ''
    if string match -q -- '-*' (commandline -ct)
        set p -
    end
    switch $view
`, strings.Join(valued, " "), c.DefaultView, strings.Join(c.Views, " "))
	groups, columns := c.sortGroups()
	for i, g := range groups {
		// Each with its own description, not --sort's usage repeated.
		fmt.Fprintf(w, "        case %s\n            printf \"$p%%s\\tcolumn of $view\\n\" %s\n", strings.Join(g, " "), strings.Join(columns[i], " "))
	}
	fmt.Fprint(w, "    end\nend\n\n")

	for _, v := range append(append([]string{}, c.Views...), "version") {
		line := "complete -c synfin -n 'test (count (__synfin_operands)) -eq 0' -a " + v
		d := c.Summaries[v]
		if v == "version" {
			d = "print the version"
		}
		if d != "" {
			line += " -d " + fishQuote(d)
		}
		fmt.Fprintln(w, line)
	}
	fmt.Fprintf(w, "complete -c synfin -n '__synfin_after help' -x -a %s\n", fishQuote(strings.Join(c.HelpViews, " ")))
	fmt.Fprintf(w, "complete -c synfin -n '__synfin_after completion' -x -a %s\n", fishQuote(strings.Join(Shells, " ")))
	for _, f := range flags {
		line := "complete -c synfin -l " + f.Name
		if f.Shorthand != "" {
			line += " -s " + f.Shorthand
		}
		name, usage := pflag.UnquoteUsage(f)
		switch vals := c.Values[f.Name]; {
		case vals != nil:
			// Each value described by the flag's value name, not the
			// flag's whole usage repeated under every value.
			line += " -x -a " + fishQuote("(printf '%s\\t"+strings.ToUpper(name)+"\\n' "+strings.Join(vals, " ")+")")
		case f.Name == "sort":
			line += " -x -a '(__synfin_sort_columns)'"
		case TakesValue(f):
			line += " -r"
		}
		// UnquoteUsage drops the backticks that name the value
		// ("`COLUMN`"), which fish would show as they are.
		usage, _, _ = strings.Cut(usage, "\n")
		fmt.Fprintf(w, "%s -d %s\n", line, fishQuote(usage))
	}
	fmt.Fprintln(w, "complete -c synfin -l help -s h -d "+fishQuote("print the usage, or a view's help"))
}
