package msg

// The command line's own messages: notes, warnings and errors a person
// reads on standard error. Kept apart from the views' words so that the
// two grow without treading on each other; TestEveryKeyInEveryLanguage
// holds them to both languages as it does the rest.
var cliMessages = map[string]text{
	"cli.nomatch.one":  {"note: no connection matches %s (%d in the capture)", "注意：没有连接符合 %s（抓包中共 %d 个连接）"},
	"cli.nomatch.many": {"note: no connection matches %s (%d in the %d captures)", "注意：没有连接符合 %s（%[3]d 个抓包中共 %[2]d 个连接）"},
}

func init() {
	for k, v := range cliMessages {
		catalogue[k] = v
	}
}
