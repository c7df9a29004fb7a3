package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain runs the command itself when the test binary is started as
// pgadvisor by a test below.
func TestMain(m *testing.M) {
	if os.Getenv("PGADVISOR_TEST_MAIN") == "1" {
		os.Args = append([]string{"pgadvisor"}, os.Args[1:]...)
		main()
		return
	}
	os.Exit(m.Run())
}

// TestSecondSignalExits checks that the first signal cancels the context
// and the second exits at once with 128+signal.
func TestSecondSignalExits(t *testing.T) {
	sigs := make(chan os.Signal, 2)
	exited := make(chan int, 1)
	var stderr bytes.Buffer
	ctx, stop := watchSignals(t.Context(), sigs, func(c int) { exited <- c }, &stderr)
	defer stop()
	sigs <- syscall.SIGTERM
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the first signal did not cancel the context")
	}
	select {
	case c := <-exited:
		t.Fatalf("exited with %d on the first signal", c)
	case <-time.After(100 * time.Millisecond):
	}
	sigs <- syscall.SIGINT
	select {
	case c := <-exited:
		if c != 130 {
			t.Errorf("exit code %d, want 130", c)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the second signal did not exit")
	}
	if !strings.Contains(stderr.String(), "interrupted") {
		t.Errorf("stderr %q does not say it was interrupted", stderr.String())
	}
}

// TestSignalWhileReadingStdin checks the documented
// `tail -f postgresql.log | pgadvisor analyze -`: SIGTERM sent to
// pgadvisor alone (not its process group) while it waits on a pipe that
// stays open stops it promptly, and the statements that came, less than
// the 64 KiB detection head, are reported.
func TestSignalWhileReadingStdin(t *testing.T) {
	for _, tc := range []struct {
		name, input, want string
	}{
		{"sql", "SELECT a FROM t WHERE b = 1;\n", "SELECT a FROM t WHERE b = $1"},
		{"log", "2024-05-01 12:00:00.123 UTC [42] LOG:  duration: 12.5 ms  statement: SELECT a FROM t WHERE b = 2\n", "SELECT a FROM t WHERE b = $1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "analyze", "--format", "json", "-")
			cmd.Env = append(os.Environ(), "PGADVISOR_TEST_MAIN=1")
			in, err := cmd.StdinPipe()
			if err != nil {
				t.Fatal(err)
			}
			var out, errOut bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errOut
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer in.Close()
			io.WriteString(in, tc.input)
			time.Sleep(500 * time.Millisecond)
			start := time.Now()
			cmd.Process.Signal(syscall.SIGTERM)
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("still running 10 s after SIGTERM; stderr:\n%s", errOut.String())
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("stopped %v after SIGTERM", d)
			}
			if !strings.Contains(out.String(), tc.want) {
				t.Errorf("the report does not hold %q:\n%s\nstderr:\n%s", tc.want, out.String(), errOut.String())
			}
		})
	}
}
