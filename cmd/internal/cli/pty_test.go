package cli

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/creack/pty"
	"github.com/mattn/go-runewidth"
)

// TestTerminal80Columns runs analyze on a real pseudo-terminal of 80
// columns: the findings fit the width, and every CREATE INDEX statement
// is printed whole on a line of its own, so that it can be copied from
// the terminal and run as it is.
func TestTerminal80Columns(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatalf("open a pseudo-terminal: %v", err)
	}
	defer ptmx.Close()
	if err := pty.Setsize(tty, &pty.Winsize{Rows: 50, Cols: 80}); err != nil {
		t.Fatal(err)
	}
	var screen bytes.Buffer
	done := make(chan struct{})
	go func() {
		_, _ = io.Copy(&screen, ptmx)
		close(done)
	}()
	s := FileStreams(strings.NewReader(""), tty, tty)
	if !s.OutTerminal || s.Width != 80 {
		t.Fatalf("streams on the pseudo-terminal: terminal %v, width %d", s.OutTerminal, s.Width)
	}
	t.Chdir("../../../testdata/e2e/analyze-demo")
	code := Main(context.Background(), []string{"analyze", "--schema", "../../demo/schema.sql", "../../demo/app.sql"}, s)
	tty.Close()
	<-done
	if code != ExitFindings {
		t.Errorf("exit code %d, want %d", code, ExitFindings)
	}
	out := strings.ReplaceAll(screen.String(), "\r\n", "\n")
	var ddl int
	for _, l := range strings.Split(out, "\n") {
		if i := strings.Index(l, "CREATE INDEX CONCURRENTLY IF NOT EXISTS "); i >= 0 && !strings.Contains(l, "pg_trgm") {
			ddl++
			if i != 0 || !strings.HasSuffix(l, ";") {
				t.Errorf("statement not whole on its line: %q", l)
			}
			continue
		}
		if w := runewidth.StringWidth(l); w > 80 {
			t.Errorf("line of %d columns on an 80-column terminal: %q", w, l)
		}
	}
	if ddl != 6 {
		t.Errorf("%d CREATE INDEX lines, want the demo's 6 proposals once each:\n%s", ddl, out)
	}
}
