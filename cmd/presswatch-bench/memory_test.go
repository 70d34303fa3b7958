package main

import (
	"os/exec"
	"strings"
	"testing"
)

func startShell(t *testing.T, script string) (*exec.Cmd, *strings.Builder) {
	t.Helper()
	cmd := exec.Command("/bin/sh", "-c", script)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Skipf("no /bin/sh to start: %v", err)
	}
	return cmd, &stderr
}

func TestFinishTakesThePeakTheChildPrinted(t *testing.T) {
	cmd, stderr := startShell(t, `sleep 0.3; echo "peak memory: 812.5 MiB resident" >&2`)
	m, err := finish(cmd, watchMemory(cmd.Process.Pid), stderr.String)
	if err != nil {
		t.Fatal(err)
	}
	if m.Peak != 812.5 {
		t.Errorf("Peak = %v MiB, want the 812.5 the child printed (a shell samples far smaller)", m.Peak)
	}
	if m.Anon <= 0 || m.File <= 0 {
		t.Errorf("samples: %+v, want private and file pages read from /proc", m)
	}
}

func TestFinishRefusesAChildThatPrintedNoPeak(t *testing.T) {
	cmd, stderr := startShell(t, `sleep 0.2; echo done >&2`)
	if _, err := finish(cmd, watchMemory(cmd.Process.Pid), stderr.String); err == nil || !strings.Contains(err.Error(), "no peak memory") {
		t.Errorf("err = %v, want one saying the child printed no peak memory", err)
	}
}

func TestFinishReportsAFailedChild(t *testing.T) {
	cmd, stderr := startShell(t, `echo "peak memory: 10.0 MiB resident" >&2; exit 3`)
	if _, err := finish(cmd, watchMemory(cmd.Process.Pid), stderr.String); err == nil || !strings.Contains(err.Error(), "exit status 3") {
		t.Errorf("err = %v, want the exit status", err)
	}
}
