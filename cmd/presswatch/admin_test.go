package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"presswatch/internal/auth"
	"presswatch/internal/store"
)

func TestAdminAddAndList(t *testing.T) {
	data := t.TempDir()
	t.Setenv("PRESSWATCH_ADMIN_PASSWORD", "a long enough password")
	out, _ := presswatch(t, 0, "admin", "add", "ana", "--data", data)
	if !strings.Contains(out, "administrator ana: password set") {
		t.Errorf("admin add said %q", out)
	}
	hashOf := func(name string) string {
		st, err := store.Open(context.Background(), filepath.Join(data, "presswatch.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		h, err := st.AdminHash(context.Background(), name)
		if err != nil {
			t.Fatalf("AdminHash(%s): %v", name, err)
		}
		return h
	}
	if err := auth.Verify("a long enough password", hashOf("ana")); err != nil {
		t.Fatalf("the stored hash does not verify the password: %v", err)
	}

	t.Setenv("PRESSWATCH_ADMIN_PASSWORD", "another long password")
	presswatch(t, 0, "admin", "add", "ana", "--data", data)
	if err := auth.Verify("another long password", hashOf("ana")); err != nil {
		t.Fatalf("admin add did not replace the password: %v", err)
	}
	presswatch(t, 0, "admin", "add", "bo", "--data", data)
	out, _ = presswatch(t, 0, "admin", "list", "--data", data)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[1], "ana ") || !strings.HasPrefix(lines[2], "bo ") {
		t.Errorf("admin list = %q, want a header, ana, bo", out)
	}
}

func TestAdminAddRefuses(t *testing.T) {
	cases := map[string]struct {
		password string
		args     []string
		want     string
	}{
		"short password":    {"eleven char", []string{"add", "ana"}, "password of 11 characters: want at least 12"},
		"name with a space": {"a long enough password", []string{"add", "an a"}, `name "an a": ' ' is not allowed`},
		"no name":           {"a long enough password", []string{"add"}, "want exactly one NAME"},
		"unknown":           {"a long enough password", []string{"remove", "ana"}, `unknown subcommand "remove ana"`},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			data := t.TempDir()
			t.Setenv("PRESSWATCH_ADMIN_PASSWORD", c.password)
			_, errOut := presswatch(t, 1, append(append([]string{"admin"}, c.args...), "--data", data)...)
			if !strings.Contains(errOut, c.want) {
				t.Errorf("stderr = %q, want %q", errOut, c.want)
			}
			out, _ := presswatch(t, 0, "admin", "list", "--data", data)
			if strings.Count(out, "\n") != 1 {
				t.Errorf("an administrator was added: %q", out)
			}
		})
	}
}

func TestAdminPasswordFromStdin(t *testing.T) {
	adminStdin = strings.NewReader("piped in password\n")
	defer func() { adminStdin = nil }()
	got, err := adminPassword("ana", io.Discard)
	if err != nil || got != "piped in password" {
		t.Fatalf("adminPassword = %q, %v; want the line without its newline", got, err)
	}
}

// At a terminal the password is typed twice, without echo; two that
// differ change nothing.
func TestAdminPasswordFromTerminal(t *testing.T) {
	for name, tc := range map[string]struct {
		typed, want, err string
	}{
		"twice the same":  {"a long enough password\na long enough password\n", "a long enough password", ""},
		"two that differ": {"a long enough password\nanother long password\n", "", "the two passwords differ"},
	} {
		t.Run(name, func(t *testing.T) {
			master, slave := openPTY(t)
			if _, err := master.WriteString(tc.typed); err != nil {
				t.Fatal(err)
			}
			adminStdin = slave
			defer func() { adminStdin = nil }()
			t.Setenv("PRESSWATCH_ADMIN_PASSWORD", "the environment's password") // the terminal wins
			var prompt strings.Builder
			got, err := adminPassword("ana", &prompt)
			if got != tc.want || (tc.err == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.err)) {
				t.Errorf("adminPassword = %q, %v; want %q, %q", got, err, tc.want, tc.err)
			}
			if !strings.Contains(prompt.String(), "Password for ana: ") {
				t.Errorf("prompt %q", prompt.String())
			}
		})
	}
}

// openPTY opens a pseudo-terminal: what is written to master is typed
// at slave.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal here (%v): the terminal prompt is not tested", err)
	}
	t.Cleanup(func() { m.Close() })
	fd := int(m.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Fatalf("unlockpt: %v", err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		t.Fatalf("ptsname: %v", err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return m, s
}
