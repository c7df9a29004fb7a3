package sandbox

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/pgadvisor/pgadvisor/analyzer/dbconn"
)

// LoadFile runs the SQL script at path (a --schema or --data file, or a
// plain-format pg_dump with COPY ... FROM stdin blocks and psql
// meta-commands) on the database at conn, stopping at the first error.
// It uses psql from the server's bin directory (or PATH) when there is
// one, and otherwise executes the script through pgx, which understands
// COPY FROM stdin and skips harmless meta-commands (\set, \restrict, ...)
// but rejects others (\connect, \i). Errors name the file and line:
// "load schema.sql:12: ERROR: relation "users" does not exist".
func LoadFile(ctx context.Context, conn, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("load %w", err)
	}
	defer f.Close()
	if psql := findPsql(ctx); psql != "" {
		return runPsql(ctx, psql, conn, path, path, nil)
	}
	return loadWithPgx(ctx, conn, path, f)
}

// LoadSQL is LoadFile for a script read from r; name is the file name
// shown in errors ("-" or "<stdin>" for standard input).
func LoadSQL(ctx context.Context, conn, name string, r io.Reader) error {
	if psql := findPsql(ctx); psql != "" {
		return runPsql(ctx, psql, conn, name, "-", r)
	}
	return loadWithPgx(ctx, conn, name, r)
}

// LoadFile runs the SQL script at path on database dbname of the
// cluster, with the cluster's own psql.
func (c *Cluster) LoadFile(ctx context.Context, dbname, path string) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("load %w", err)
	}
	if psql := c.bin.Tool("psql"); psql != "" {
		return runPsql(ctx, psql, c.URL(dbname), path, path, nil)
	}
	return LoadFile(ctx, c.URL(dbname), path)
}

// CreateDatabase creates database name in the cluster and returns its
// URL.
func (c *Cluster) CreateDatabase(ctx context.Context, name string) (string, error) {
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		return "", fmt.Errorf("create database %s: %w", name, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return "", fmt.Errorf("create database %s: %w", name, err)
	}
	return c.URL(name), nil
}

// findPsql returns the psql of the newest server installation, else the
// one on PATH, else "".
var findPsql = func(ctx context.Context) string {
	psqlOnce.Do(func() {
		if b, err := FindBinDir(ctx); err == nil {
			psqlPath = b.Tool("psql")
		}
		if psqlPath == "" {
			psqlPath, _ = exec.LookPath("psql")
		}
	})
	return psqlPath
}

var (
	psqlOnce sync.Once
	psqlPath string
)

// runPsql runs psql on file (or "-" with stdin) and turns its failure
// into an error naming the file and line.
func runPsql(ctx context.Context, psql, conn, name, file string, stdin io.Reader) error {
	cmd := exec.CommandContext(ctx, psql,
		"--no-psqlrc", "--quiet", "--set", "ON_ERROR_STOP=1",
		"--dbname", conn, "--file", file)
	cmd.Stdin = stdin
	cmd.Stdout = io.Discard
	var stderr limitedBuffer
	stderr.max = 1 << 16
	cmd.Stderr = &stderr
	err := cmd.Run()
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		return fmt.Errorf("load %s: %w", name, ctx.Err())
	}
	msg := psqlError(stderr.String(), file, name)
	if msg == "" {
		msg = err.Error()
	}
	return fmt.Errorf("load %s", dbconn.RedactText(msg, conn))
}

// psqlError keeps the ERROR/FATAL line of psql's output with its DETAIL
// and HINT, with "psql:FILE:LINE:" rewritten to "NAME:LINE:".
func psqlError(out, file, name string) string {
	prefix := "psql:" + file + ":"
	if file == "-" {
		prefix = "psql:<stdin>:"
	}
	var keep []string
	for _, line := range strings.Split(out, "\n") {
		line = strings.TrimRight(line, " \r")
		switch {
		case strings.HasPrefix(line, prefix):
			rest := line[len(prefix):]
			if strings.Contains(rest, "NOTICE:") || strings.Contains(rest, "WARNING:") {
				continue
			}
			keep = append(keep, name+":"+collapse(rest))
		case strings.HasPrefix(line, "DETAIL:") || strings.HasPrefix(line, "HINT:"):
			if len(keep) > 0 {
				keep = append(keep, collapse(line))
			}
		case strings.HasPrefix(line, "psql: error:"):
			keep = append(keep, name+": "+collapse(strings.TrimPrefix(line, "psql: error: ")))
		}
	}
	return strings.Join(keep, "; ")
}

// collapse squeezes runs of blanks (psql writes "ERROR:  msg").
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// limitedBuffer keeps the first max bytes written to it.
type limitedBuffer struct {
	bytes.Buffer
	max int
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.Len(); room > 0 {
		b.Buffer.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}

// loadWithPgx executes a script statement by statement: the fallback
// when psql is not installed.
func loadWithPgx(ctx context.Context, conn, name string, r io.Reader) error {
	c, err := pgx.Connect(ctx, conn)
	if err != nil {
		return fmt.Errorf("load %s: cannot connect to %s: %s", name, dbconn.Redact(conn), dbconn.Describe(err, conn))
	}
	defer c.Close(context.Background())
	pg := c.PgConn()
	return scanScript(r, func(it scriptItem) error {
		switch it.kind {
		case itemMeta:
			cmd := strings.Fields(it.text)[0]
			if harmlessMeta[cmd] {
				return nil
			}
			return fmt.Errorf("load %s:%d: psql meta-command %s needs psql, which is not installed", name, it.line, cmd)
		case itemCopy:
			if _, err := pg.CopyFrom(ctx, bytes.NewReader(it.data), it.text); err != nil {
				return fmt.Errorf("load %s:%d: %s", name, copyErrorLine(it, err), describePgError(err))
			}
		default:
			if _, err := pg.Exec(ctx, it.text).ReadAll(); err != nil {
				return fmt.Errorf("load %s:%d: %s", name, errorLine(it, err), describePgError(err))
			}
		}
		return nil
	}, name)
}

// harmlessMeta are psql meta-commands of dump files that a pgx load can
// skip without changing what the script does to the database.
var harmlessMeta = map[string]bool{
	`\set`: true, `\unset`: true, `\echo`: true, `\qecho`: true, `\encoding`: true,
	`\pset`: true, `\timing`: true, `\restrict`: true, `\unrestrict`: true,
}

// describePgError renders a server error like psql does, on one line.
func describePgError(err error) string {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return err.Error()
	}
	msg := pgErr.Severity + ": " + pgErr.Message
	if pgErr.Detail != "" {
		msg += "; DETAIL: " + pgErr.Detail
	}
	if pgErr.Hint != "" {
		msg += "; HINT: " + pgErr.Hint
	}
	return msg
}

// errorLine returns the script line of an error: the statement's first
// line, moved to the character the server points at when it does.
func errorLine(it scriptItem, err error) int {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Position <= 0 {
		return it.line
	}
	line, n := it.line, 0
	for _, r := range it.text {
		n++
		if n >= int(pgErr.Position) {
			break
		}
		if r == '\n' {
			line++
		}
	}
	return line
}

// copyLineRE finds the data line in a COPY error's context
// ("COPY users, line 2, column id: ...").
var copyLineRE = regexp.MustCompile(`^COPY [^,]*, line (\d+)`)

// copyErrorLine returns the script line of the COPY data row an error
// is about, or the COPY statement's line.
func copyErrorLine(it scriptItem, err error) int {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return it.line
	}
	m := copyLineRE.FindStringSubmatch(pgErr.Where)
	if m == nil {
		return it.line
	}
	n, _ := strconv.Atoi(m[1])
	return it.line + strings.Count(it.text, "\n") + n
}

type itemKind int

const (
	itemSQL  itemKind = iota // one SQL statement
	itemCopy                 // COPY ... FROM stdin with its data
	itemMeta                 // a psql meta-command line
)

// scriptItem is one unit of a script, starting at line (1-based).
type scriptItem struct {
	kind itemKind
	text string
	data []byte
	line int
}

// copyFromStdinRE recognizes statements whose data follows in the script.
var copyFromStdinRE = regexp.MustCompile(`(?is)^copy\b.*\bfrom\s+stdin\b`)

// scanScript splits a psql script into statements, COPY blocks and
// meta-commands. It tracks quotes ('...', E'...', "...", $tag$...$tag$)
// and comments (--, nested /* */) so semicolons inside them do not end
// statements.
func scanScript(r io.Reader, emit func(scriptItem) error, name string) error {
	br := bufio.NewReaderSize(r, 1<<16)
	var (
		stmt      strings.Builder
		stmtLine  int  // line where stmt starts
		blank     bool = true
		lineNo    int
		quote     byte   // '\'', '"' or 0
		escapes   bool   // inside E'...'
		dollarTag string // inside $tag$...$tag$ when not ""
		inDollar  bool
		comment   int // depth of /* */ nesting
	)
	readLine := func() (string, bool, error) {
		line, err := br.ReadString('\n')
		if err == io.EOF {
			if line == "" {
				return "", false, nil
			}
			err = nil
		}
		if err != nil {
			return "", false, fmt.Errorf("load %s: %w", name, err)
		}
		lineNo++
		return line, true, nil
	}
	flush := func() error {
		text := strings.TrimSpace(stmt.String())
		stmt.Reset()
		blank = true
		if text == "" {
			return nil
		}
		item := scriptItem{kind: itemSQL, text: text, line: stmtLine}
		if copyFromStdinRE.MatchString(stripLeadingComments(text)) {
			item.kind = itemCopy
			var data bytes.Buffer
			for {
				line, ok, err := readLine()
				if err != nil {
					return err
				}
				if !ok || strings.TrimRight(line, "\r\n") == `\.` {
					break
				}
				data.WriteString(line)
			}
			item.data = data.Bytes()
		}
		return emit(item)
	}
	for {
		line, ok, err := readLine()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		if blank && quote == 0 && !inDollar && comment == 0 {
			if t := strings.TrimSpace(line); strings.HasPrefix(t, `\`) {
				if err := emit(scriptItem{kind: itemMeta, text: t, line: lineNo}); err != nil {
					return err
				}
				continue
			}
		}
		for i := 0; i < len(line); i++ {
			ch := line[i]
			if blank && !isBlank(ch) && comment == 0 && !startsComment(line[i:]) {
				// Comments before a statement are dropped, so that the
				// statement's text starts at stmtLine.
				blank = false
				stmtLine = lineNo
				stmt.Reset()
			}
			switch {
			case comment > 0:
				if ch == '*' && i+1 < len(line) && line[i+1] == '/' {
					comment--
					stmt.WriteString("*/")
					i++
					continue
				}
				if ch == '/' && i+1 < len(line) && line[i+1] == '*' {
					comment++
					stmt.WriteString("/*")
					i++
					continue
				}
			case inDollar:
				if ch == '$' && strings.HasPrefix(line[i:], dollarTag) {
					inDollar = false
					stmt.WriteString(dollarTag)
					i += len(dollarTag) - 1
					continue
				}
			case quote != 0:
				if escapes && ch == '\\' && i+1 < len(line) {
					stmt.WriteByte(ch)
					stmt.WriteByte(line[i+1])
					i++
					continue
				}
				if ch == quote {
					// A doubled quote is an escaped quote and keeps the
					// string open; the next iteration sees the second
					// one as an opening quote again.
					quote = 0
				}
			case ch == '-' && i+1 < len(line) && line[i+1] == '-':
				// Comment to the end of the line.
				stmt.WriteString(line[i:])
				i = len(line)
				continue
			case ch == '/' && i+1 < len(line) && line[i+1] == '*':
				comment = 1
				stmt.WriteString("/*")
				i++
				continue
			case ch == '\'':
				quote = '\''
				escapes = i > 0 && (line[i-1] == 'E' || line[i-1] == 'e') && (i < 2 || !isIdentChar(line[i-2]))
			case ch == '"':
				quote = '"'
				escapes = false
			case ch == '$' && (i == 0 || !isIdentChar(line[i-1])):
				if tag, ok := dollarTagAt(line[i:]); ok {
					inDollar = true
					dollarTag = tag
					stmt.WriteString(tag)
					i += len(tag) - 1
					continue
				}
			case ch == ';':
				stmt.WriteByte(ch)
				if err := flush(); err != nil {
					return err
				}
				continue
			}
			stmt.WriteByte(ch)
		}
	}
	if quote != 0 || inDollar || comment > 0 {
		return fmt.Errorf("load %s:%d: unterminated quoted string or comment at end of file", name, stmtLine)
	}
	return flush()
}

// dollarTagAt returns the $tag$ opening a dollar-quoted string at s.
func dollarTagAt(s string) (string, bool) {
	for i := 1; i < len(s); i++ {
		c := s[i]
		if c == '$' {
			return s[:i+1], true
		}
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80 || (i > 1 && c >= '0' && c <= '9')) {
			return "", false
		}
	}
	return "", false
}

func isIdentChar(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

func startsComment(s string) bool {
	return strings.HasPrefix(s, "--") || strings.HasPrefix(s, "/*")
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// stripLeadingComments drops comments and blanks before a statement.
func stripLeadingComments(s string) string {
	for {
		s = strings.TrimSpace(s)
		switch {
		case strings.HasPrefix(s, "--"):
			if i := strings.IndexByte(s, '\n'); i >= 0 {
				s = s[i+1:]
			} else {
				return ""
			}
		case strings.HasPrefix(s, "/*"):
			if i := strings.Index(s, "*/"); i >= 0 {
				s = s[i+2:]
			} else {
				return ""
			}
		default:
			return s
		}
	}
}

// Vacuum readies a freshly loaded database for planning: it waits (up to
// five seconds) until the other sessions of conn's database are gone,
// then runs VACUUM ANALYZE. The backend of a loader that just
// disconnected can linger for a moment, and autovacuum analyzes a table
// just loaded; while either holds a snapshot VACUUM cannot mark the
// loaded pages all-visible, and the planner then costs every index-only
// scan as if each row were fetched from the table. The same holds while
// the loaded rows' asynchronous commit is not flushed: Vacuum runs VACUUM
// again until every page is all-visible (five more seconds at most).
func Vacuum(ctx context.Context, conn *pgx.Conn) error {
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		var others int
		err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND pid <> pg_backend_pid()
			  AND backend_type IN ('client backend', 'autovacuum worker')`).Scan(&others)
		if err != nil {
			return fmt.Errorf("wait for the loading sessions: %w", err)
		}
		if others == 0 {
			break
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	// The sandbox commits asynchronously (synchronous_commit = off):
	// VACUUM cannot mark a page all-visible while the commit of the rows
	// on it is not flushed to disk, which the WAL writer does in its own
	// time. VACUUM again until every page is all-visible, for a while.
	if _, err := conn.Exec(ctx, "VACUUM ANALYZE"); err != nil {
		return fmt.Errorf("vacuum: %w", err)
	}
	for time.Now().Before(deadline.Add(5 * time.Second)) {
		var pending int64
		err := conn.QueryRow(ctx, `SELECT coalesce(sum(c.relpages - c.relallvisible), 0)
			FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE c.relkind IN ('r', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')`).Scan(&pending)
		if err != nil {
			return fmt.Errorf("read the visibility map: %w", err)
		}
		if pending <= 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if _, err := conn.Exec(ctx, "VACUUM"); err != nil {
			return fmt.Errorf("vacuum: %w", err)
		}
	}
	return nil
}
