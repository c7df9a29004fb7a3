package cli

import (
	"strings"
	"testing"
)

// TestStderrEscapesControls: messages on stderr quote inputs (a file
// name, a log line) and must not hand their control bytes to the
// terminal, as the report formats do not.
func TestStderrEscapesControls(t *testing.T) {
	name := "missing\x1b]0;owned\x07\x1b[2J.sql"
	code, _, errOut := runMain(t, t.TempDir(), "", "analyze", name)
	if code != ExitInput {
		t.Errorf("exit %d, want %d", code, ExitInput)
	}
	if strings.ContainsAny(errOut, "\x1b\x07") {
		t.Errorf("stderr holds raw control bytes: %q", errOut)
	}
	if !strings.Contains(errOut, "missing") {
		t.Errorf("stderr %q does not name the input", errOut)
	}
}
