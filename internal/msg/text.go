package msg

import (
	"errors"
	"fmt"
	"strings"
)

// Text is a message not yet put in a language: a catalogue key and its
// arguments. As an error it reads in English; the command line prints it
// in the user's language with In. An argument that is itself a Text is
// put in the same language.
type Text struct {
	Key  string
	Args []any
}

// E is the message key with args.
func E(key string, args ...any) Text { return Text{key, args} }

func (t Text) Error() string { return EN.Say(t) }

// Say is t in l.
func (l Lang) Say(t Text) string {
	args := make([]any, len(t.Args))
	for i, a := range t.Args {
		if sub, ok := a.(Sayer); ok {
			a = sub.SayIn(l)
		}
		args[i] = a
	}
	return fmt.Sprintf(l.T(t.Key), args...)
}

// Sayer is an argument of a Text put in the Text's language.
type Sayer interface{ SayIn(Lang) string }

// SayIn is t in l.
func (t Text) SayIn(l Lang) string { return l.Say(t) }

// List is a list of words joined by commas ("a, b, c"; "a、b、c").
type List []string

// SayIn joins the words in l.
func (w List) SayIn(l Lang) string { return strings.Join(w, l.T("cli.list.sep")) }

// Or is a list of words joined as a sentence joins them: "a, b or c" in
// English, "a、b 或 c" in Chinese.
type Or []string

// SayIn joins the words in l.
func (o Or) SayIn(l Lang) string {
	switch len(o) {
	case 0:
		return ""
	case 1:
		return o[0]
	}
	head := o[0]
	for _, w := range o[1 : len(o)-1] {
		head += l.T("cli.list.sep") + w
	}
	return l.F("cli.list.or", head, o[len(o)-1])
}

// In is err in l when it is, or wraps, a Text; any other error as it
// reads.
func (l Lang) In(err error) string {
	var t Text
	if errors.As(err, &t) {
		return l.Say(t)
	}
	return err.Error()
}

// Sniff is the language --lang names among args, before they are parsed,
// so that even a mistake in parsing them is told in it; English when none
// or an unknown one is named.
func Sniff(args []string) Lang {
	lang := EN
	for i, a := range args {
		if a == "--" {
			break
		}
		name, ok := "", false
		switch {
		case a == "--lang" && i+1 < len(args):
			name, ok = args[i+1], true
		case len(a) > 7 && a[:7] == "--lang=":
			name, ok = a[7:], true
		}
		if ok {
			if l, err := Parse(name); err == nil {
				lang = l
			}
		}
	}
	return lang
}
