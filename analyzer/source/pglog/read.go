package pglog

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"time"
	"unsafe"

	"github.com/pgadvisor/pgadvisor/analyzer/workload"
)

// Options control how a log is read.
type Options struct {
	// Format is the log format; "" detects it from the content.
	Format Format
	// Prefix is the log_line_prefix of a stderr or syslog log; "" detects
	// it (see KnownPrefixes).
	Prefix string
	// Since and Until keep the statements logged in [Since, Until] (zero:
	// no bound). Statements without a timestamp are kept.
	Since, Until time.Time
	// MinDuration keeps only the executions that took at least this long;
	// executions whose duration is unknown are then dropped too.
	MinDuration time.Duration
	// Database and User keep only the statements of that database or
	// user, when the log records them.
	Database string
	User     string
	// Workers is the number of parsing goroutines (0: GOMAXPROCS).
	Workers int
	// ChunkSize is the size of the blocks parsed in parallel (0: 4 MiB).
	ChunkSize int
	// Shapes caches parsed query shapes; nil uses a cache of this read
	// only. Share one between reads of the same workload.
	Shapes *Shapes

	// firstSize overrides the size of the first block (tests).
	firstSize int
}

// Sink receives what a log holds, in log order. The Execution's strings
// may point into a buffer that is reused once Execution returns:
// workload.Workload.Add copies what it keeps.
type Sink interface {
	Execution(e *workload.Execution)
	Plan(p *Plan)
}

// Plan is an auto_explain plan found in a log.
type Plan struct {
	// File, Line and Column locate the "plan:" message.
	File   string
	Line   int
	Column int
	// Text is the plan as auto_explain wrote it (after "plan:").
	Text string
	// Format is text, json, yaml or xml (auto_explain.log_format).
	Format string
	// Query is the plan's "Query Text", "" if not found.
	Query string
	// Fingerprint is Query's fingerprint ("" without Query).
	Fingerprint string
	DurationMS  float64
	Session     string
	Time        time.Time
}

// Stats describes what was read.
type Stats struct {
	Format Format
	// Prefix is the log_line_prefix used (stderr and syslog);
	// PrefixDetected says it was detected rather than given.
	Prefix         string
	PrefixDetected bool
	// Bytes and Lines read; Entries are messages (a line with its
	// continuation, DETAIL and STATEMENT lines).
	Bytes   int64
	Lines   int64
	Entries int64
	// Executions are the statements kept (after filters), Failed those
	// that ended in an error, Unparsed those PostgreSQL's parser rejects.
	Executions int64
	Failed     int64
	Unparsed   int64
	Plans      int64
	// Filtered counts the executions and plans the filters dropped.
	Filtered int64
	// Protocol counts parse, bind and fetch messages of the extended
	// protocol (not calls of their own).
	Protocol int64
	// Other counts messages that are not statements (connections,
	// checkpoints, warnings, errors without a statement, ...).
	Other int64
	// Skipped counts lines that fit no format; Problems are the first
	// few, as "file:line: message".
	Skipped  int64
	Problems []string
	// Notes are remarks on how the log was read (e.g. a filter that
	// cannot apply).
	Notes []string
	// Platforms name where the log comes from, when its shape says it:
	// a wrapping (CloudNativePG, Google Cloud Logging, Heroku logplex) or
	// a managed service's log_line_prefix (Amazon RDS/Aurora, Azure).
	Platforms []string
	// Language is the language of the messages (lc_messages) when not
	// English; they were read through PostgreSQL's own translations.
	Language string
}

// Detected returns how the format was recognized, for people: e.g.
// "stderr, log_line_prefix '%m [%p] ' (detected)".
func (s *Stats) Detected() string {
	d := s.detectedFormat()
	for _, p := range s.Platforms {
		d += ", " + p
	}
	if s.Language != "" {
		d += ", messages in " + s.Language
	}
	return d
}

func (s *Stats) detectedFormat() string {
	switch s.Format {
	case Stderr, Syslog:
		how := "given"
		if s.PrefixDetected {
			how = "detected"
		}
		if s.Prefix == Generic.src {
			return fmt.Sprintf("%s, log_line_prefix unknown: read with heuristics (pass --log-prefix)", s.Format)
		}
		return fmt.Sprintf("%s, log_line_prefix '%s' (%s)", s.Format, s.Prefix, how)
	}
	return string(s.Format)
}

// defaultChunk is the size of the blocks handed to parsing workers: big
// enough to amortize the hand-over, small enough to keep memory low.
const defaultChunk = 4 << 20

// detectSize is how much of a log is looked at to detect its format and
// log_line_prefix.
const detectSize = 256 << 10

// maxCarry bounds a record that never ends (e.g. an unbalanced quote in
// a csvlog): past it, the chunk is cut at a line anyway.
const maxCarry = 64 << 20

// Read reads one log from r (name is used in positions) and hands its
// executions and plans to sink. It returns what was read; err is only for
// a failure to read r or a cancelled ctx (the stats then cover what was
// read before).
func Read(ctx context.Context, r io.Reader, name string, opts Options, sink Sink) (*Stats, error) {
	st := &Stats{}
	chunk := opts.ChunkSize
	if chunk <= 0 {
		chunk = defaultChunk
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	shapes := opts.Shapes
	if shapes == nil {
		shapes = NewShapes()
	}

	// The first block decides the format and the prefix: it is at least
	// detectSize long whatever the chunk size.
	firstSize := max(chunk, detectSize)
	if opts.firstSize > 0 {
		firstSize = opts.firstSize
	}
	first := make([]byte, firstSize)
	n, rerr := fill(ctx, r, first)
	first = first[:n]
	// A platform's wrapping is taken off whatever the format given: it
	// is the format of the lines inside.
	var sample []byte
	sample, r, first, rerr = peek(ctx, r, first, rerr, firstSize)
	if w := detectWrapper(sample); w != nil {
		st.Platforms = append(st.Platforms, w.name)
		r = newLineReader(rejoin(first, r, rerr), w.unwrap)
		first, rerr = refill(ctx, r, firstSize)
	}
	if opts.Format == "" || opts.Format == Stderr || opts.Format == Syslog {
		// lc_messages in another language: the lines are put in English
		// before anything reads them, format detection included (some
		// languages translate every severity, LOG too).
		sample, r, first, rerr = peek(ctx, r, first, rerr, firstSize)
		if t := detectLanguage(sample); t != nil {
			st.Language = t.name()
			r = newLineReader(rejoin(first, r, rerr), func(out, l []byte) []byte {
				s, _ := t.line(string(l))
				return append(out, s...)
			})
			first, rerr = refill(ctx, r, firstSize)
		}
	}
	st.Format = opts.Format
	if st.Format == "" {
		f, ok := DetectFormat(first)
		if !ok {
			f = Stderr
			st.Notes = append(st.Notes, "no line looks like a PostgreSQL log; read as stderr")
		}
		st.Format = f
	}
	var prefix *Prefix
	if st.Format == Stderr || st.Format == Syslog {
		if opts.Prefix != "" {
			p, err := CompilePrefix(opts.Prefix)
			if err != nil {
				return st, err
			}
			prefix = p
		} else {
			prefix = DetectPrefix(first, st.Format)
			if prefix == nil {
				prefix = Generic
			}
			st.PrefixDetected = true
		}
		st.Prefix = prefix.src
		if name := prefixPlatforms[prefix.src]; name != "" {
			st.Platforms = append(st.Platforms, name)
		}
		if st.Format == Syslog && herokuSample(first) {
			st.Platforms = append(st.Platforms, "Heroku Postgres (logplex)")
		}
		if !prefix.generic {
			if opts.Database != "" && prefix.has&hasDB == 0 {
				st.Notes = append(st.Notes, "--database not applied: the log_line_prefix has no %d")
			}
			if opts.User != "" && prefix.has&hasUser == 0 {
				st.Notes = append(st.Notes, "--user not applied: the log_line_prefix has no %u")
			}
			if (!opts.Since.IsZero() || !opts.Until.IsZero()) && prefix.has&hasTime == 0 {
				st.Notes = append(st.Notes, "--since/--until not applied: the log_line_prefix has no %m, %t or %n")
			}
		}
	}
	if st.Format == Syslog {
		// Messages are reassembled across chunks: one worker, in order.
		workers = 1
	}

	var fieldTr *translator
	if st.Format == CSV || st.Format == JSON {
		sample, r, first, rerr = peek(ctx, r, first, rerr, firstSize)
		if fieldTr = detectFieldLanguage(sample); fieldTr != nil {
			st.Language = fieldTr.name()
		}
	}
	asm := newAssembler(name, st.Format, &opts, sink, st)
	p := &pipeline{
		tr:     fieldTr,
		format: st.Format,
		prefix: prefix,
		shapes: shapes,
		jobs:   make(chan *job, workers),
		order:  make(chan *job, workers+1),
		bufs:   make(chan []byte, 2*workers+4),
		evs:    make(chan []event, 2*workers+4),
	}
	readErr := make(chan error, 1)
	go func() { readErr <- p.read(ctx, r, first, rerr, chunk, st) }()
	for w := 0; w < workers; w++ {
		go p.work()
	}
	var problems []problem
	for j := range p.order {
		<-j.done
		st.Lines += j.st.lines
		st.Entries += j.st.entries
		st.Skipped += j.st.skipped
		st.Other += j.st.other
		st.Protocol += j.st.protocol
		for _, pr := range j.st.problems {
			if len(problems) < maxProblems {
				problems = append(problems, pr)
			}
		}
		for i := range j.events {
			asm.add(&j.events[i])
		}
		// Nothing refers to the chunk any more (the assembler copies what
		// it keeps): its buffers serve again.
		p.recycle(j)
	}
	asm.finish()
	for _, pr := range problems {
		st.Problems = append(st.Problems, name+":"+strconv.Itoa(pr.line)+": "+pr.msg)
	}
	err := <-readErr
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return st, err
		}
		return st, fmt.Errorf("read log %q: %w", name, err)
	}
	return st, nil
}

// rejoin returns a reader of first followed by what r still holds (rerr
// is the error that ended reading first, if any).
func rejoin(first []byte, r io.Reader, rerr error) io.Reader {
	switch {
	case rerr == nil:
		return io.MultiReader(bytes.NewReader(first), r)
	case errors.Is(rerr, io.EOF):
		return bytes.NewReader(first)
	}
	return io.MultiReader(bytes.NewReader(first), &failReader{rerr})
}

type failReader struct{ err error }

func (f *failReader) Read([]byte) (int, error) { return 0, f.err }

// peek returns a sample of the input of at least detectSize bytes (when
// it has them) for what is detected once per input, whatever the size of
// the first block (tests make it tiny), with the reader and first block
// to go on with.
func peek(ctx context.Context, r io.Reader, first []byte, rerr error, size int) ([]byte, io.Reader, []byte, error) {
	if len(first) >= detectSize || rerr != nil {
		return first, r, first, rerr
	}
	more := make([]byte, detectSize-len(first))
	n, err := fill(ctx, r, more)
	sample := append(first[:len(first):len(first)], more[:n]...)
	r = rejoin(sample, r, err)
	first, rerr = refill(ctx, r, size)
	return sample, r, first, rerr
}

// refill reads the first block again, from a rewritten reader.
func refill(ctx context.Context, r io.Reader, size int) ([]byte, error) {
	b := make([]byte, size)
	n, err := fill(ctx, r, b)
	return b[:n], err
}

// fill reads into b until it is full, r ends or fails.
func fill(ctx context.Context, r io.Reader, b []byte) (int, error) {
	n := 0
	for n < len(b) {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		m, err := r.Read(b[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

type job struct {
	buf    []byte
	data   string
	line   int
	final  bool
	events []event
	st     chunkStats
	done   chan struct{}
}

type pipeline struct {
	format Format
	// tr translates csvlog and jsonlog fields written in another
	// language (stderr and syslog lines are translated as they are read).
	tr     *translator
	prefix *Prefix
	shapes *Shapes
	jobs   chan *job
	order  chan *job
	// bufs and evs hold buffers to use again: fresh ones cost zeroing and
	// garbage collection.
	bufs chan []byte
	evs  chan []event
}

// recycle keeps a processed job's buffers for later chunks.
func (p *pipeline) recycle(j *job) {
	if j.buf != nil {
		select {
		case p.bufs <- j.buf[:0]:
		default:
		}
	}
	if j.events != nil {
		// Not cleared: what the old events point to is recycled too.
		select {
		case p.evs <- j.events[:0]:
		default:
		}
	}
	j.buf, j.events, j.data = nil, nil, ""
}

// buffer returns a buffer of length n.
func (p *pipeline) buffer(n int) []byte {
	select {
	case b := <-p.bufs:
		if cap(b) >= n {
			return b[:n]
		}
	default:
	}
	// Room for the partial record carried over to the next chunk.
	return make([]byte, n, n+n/16)
}

// read cuts the input into chunks of whole records and hands them to the
// workers, and in the same order to the assembler.
func (p *pipeline) read(ctx context.Context, r io.Reader, first []byte, firstErr error, size int, st *Stats) (err error) {
	defer close(p.order)
	defer close(p.jobs)
	buf := first
	rerr := firstErr
	line := 1
	for {
		eof := rerr != nil
		if eof && !errors.Is(rerr, io.EOF) {
			err = rerr
		}
		cut := len(buf)
		if !eof {
			cut = p.cut(buf)
			if cut == 0 && len(buf) > maxCarry {
				// A record that never ends: cut at a line, or anywhere
				// (memory stays bounded; the parser skips the pieces).
				cut = lastNewline(buf) + 1
				if cut == 0 {
					cut = len(buf)
				}
			}
		}
		if cut > 0 {
			data := buf[:cut]
			st.Bytes += int64(len(data))
			j := &job{
				// The chunk is not written again until the assembler is
				// done with it: its strings can point into it.
				buf:   buf,
				data:  unsafe.String(unsafe.SliceData(data), len(data)),
				line:  line,
				final: eof,
				done:  make(chan struct{}),
			}
			line += bytes.Count(data, []byte{'\n'})
			p.order <- j
			p.jobs <- j
		} else if eof && len(buf) == 0 {
			// Let a syslog worker flush what it holds.
			j := &job{final: true, done: make(chan struct{})}
			p.order <- j
			p.jobs <- j
		}
		if eof {
			return err
		}
		// The next buffer starts with what was not handed over.
		rest := buf[cut:]
		grow := size
		if len(rest) >= size {
			grow = len(rest)
		}
		next := p.buffer(len(rest) + grow)
		copy(next, rest)
		var n int
		n, rerr = fill(ctx, r, next[len(rest):])
		buf = next[:len(rest)+n]
	}
}

// cut returns where to end a chunk of buf (0: no place yet).
func (p *pipeline) cut(buf []byte) int {
	switch p.format {
	case CSV:
		return csvCut(buf)
	case Stderr:
		return stderrCut(buf)
	}
	return lastNewline(buf) + 1
}

// work parses chunks. Syslog keeps its state across chunks (one worker).
func (p *pipeline) work() {
	cls := &classifier{shapes: p.shapes.local(), tr: p.tr}
	var sp *syslogParser
	for j := range p.jobs {
		var out []event
		select {
		case out = <-p.evs:
		default:
			out = make([]event, 0, len(j.data)/200+16)
		}
		switch p.format {
		case CSV:
			cp := csvParser{cls: cls, out: &out, st: &j.st}
			cp.parse(j.data, j.line)
		case JSON:
			jp := jsonParser{cls: cls, out: &out, st: &j.st}
			jp.parse(j.data, j.line)
		case Syslog:
			if sp == nil {
				sp = &syslogParser{prefix: p.prefix, cls: cls}
			}
			sp.out, sp.st = &out, &j.st
			sp.parse(j.data, j.line)
			if j.final {
				sp.finish()
			}
		default:
			lp := lineParser{prefix: p.prefix, cls: cls, out: &out, st: &j.st}
			parseStderr(j.data, j.line, &lp)
		}
		j.events = out
		close(j.done)
	}
}

func lastNewline(b []byte) int { return bytes.LastIndexByte(b, '\n') }

func indexNewline(b []byte) int { return bytes.IndexByte(b, '\n') }
