// Package cli is pgadvisor's command line: one file per command, each an
// options struct, a constructor and a run function with injected streams,
// so that commands are tested without a terminal.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks"
	"github.com/pgadvisor/pgadvisor/analyzer/report"
	"github.com/pgadvisor/pgadvisor/cmd/internal/render"
)

// Exit codes, as DESIGN.md fixes them.
const (
	ExitOK       = 0 // no finding at or above --fail-on
	ExitFindings = 1 // findings at or above --fail-on
	ExitUsage    = 2 // bad flags or arguments
	ExitInput    = 3 // input, output or database failure: nothing could be read or written
	ExitInternal = 4 // a bug in pgadvisor (a panic); the message says so
)

// Streams are a command's standard streams, and whether the output ones
// are terminals (aligned tables, progress bars).
type Streams struct {
	In          io.Reader
	Out, Err    io.Writer
	OutTerminal bool
	ErrTerminal bool
	// Width is the terminal width of Out (0 when unknown).
	Width int
}

// StdStreams returns the process's streams.
func StdStreams() Streams { return FileStreams(os.Stdin, os.Stdout, os.Stderr) }

// FileStreams returns streams on files, with what a terminal among them
// tells: whether out and errw are terminals, and out's width.
func FileStreams(in io.Reader, out, errw *os.File) Streams {
	s := Streams{In: in, Out: out, Err: errw}
	if fd := int(out.Fd()); term.IsTerminal(fd) {
		s.OutTerminal = true
		if w, _, err := term.GetSize(fd); err == nil {
			s.Width = w
		}
	}
	s.ErrTerminal = term.IsTerminal(int(errw.Fd()))
	return s
}

// exitError carries an exit code with the error that caused it.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usageErrorf reports bad flags or arguments (exit code 2).
func usageErrorf(format string, args ...any) error {
	return &exitError{code: ExitUsage, err: fmt.Errorf(format, args...)}
}

// inputError reports that nothing could be read (exit code 3).
func inputError(err error) error { return &exitError{code: ExitInput, err: err} }

// errFindings is returned when findings reach --fail-on; the report has
// been written already, so nothing more is printed.
var errFindings = &exitError{code: ExitFindings, err: errors.New("findings at or above --fail-on")}

// globalOptions are the flags every command takes.
type globalOptions struct {
	streams Streams
	format  string
	failOn  string
	schemas []string
	enable  []string
	disable []string
}

// Main runs the command line with args and returns the exit code.
func Main(ctx context.Context, args []string, s Streams) (code int) {
	defer func() {
		// A bug must not print a Go stack trace at a user: say what
		// happened and where, and exit as an internal failure.
		if r := recover(); r != nil {
			fmt.Fprintf(s.Err, "pgadvisor: internal error: %v\nThis is a bug; please report it with the command and input that caused it.\n", r)
			code = ExitInternal
		}
	}()
	root := newRootCmd(s)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee != errFindings {
			fmt.Fprintf(s.Err, "pgadvisor: %s\n", render.Escape(ee.err.Error()))
		}
		return ee.code
	}
	// Cobra's own errors: unknown command or flag, wrong argument count.
	fmt.Fprintf(s.Err, "pgadvisor: %v\nRun 'pgadvisor --help' for usage.\n", err)
	return ExitUsage
}

// newRootCmd builds the command tree.
func newRootCmd(s Streams) *cobra.Command {
	g := &globalOptions{streams: s}
	root := &cobra.Command{
		Use:   "pgadvisor",
		Short: "Find what makes a PostgreSQL application slow, and measure the fix",
		Long: `pgadvisor reads what a PostgreSQL database runs (SQL files, server logs,
pg_stat_statements, EXPLAIN plans), finds what makes it slow (missing indexes,
bad plans, risky SQL) and names the index or rewrite that fixes it.

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage error,
3 input, output or database failure, 4 internal error (a bug).`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(s.In)
	root.SetOut(s.Out)
	root.SetErr(s.Err)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageErrorf("%v (see '%s --help')", err, c.CommandPath())
	})
	root.AddCommand(newAnalyzeCmd(g), newExplainCmd(g), newAdviseCmd(g), newCheckCmd(g), newChecksCmd(g), newVersionCmd(g))
	return root
}

// addReportFlags adds the flags of commands that write a report:
// --format and --fail-on.
func (g *globalOptions) addReportFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&g.format, "format", "table", "output format: table, json, markdown, sarif or github")
	f.StringVar(&g.failOn, "fail-on", "error", "exit with code 1 when a finding has at least this severity: info, warning, error or none")
}

// addCheckFlags adds the flags of commands that run checks: --schema,
// --enable and --disable.
func (g *globalOptions) addCheckFlags(cmd *cobra.Command) {
	g.addSchemaFlag(cmd)
	f := cmd.Flags()
	f.StringSliceVar(&g.enable, "enable", nil, "run only these checks (comma-separated or repeated)")
	f.StringSliceVar(&g.disable, "disable", nil, "do not run these checks (comma-separated or repeated)")
}

// addSchemaFlag adds --schema.
func (g *globalOptions) addSchemaFlag(cmd *cobra.Command) {
	cmd.Flags().StringArrayVar(&g.schemas, "schema", nil, "schema DDL file (repeatable, applied in order; pg_dump --schema-only output works)")
}

// validate checks the global flags.
func (g *globalOptions) validate() error {
	if _, err := render.ParseFormat(g.format); err != nil {
		return usageErrorf("--format: %v", err)
	}
	if _, err := g.failThreshold(); err != nil {
		return err
	}
	_, err := g.selectedChecks()
	return err
}

// failThreshold parses --fail-on; 0 means never fail on findings.
func (g *globalOptions) failThreshold() (check.Severity, error) {
	if strings.EqualFold(g.failOn, "none") {
		return 0, nil
	}
	s, err := check.ParseSeverity(g.failOn)
	if err != nil {
		return 0, usageErrorf("--fail-on: %v", err)
	}
	return s, nil
}

// selectedChecks applies --enable and --disable to the registry.
func (g *globalOptions) selectedChecks() ([]*check.Check, error) {
	for _, name := range append(slices.Clone(g.enable), g.disable...) {
		if checks.Lookup(name) == nil {
			return nil, usageErrorf("unknown check %q (run 'pgadvisor checks' for the list)", name)
		}
	}
	var out []*check.Check
	for _, c := range checks.All() {
		if len(g.enable) > 0 && !slices.Contains(g.enable, c.Name) {
			continue
		}
		if slices.Contains(g.disable, c.Name) {
			continue
		}
		out = append(out, c)
	}
	return out, nil
}

// write renders the report in the chosen format and turns findings at or
// above --fail-on into exit code 1.
func (g *globalOptions) write(rep *report.Report) error {

	f, err := render.ParseFormat(g.format)
	if err != nil {
		return usageErrorf("--format: %v", err)
	}
	opts := render.Options{Aligned: g.streams.OutTerminal, Width: g.streams.Width, ToolVersion: version()}
	for _, c := range checks.All() {
		opts.Rules = append(opts.Rules, render.Rule{Name: c.Name, Summary: c.Summary(), Doc: c.Doc, Severity: c.Severity.String()})
	}
	if err := render.Write(g.streams.Out, f, rep, opts); err != nil {
		// Not a usage error: the output could not be written (a closed
		// pipe, a full disk).
		return &exitError{code: ExitInput, err: fmt.Errorf("write the report: %w", err)}
	}
	threshold, err := g.failThreshold()
	if err != nil {
		return err
	}
	if threshold > 0 && report.Worst(rep.Findings) >= int(threshold) {
		return errFindings
	}
	return nil
}
