package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// machine describes where the figures were measured.
type machine struct {
	CPU    string // model name and count
	Memory string
	Go     string
	Commit string // short hash, "+dirty" when the tree had changes
}

func describeMachine(ctx context.Context) machine {
	m := machine{CPU: fmt.Sprintf("%d cores", runtime.NumCPU()), Go: runtime.Version(), Commit: "unknown commit"}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU += " (" + strings.TrimSpace(v) + ")"
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int64
		if _, err := fmt.Sscanf(string(b), "MemTotal: %d kB", &kb); err == nil {
			m.Memory = fmt.Sprintf("%.0f GiB", float64(kb)/(1<<20))
		}
	}
	if out, err := exec.CommandContext(ctx, "git", "rev-parse", "--short", "HEAD").Output(); err == nil {
		m.Commit = strings.TrimSpace(string(out))
		if st, err := exec.CommandContext(ctx, "git", "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(bytes.TrimSpace(st)) > 0 {
			m.Commit += "+dirty"
		}
	}
	return m
}

// A block is one section's text in BENCHMARKS.md, between its markers.
type block struct {
	Key, Text string
}

func beginMarker(key string) string { return "<!-- presswatch-bench " + key + " -->" }
func endMarker(key string) string   { return "<!-- /presswatch-bench " + key + " -->" }

// render writes a section as Markdown: a table of figures, then the
// notes, the machine and the command.
func render(s Section, figs []Figure, m machine, e *Env, took time.Duration) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n### %s\n\n", beginMarker(s.Key), s.Name)
	b.WriteString("| figure | presswatch | baseline | target | met? |\n|---|---|---|---|---|\n")
	for _, f := range figs {
		base := ""
		if f.Base != nil {
			if len(f.Base.Runs) > 0 {
				base = f.Base.Name + ": " + spread(f.Base.Runs, f.Unit) + ", same runs"
			} else {
				base = f.Base.Name + ": " + num(f.Base.Anchor) + unitSuffix(f.Unit) + " (" + f.Base.Source + ")"
			}
		}
		goal, met := "", ""
		if f.Goal != nil {
			goal, met = f.Goal.Text, "no"
			if f.Met() {
				met = "yes"
			}
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", cell(f.Name), cell(spread(f.Runs, f.Unit)), cell(base), cell(goal), met)
	}
	b.WriteString("\n")
	for _, f := range figs {
		if f.Notes != "" {
			fmt.Fprintf(&b, "- %s: %s\n", f.Name, f.Notes)
		}
	}
	fmt.Fprintf(&b, "\nMeasured %s on %s, %s RAM, %s, presswatch %s; %d runs; the section took %s.\n",
		time.Now().UTC().Format("2 January 2006 15:04 MST"), m.CPU, m.Memory, m.Go, m.Commit, e.Runs, took.Round(time.Second))
	fmt.Fprintf(&b, "Reproduce: `%s`\n%s\n", s.Command, endMarker(s.Key))
	return b.String()
}

func unitSuffix(u string) string {
	if u == "" {
		return ""
	}
	return " " + u
}

// cell keeps a value from breaking the table.
func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// generatedHeading starts the part of BENCHMARKS.md the command writes.
const generatedHeading = "## Measured by presswatch-bench"

// splice puts each block into doc in place of its previous text, or, for
// a section not there yet, at the end of the generated part (which is made
// at the top, after the title, when missing). Everything else in doc, the
// prose and the older figures, is kept as it was.
func splice(doc []byte, blocks []block) []byte {
	s := string(doc)
	if s == "" {
		s = "# Benchmarks\n"
	}
	if !strings.Contains(s, generatedHeading) {
		intro := generatedHeading + "\n\nWritten by `go run ./cmd/presswatch-bench`; each section is replaced when it is run again.\n\n"
		if i := strings.Index(s, "\n## "); i >= 0 {
			s = s[:i+1] + "\n" + intro + s[i+1:]
		} else {
			s = strings.TrimRight(s, "\n") + "\n\n" + intro
		}
	}
	for _, bl := range blocks {
		begin, end := beginMarker(bl.Key), endMarker(bl.Key)
		i, j := strings.Index(s, begin), strings.Index(s, end)
		if i >= 0 && j > i {
			s = s[:i] + bl.Text + s[min(j+len(end)+1, len(s)):]
			continue
		}
		// After the last generated block, or after the intro.
		if last := strings.LastIndex(s, "<!-- /presswatch-bench "); last >= 0 {
			at := last + strings.Index(s[last:], "\n") + 1
			s = s[:at] + "\n" + bl.Text + s[at:]
			continue
		}
		at := strings.Index(s, generatedHeading)
		at += strings.Index(s[at:], "\n\n") + 2 // past the heading
		at += strings.Index(s[at:], "\n\n") + 2 // past the intro
		s = s[:at] + bl.Text + "\n" + s[at:]
	}
	return []byte(s)
}
