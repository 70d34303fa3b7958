package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
)

// helpNames are the commands and subcommands with a help of their own, as
// `presswatch help` takes them.
func helpNames() [][]string {
	var names [][]string
	for _, c := range commands {
		names = append(names, []string{c.name})
		for _, sub := range subcommands[c.name] {
			names = append(names, []string{c.name, sub})
		}
	}
	return names
}

var exampleFlag = regexp.MustCompile(`(?:^|\s)--([a-z][a-z-]*)`)

// TestEveryCommandHasItsOwnHelp: `presswatch help COMMAND`, `COMMAND
// --help` and `COMMAND -h` print the same help on stdout, exit 0: the
// command's usage line, what it does, its flags and an example using only
// flags it has.
func TestEveryCommandHasItsOwnHelp(t *testing.T) {
	var general bytes.Buffer
	usage(&general)
	for _, name := range helpNames() {
		full := strings.Join(name, " ")
		help, errOut := presswatch(t, 0, append([]string{"help"}, name...)...)
		if errOut != "" {
			t.Errorf("help %s wrote on stderr: %q", full, errOut)
		}
		flagSet := full
		switch name[0] {
		case "warc":
			flagSet = "warc verify" // warc's one subcommand
		case "admin":
			flagSet = "admin" // one flag set for add and list
		}
		if !strings.HasPrefix(help, "usage: presswatch "+flagSet) {
			t.Errorf("help %s does not begin with its usage line:\n%s", full, help)
		}
		if help == general.String() || strings.Contains(help, "commands:") {
			t.Errorf("help %s printed the general usage:\n%s", full, help)
		}
		ex, ok := strings.CutPrefix(help[strings.LastIndex(help, "\nexample:\n")+1:], "example:\n")
		if !ok || !strings.HasPrefix(ex, "  presswatch "+name[0]) {
			t.Errorf("help %s has no example of presswatch %s:\n%s", full, name[0], help)
		}
		if name[0] != "version" && (!strings.Contains(help, "\nflags:\n") || !strings.Contains(help, "\n  --data directory\n")) {
			t.Errorf("help %s lists no flags:\n%s", full, help)
		}
		for _, m := range exampleFlag.FindAllStringSubmatch(ex, -1) {
			if !strings.Contains(help, "\n  --"+m[1]+" ") && !strings.Contains(help, "\n  --"+m[1]+"\n") {
				t.Errorf("help %s: the example uses --%s, which is not among its flags:\n%s", full, m[1], help)
			}
		}
		for _, h := range []string{"--help", "-h"} {
			out, errOut := presswatch(t, 0, append(name, h)...)
			if out != help || errOut != "" {
				t.Errorf("%s %s printed\n%s\non stdout and %q on stderr; want what help %s prints:\n%s", full, h, out, errOut, full, help)
			}
		}
	}
	if out, _ := presswatch(t, 0, "help"); out != general.String() {
		t.Errorf("presswatch help printed %q, want the general usage", out)
	}
}

func TestHelpOfAnUnknownCommandNamesItAndListsTheCommands(t *testing.T) {
	for _, args := range [][]string{{"help", "nosuch"}, {"help", "sources", "nosuch"}} {
		var out, errOut bytes.Buffer
		if code := run(context.Background(), args, &out, &errOut); code != 2 {
			t.Errorf("presswatch %s: exit %d, want 2", strings.Join(args, " "), code)
		}
		if !strings.Contains(errOut.String(), `"nosuch"`) {
			t.Errorf("presswatch %s does not name it: %q", strings.Join(args, " "), errOut.String())
		}
		if out.Len() > 0 {
			t.Errorf("presswatch %s wrote on stdout: %q", strings.Join(args, " "), out.String())
		}
	}
	_, errOut := presswatch(t, 2, "help", "nosuch")
	for _, c := range commands {
		if !strings.Contains(errOut, "\n  "+c.name+" ") {
			t.Errorf("help nosuch does not list %s:\n%s", c.name, errOut)
		}
	}
	// A bad flag keeps its error and the help on stderr.
	out, errOut := presswatch(t, 2, "search", "--nosuch")
	if out != "" || !strings.Contains(errOut, "-nosuch") || !strings.Contains(errOut, "usage: presswatch search") {
		t.Errorf("search --nosuch: stdout %q, stderr %q", out, errOut)
	}
}
