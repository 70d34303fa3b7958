package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"golang.org/x/term"

	"presswatch/internal/auth"
	"presswatch/internal/store"
)

// minPassword is the shortest password `admin add` accepts, in characters.
const minPassword = 12

// adminStdin is where `admin add` reads a password when
// PRESSWATCH_ADMIN_PASSWORD is unset.
var adminStdin io.Reader = os.Stdin

func runAdmin(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c common
	fs := newFlags("admin", "add NAME [--data DIR] | list [--data DIR]",
		"add NAME sets (or replaces) the password of the administrator NAME, who may then log in\n"+
			"at /login and change topics and digests from the web. The password is\n"+
			"typed twice at the terminal (not shown), else $PRESSWATCH_ADMIN_PASSWORD, else one line\n"+
			"read from standard input when it is no terminal: `presswatch admin add ana < file`.\n"+
			"At least 12 characters. Replacing a password ends that administrator's sessions.\n"+
			"list prints the administrators.", stdout, stderr)
	c.register(fs, false)
	sub := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		sub, args = args[0], args[1:]
	}
	var rest []string // the arguments, flags allowed before and after them
	for {
		if err := fs.Parse(args); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		rest, args = append(rest, fs.Arg(0)), fs.Args()[1:]
	}
	switch {
	case sub == "add" && len(rest) == 1:
		return adminAdd(ctx, c.dbPath(), rest[0], stdout, stderr)
	case sub == "list" && len(rest) == 0:
		return adminList(ctx, c.dbPath(), stdout)
	case sub == "add":
		return errors.New("admin add: want exactly one NAME")
	default:
		return fmt.Errorf("admin: unknown subcommand %q: want add NAME or list", strings.TrimSpace(sub+" "+strings.Join(rest, " ")))
	}
}

// checkAdminName refuses names that would be hard to type or to show.
func checkAdminName(name string) error {
	if name == "" || len(name) > 64 {
		return fmt.Errorf("admin add: name %q: want 1 to 64 characters", name)
	}
	for _, r := range name {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-@", r)
		if !ok {
			return fmt.Errorf("admin add: name %q: %q is not allowed; use letters, digits and . _ - @", name, r)
		}
	}
	return nil
}

func adminAdd(ctx context.Context, dbPath, name string, stdout, prompt io.Writer) error {
	if err := checkAdminName(name); err != nil {
		return err
	}
	// The store first: a folder that cannot be written is said before
	// anyone types a password.
	st, err := store.Open(ctx, dbPath)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := refuseReadOnly(filepath.Dir(dbPath), st.ReadOnly()); err != nil {
		return err
	}
	password, err := adminPassword(name, prompt)
	if err != nil {
		return err
	}
	if n := utf8.RuneCountInString(password); n < minPassword {
		return fmt.Errorf("admin add: password of %d characters: want at least %d", n, minPassword)
	}
	hash, err := auth.Hash(password)
	if err != nil {
		return err
	}
	if err := st.PutAdmin(ctx, name, hash); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "administrator %s: password set\n", name)
	return nil
}

// adminPassword returns the password typed twice at the terminal when
// standard input is one (echo off, the prompts on prompt), else
// $PRESSWATCH_ADMIN_PASSWORD, else the first line of standard input.
func adminPassword(name string, prompt io.Writer) (string, error) {
	if f, ok := adminStdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return typedPassword(int(f.Fd()), name, prompt)
	}
	if p, ok := os.LookupEnv("PRESSWATCH_ADMIN_PASSWORD"); ok {
		return p, nil
	}
	line, err := bufio.NewReader(adminStdin).ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		return "", fmt.Errorf("admin add: read the password from standard input: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// typedPassword reads a password twice from the terminal fd without echo.
func typedPassword(fd int, name string, prompt io.Writer) (string, error) {
	var typed [2]string
	for i, what := range []string{"Password for %s: ", "The same again: "} {
		fmt.Fprintf(prompt, what, name)
		b, err := term.ReadPassword(fd)
		fmt.Fprintln(prompt)
		if err != nil {
			return "", fmt.Errorf("admin add: read the password from the terminal: %w", err)
		}
		typed[i] = string(b)
	}
	if typed[0] != typed[1] {
		return "", errors.New("admin add: the two passwords differ; nothing was changed")
	}
	return typed[0], nil
}

func adminList(ctx context.Context, dbPath string, stdout io.Writer) error {
	st, err := store.Open(ctx, dbPath)
	if err != nil {
		return err
	}
	defer st.Close()
	admins, err := st.Admins(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tCREATED")
	for _, a := range admins {
		fmt.Fprintf(tw, "%s\t%s\n", a.Name, a.Created.UTC().Format("2006-01-02 15:04 UTC"))
	}
	return tw.Flush()
}
