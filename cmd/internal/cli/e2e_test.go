package cli

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the expected outputs of testdata/e2e")

// TestE2E runs every CLI scenario under testdata/e2e/<case>/: the file
// "args" holds the arguments, one per line, run from the case directory
// (with "stdin" as standard input when present); "stdout" and "exit" hold
// the expected standard output and exit code, and "stderr", when present,
// text that standard error must contain.
func TestE2E(t *testing.T) {
	root, err := filepath.Abs("../../../testdata/e2e")
	if err != nil {
		t.Fatal(err)
	}
	cases, err := os.ReadDir(root)
	if err != nil {
		t.Fatalf("read e2e cases: %v", err)
	}
	if len(cases) == 0 {
		t.Fatal("no e2e cases found")
	}
	for _, c := range cases {
		if !c.IsDir() {
			continue
		}
		t.Run(c.Name(), func(t *testing.T) {
			dir := filepath.Join(root, c.Name())
			raw, err := os.ReadFile(filepath.Join(dir, "args"))
			if err != nil {
				t.Fatalf("read args: %v", err)
			}
			var args []string
			for _, l := range strings.Split(strings.TrimRight(string(raw), "\n"), "\n") {
				if l != "" {
					args = append(args, os.Expand(l, e2eEnv(t)))
				}
			}
			t.Chdir(dir)
			var stdin []byte
			if b, err := os.ReadFile("stdin"); err == nil {
				stdin = b
			}
			var out, errOut bytes.Buffer
			code := Main(context.Background(), args, Streams{In: bytes.NewReader(stdin), Out: &out, Err: &errOut})
			got := out.String()
			gotExit := strconv.Itoa(code) + "\n"
			if *update {
				write(t, "stdout", got)
				write(t, "exit", gotExit)
				return
			}
			if diff := cmp.Diff(read(t, "stdout"), got); diff != "" {
				t.Errorf("stdout mismatch (-want +got):\n%s\nstderr:\n%s", diff, errOut.String())
			}
			if want := read(t, "exit"); want != gotExit {
				t.Errorf("exit code = %s, want %s; stderr:\n%s", strings.TrimSpace(gotExit), strings.TrimSpace(want), errOut.String())
			}
			if b, err := os.ReadFile("stderr"); err == nil {
				for _, want := range strings.Split(strings.TrimSpace(string(b)), "\n") {
					if !strings.Contains(errOut.String(), want) {
						t.Errorf("stderr lacks %q; got:\n%s", want, errOut.String())
					}
				}
			}
		})
	}
}

// e2eEnv expands $VARIABLES in args; none are defined yet beyond the
// process environment.
func e2eEnv(t *testing.T) func(string) string {
	return func(name string) string {
		v, ok := os.LookupEnv(name)
		if !ok {
			t.Fatalf("args use $%s, which is not set", name)
		}
		return v
	}
}

func read(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatalf("read %s (run with -update to create it): %v", name, err)
	}
	return string(b)
}

func write(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
