package main

import (
	"bufio"
	"context"
	"fmt"
	"os/exec"
	"syscall"
	"time"
)

// The presswatch children the scale, load and memory sections run: one
// way to make the command and one to start a serve.

// presswatch is the command e.Bin args in env, sent stop when ctx ends and
// killed waitDelay after if it has not exited by then.
func (e *Env) presswatch(ctx context.Context, env []string, stop syscall.Signal, waitDelay time.Duration, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, e.Bin, args...)
	cmd.Env = env
	cmd.Cancel = func() error { return cmd.Process.Signal(stop) }
	cmd.WaitDelay = waitDelay
	return cmd
}

// startServe starts a serve command writing its stderr into stderr and
// returns its base URL, once it printed it, and the sampling of its
// memory. When it fails the child is killed and reaped.
func startServe(ctx context.Context, cmd *exec.Cmd, stderr *heapTrace) (string, *memWatch, error) {
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return "", nil, err
	}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	mem := watchMemory(cmd.Process.Pid)
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := servingLine.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
		close(addr)
	}()
	select {
	case a, ok := <-addr:
		if ok {
			return "http://" + a, mem, nil
		}
		err = fmt.Errorf("serve printed no address")
	case <-ctx.Done():
		err = fmt.Errorf("serve did not start")
	}
	cmd.Process.Kill()
	cmd.Wait()
	mem.stop()
	return "", nil, fmt.Errorf("%w: %s", err, tail(stderr.String()))
}
