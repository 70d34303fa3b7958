// Package memstat reads a Linux process's memory figures from
// /proc/PID/status: what presswatch reports of its own peak, and what
// presswatch-bench samples of its children.
package memstat

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Status is a process's resident memory, in MiB.
type Status struct {
	Peak     float64 // VmHWM: the kernel's high-water mark of the resident memory
	Resident float64 // VmRSS: resident now
	Anon     float64 // RssAnon: private pages, which only the process can give back
	File     float64 // RssFile: mapped file pages, page cache the kernel can reclaim
}

// Read reads the status of process pid.
func Read(pid int) (Status, error) {
	return readFile(fmt.Sprintf("/proc/%d/status", pid))
}

// Self reads the status of this process.
func Self() (Status, error) { return readFile("/proc/self/status") }

func readFile(path string) (Status, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Status{}, err
	}
	s := Parse(string(b))
	if s.Peak <= 0 {
		return s, fmt.Errorf("memstat: %s has no VmHWM line", path)
	}
	return s, nil
}

// Parse reads the memory lines of a /proc/PID/status text ("VmHWM:
// 397312 kB"); lines it does not know, and a zombie's missing ones, are
// left at zero.
func Parse(text string) Status {
	var s Status
	fields := map[string]*float64{"VmHWM": &s.Peak, "VmRSS": &s.Resident, "RssAnon": &s.Anon, "RssFile": &s.File}
	for line := range strings.Lines(text) {
		name, rest, ok := strings.Cut(line, ":")
		into := fields[name]
		if !ok || into == nil {
			continue
		}
		f := strings.Fields(rest)
		if len(f) != 2 || f[1] != "kB" {
			continue
		}
		if kb, err := strconv.ParseFloat(f[0], 64); err == nil {
			*into = kb / 1024
		}
	}
	return s
}
