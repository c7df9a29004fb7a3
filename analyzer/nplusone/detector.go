package nplusone

import (
	"cmp"
	"hash/maphash"
	"slices"
	"strings"
	"time"

	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
	"github.com/pgadvisor/pgadvisor/analyzer/workload"
)

// Kind is the kind of a pattern found.
type Kind string

// Pattern kinds (see the package documentation for the rules).
const (
	KindLoop    Kind = "loop"
	KindCache   Kind = "cache"
	KindWrites  Kind = "batch-writes"
	KindSuspect Kind = "suspect"
)

// Options are the detector's thresholds; zero fields take the defaults.
type Options struct {
	// MinRepeats is the number of calls of a shape in one burst that
	// makes a loop (default 5).
	MinRepeats int
	// MaxGap is the longest pause between two executions of a session
	// within one burst (default 100 ms).
	MaxGap time.Duration
	// SuspectCalls, SuspectMeanMS and SuspectRows are the thresholds of
	// the pg_stat_statements suspicion: at least that many calls, a mean
	// below that many milliseconds, at most that many rows per call
	// (defaults 1000, 1 ms, 1.5).
	SuspectCalls  int64
	SuspectMeanMS float64
	SuspectRows   float64
}

// Defaults of Options.
const (
	DefaultMinRepeats    = 5
	DefaultMaxGap        = 100 * time.Millisecond
	DefaultSuspectCalls  = 1000
	DefaultSuspectMeanMS = 1.0
	DefaultSuspectRows   = 1.5
)

func (o Options) withDefaults() Options {
	if o.MinRepeats <= 0 {
		o.MinRepeats = DefaultMinRepeats
	}
	if o.MaxGap <= 0 {
		o.MaxGap = DefaultMaxGap
	}
	if o.SuspectCalls <= 0 {
		o.SuspectCalls = DefaultSuspectCalls
	}
	if o.SuspectMeanMS <= 0 {
		o.SuspectMeanMS = DefaultSuspectMeanMS
	}
	if o.SuspectRows <= 0 {
		o.SuspectRows = DefaultSuspectRows
	}
	return o
}

// Call is one execution kept as an example.
type Call struct {
	File       string
	Line       int
	Text       string
	Params     []*string
	DurationMS float64
}

// Loop is one pattern: a query shape repeated under a parent (or without
// one), aggregated over every burst of that shape under that parent.
type Loop struct {
	Kind Kind
	// Fingerprint and Normalized identify the repeated query.
	Fingerprint string
	Normalized  string
	// ParentFingerprint and ParentNormalized identify the parent ("" for
	// none).
	ParentFingerprint string
	ParentNormalized  string
	// Bursts is the number of bursts; MaxRepeats the most calls in one,
	// TotalCalls and TotalMS (server time) those of every burst.
	Bursts     int
	MaxRepeats int
	TotalCalls int64
	TotalMS    float64
	// WallMS adds up, per burst, the time from the start of its first
	// call to the end of its last one: the server's time plus the round
	// trips and the application's own work between the calls.
	WallMS float64
	// Sessions is the number of sessions with a burst of this loop.
	Sessions int
	// Rows is the rows per call (suspicions, from pg_stat_statements).
	Rows float64
	// Parent and Example are the example burst (the first one): the
	// parent's call and the loop's calls (at most maxExample), File and
	// Line where its first call is.
	Parent  *Call
	Example []Call
	File    string
	Line    int
	// DistinctValues is the number of distinct parameter values in the
	// example burst.
	DistinctValues int
	// Rewrite is the batched query for loops and batch-writes (nil when
	// none could be built; see RewriteErr).
	Rewrite    *Rewrite
	RewriteErr error
}

// MeanRepeats is the mean number of calls per burst.
func (l *Loop) MeanRepeats() float64 {
	if l.Bursts == 0 {
		return 0
	}
	return float64(l.TotalCalls) / float64(l.Bursts)
}

// SavedCalls is the number of calls that disappear when each burst is one
// batched call.
func (l *Loop) SavedCalls() int64 { return max(l.TotalCalls-int64(l.Bursts), 0) }

// SavedMS estimates the server time that disappears: the mean time of the
// calls that disappear (the batched call does the work of the others).
// The round trips saved on the application side come on top (see WallMS).
func (l *Loop) SavedMS() float64 {
	if l.TotalCalls == 0 {
		return 0
	}
	return l.TotalMS * float64(l.SavedCalls()) / float64(l.TotalCalls)
}

// class is what a statement does, from its first keyword.
type class uint8

const (
	classOther class = iota
	classRead
	classWrite
	classControl
)

// shape is one distinct query, shared by all sessions.
type shape struct {
	fp   string
	norm string
	cls  class
	// rows says the statement returns rows (a read, or RETURNING).
	rows bool
	// params says the normalized text has parameters.
	params bool
}

// maxSeg bounds the statements a session keeps while no shape repeats.
const maxSeg = 16

// maxExample bounds the calls kept for an example burst.
const maxExample = 64

// maxSessionsCounted bounds the session names kept per pattern (the
// count is then a lower bound).
const maxSessionsCounted = 1 << 16

// sweepEvery is how often (in executions) idle sessions are closed.
const sweepEvery = 4096

// idleSeq closes a session that has not run anything for this many
// executions of the log (for logs without timestamps).
const idleSeq = 1 << 16

// pending is an execution kept while a session's structure is unknown:
// its buffers are reused.
type pending struct {
	sh     *shape
	file   string
	line   int
	t      int64
	ms     float64
	hash   uint64
	text   []byte
	params []string
	nulls  []bool
}

func (p *pending) set(e *workload.Execution, sh *shape, file string, t int64, h uint64) {
	p.sh, p.file, p.line, p.t, p.hash = sh, file, e.Line, t, h
	p.ms = 0
	if e.HasDuration {
		p.ms = e.DurationMS
	}
	p.text = append(p.text[:0], e.Text...)
	p.params, p.nulls = p.params[:0], p.nulls[:0]
	for _, v := range e.Params {
		if v == nil {
			p.params = append(p.params, "")
			p.nulls = append(p.nulls, true)
			continue
		}
		p.params = append(p.params, *v)
		p.nulls = append(p.nulls, false)
	}
}

func (p *pending) call() Call {
	c := Call{File: p.file, Line: p.line, Text: string(p.text), DurationMS: p.ms}
	for i, v := range p.params {
		if p.nulls[i] {
			c.Params = append(c.Params, nil)
			continue
		}
		c.Params = append(c.Params, &v)
	}
	return c
}

// member is one shape of a burst's body.
type member struct {
	sh      *shape
	calls   int
	ms      float64
	firstT  int64
	firstMS float64
	lastT   int64
	hash0   uint64
	varied  bool
	file    string
	line    int
	collect bool
	example []Call
}

func (m *member) add(p *pending) {
	t := p.t
	if m.calls == 0 {
		m.firstT, m.firstMS, m.hash0 = t, p.ms, p.hash
		m.file, m.line = p.file, p.line
	}
	m.calls++
	m.ms += p.ms
	m.lastT = t
	if p.hash != m.hash0 {
		m.varied = true
	}
	if m.collect && len(m.example) < maxExample {
		m.example = append(m.example, p.call())
	}
}

// session is what the detector follows of one session.
type session struct {
	key    string
	lastT  int64
	hasT   bool
	seq    uint64
	parent pending
	hasPar bool
	seg    [maxSeg]pending
	start  int
	n      int
	// body points into mem: a body has at most maxSeg shapes (it comes
	// from seg), and the members are reused from burst to burst.
	body []*member
	mem  [maxSeg]member
	// txn says the burst's body holds transaction control; parentOK that
	// the parent is the burst's (it returns rows and txn is false).
	txn      bool
	parentOK bool
}

func (s *session) segAt(i int) *pending { return &s.seg[(s.start+i)%maxSeg] }

// aggKey identifies a pattern.
type aggKey struct {
	kind   Kind
	parent string
	fp     string
}

// Detector finds loops in executions handed to it in log order. It is not
// safe for concurrent use (the log reader calls it from one goroutine).
type Detector struct {
	opts     Options
	gapUS    int64
	shapes   map[string]*shape
	files    map[string]string
	sessions map[string]*session
	aggs     map[aggKey]*agg
	examples map[[2]string]bool
	suspects map[string]*Loop
	seq      uint64
	seed     maphash.Seed
	// scratch holds the execution being added.
	scratch pending
}

type agg struct {
	Loop
	sessions map[string]struct{}
}

// New returns a detector with the given thresholds.
func New(opts Options) *Detector {
	opts = opts.withDefaults()
	return &Detector{
		opts:     opts,
		gapUS:    opts.MaxGap.Microseconds(),
		shapes:   map[string]*shape{},
		files:    map[string]string{},
		sessions: map[string]*session{},
		aggs:     map[aggKey]*agg{},
		examples: map[[2]string]bool{},
		suspects: map[string]*Loop{},
		seed:     maphash.MakeSeed(),
	}
}

// Options returns the thresholds in use (defaults filled in).
func (d *Detector) Options() Options { return d.opts }

// Add takes one execution. Executions of SQL files are ignored;
// pg_stat_statements rows are looked at for the suspicion; log executions
// are followed per session. e's strings are not kept.
func (d *Detector) Add(e *workload.Execution) {
	switch e.Kind {
	case "sql", "plan", "migration":
		return
	case "pg_stat_statements":
		d.suspect(e)
		return
	}
	d.seq++
	if d.seq%sweepEvery == 0 {
		d.sweep(e)
	}
	sh := d.shape(e)
	s := d.sessions[e.Session]
	if s == nil {
		s = &session{key: strings.Clone(e.Session)}
		d.sessions[s.key] = s
	}
	var t int64
	hasT := !e.Time.IsZero()
	if hasT {
		t = e.Time.UnixMicro()
		if s.hasT && t-s.lastT >= d.gapUS {
			d.closeBurst(s)
			s.hasPar = false
			s.n = 0
		}
		s.lastT, s.hasT = t, true
	}
	s.seq = d.seq
	h := d.hash(e)

	if len(s.body) > 0 {
		for _, m := range s.body {
			if m.sh == sh {
				p := &d.scratch
				if m.collect && len(m.example) < maxExample {
					p.set(e, sh, d.file(e.File), t, h)
				} else {
					// Only the figures: the text is copied for examples.
					p.sh, p.file, p.line, p.t, p.hash, p.ms = sh, d.file(e.File), e.Line, t, h, 0
					if e.HasDuration {
						p.ms = e.DurationMS
					}
				}
				m.add(p)
				return
			}
		}
		// A shape outside the body ends the burst and starts a new
		// sequence under the same parent: P A A A B B B is two loops
		// under P, one after the other.
		d.closeBurst(s)
		s.start, s.n = 0, 1
		s.seg[0].set(e, sh, d.file(e.File), t, h)
		return
	}
	for i := range s.n {
		if s.segAt(i).sh != sh {
			continue
		}
		// The first repeat: a burst begins at the shape's first
		// occurrence.
		d.beginBurst(s, i)
		d.scratch.set(e, sh, d.file(e.File), t, h)
		for _, m := range s.body {
			if m.sh == sh {
				m.add(&d.scratch)
			}
		}
		return
	}
	if s.n == maxSeg {
		// The oldest becomes the parent candidate.
		s.parent, *s.segAt(0) = *s.segAt(0), s.parent
		s.hasPar = true
		s.start = (s.start + 1) % maxSeg
		s.n--
	}
	s.segAt(s.n).set(e, sh, d.file(e.File), t, h)
	s.n++
}

// beginBurst makes seg[i:] the body of a burst and the nearest statement
// before it that is not transaction control the parent.
func (d *Detector) beginBurst(s *session, i int) {
	for j := i - 1; j >= 0; j-- {
		if p := s.segAt(j); p.sh.cls != classControl {
			s.parent, *p = *p, s.parent
			s.hasPar = true
			break
		}
	}
	// A repeated transaction has no parent: it is not driven by one
	// query's rows.
	txn := false
	for j := i; j < s.n; j++ {
		if s.segAt(j).sh.cls == classControl {
			txn = true
		}
	}
	s.txn = txn
	s.parentOK = s.hasPar && s.parent.sh.rows && !txn
	s.body = s.body[:0]
	for j := i; j < s.n; j++ {
		p := s.segAt(j)
		m := &s.mem[len(s.body)]
		// The example slice may be held by a pattern: not reused.
		*m = member{sh: p.sh}
		m.collect = !d.examples[s.patternKey(p.sh)]
		s.body = append(s.body, m)
		m.add(p)
	}
	s.n = 0
	s.start = 0
}

// patternKey identifies the pattern of a body shape under the burst's parent.
func (s *session) patternKey(sh *shape) [2]string {
	if s.parentOK {
		return [2]string{s.parent.sh.fp, sh.fp}
	}
	return [2]string{"", sh.fp}
}

// closeBurst classifies the session's burst, if any, and adds it to the
// patterns.
func (d *Detector) closeBurst(s *session) {
	if len(s.body) == 0 {
		return
	}
	body := s.body
	s.body = s.body[:0]
	var parent *pending
	if s.parentOK {
		parent = &s.parent
	}
	for _, m := range body {
		if m.calls < d.opts.MinRepeats {
			continue
		}
		// One example per pattern: later bursts of it collect none, even
		// when this one is not reported (a read of a repeated
		// transaction), so that the detector's cost stays low.
		if m.collect {
			d.examples[s.patternKey(m.sh)] = true
		}
		if !m.sh.params {
			continue
		}
		var kind Kind
		switch {
		case m.sh.cls == classRead && !m.varied:
			kind = KindCache
		case m.sh.cls == classWrite:
			kind = KindWrites
		case m.sh.cls == classRead && parent != nil && !s.txn:
			kind = KindLoop
		default:
			continue
		}
		d.record(kind, s, parent, m)
	}
}

func (d *Detector) record(kind Kind, s *session, parent *pending, m *member) {
	k := aggKey{kind: kind, fp: m.sh.fp}
	if parent != nil {
		k.parent = parent.sh.fp
	}
	a := d.aggs[k]
	if a == nil {
		a = &agg{Loop: Loop{Kind: kind, Fingerprint: m.sh.fp, Normalized: m.sh.norm}, sessions: map[string]struct{}{}}
		if parent != nil {
			a.ParentFingerprint, a.ParentNormalized = parent.sh.fp, parent.sh.norm
		}
		d.aggs[k] = a
	}
	a.Bursts++
	a.MaxRepeats = max(a.MaxRepeats, m.calls)
	a.TotalCalls += int64(m.calls)
	a.TotalMS += m.ms
	a.WallMS += float64(m.lastT-m.firstT)/1000 + m.firstMS
	if len(a.sessions) < maxSessionsCounted {
		a.sessions[s.key] = struct{}{}
	}
	if a.Example == nil && m.collect && len(m.example) > 0 {
		a.Example = m.example
		a.File, a.Line = m.file, m.line
		a.DistinctValues = distinct(m.example)
		if parent != nil {
			c := parent.call()
			a.Parent = &c
		}
	}
}

// distinct counts the distinct values of calls.
func distinct(calls []Call) int {
	seen := map[string]bool{}
	for _, c := range calls {
		k := c.Text
		for _, p := range c.Params {
			if p == nil {
				k += "\x00N"
				continue
			}
			k += "\x00V" + *p
		}
		seen[k] = true
	}
	return len(seen)
}

// sweep closes the sessions idle for longer than MaxGap (by the log's
// clock) or for idleSeq executions, so that memory follows the open
// sessions.
func (d *Detector) sweep(e *workload.Execution) {
	now := int64(0)
	if !e.Time.IsZero() {
		now = e.Time.UnixMicro()
	}
	var idle []*session
	for _, s := range d.sessions {
		if (now != 0 && s.hasT && now-s.lastT >= d.gapUS) || d.seq-s.seq > idleSeq {
			idle = append(idle, s)
		}
	}
	// In log order, so that the examples do not depend on map order.
	slices.SortFunc(idle, func(a, b *session) int { return cmp.Or(cmp.Compare(a.seq, b.seq), strings.Compare(a.key, b.key)) })
	for _, s := range idle {
		d.closeBurst(s)
		delete(d.sessions, s.key)
	}
}

func (d *Detector) file(name string) string {
	f, ok := d.files[name]
	if !ok {
		f = strings.Clone(name)
		d.files[f] = f
	}
	return f
}

// hash identifies the values of a call: its text (literals, simple
// protocol) and its parameters (extended protocol).
func (d *Detector) hash(e *workload.Execution) uint64 {
	var h maphash.Hash
	h.SetSeed(d.seed)
	h.WriteString(e.Text)
	for _, p := range e.Params {
		if p == nil {
			h.WriteByte(0)
			continue
		}
		h.WriteByte(1)
		h.WriteString(*p)
		h.WriteByte(0)
	}
	return h.Sum64()
}

func (d *Detector) shape(e *workload.Execution) *shape {
	fp := e.Fingerprint
	if fp == "" {
		fp = workload.TextKey(e.Text)
	}
	if sh := d.shapes[fp]; sh != nil {
		return sh
	}
	norm := e.Normalized
	if norm == "" {
		norm = e.Text
	}
	sh := &shape{fp: strings.Clone(fp), norm: strings.Clone(norm)}
	sh.cls, sh.rows, sh.params = classify(sh.norm)
	d.shapes[sh.fp] = sh
	return sh
}

// classify reads a statement's class from its first keyword, whether it
// returns rows, and whether it has parameters.
func classify(sql string) (c class, rows, params bool) {
	lx := sqlparse.NewLexer(sql, false)
	first := ""
	for {
		t := lx.Next()
		switch t.Kind {
		case sqlparse.TokEOF:
			return c, rows, params
		case sqlparse.TokComment:
			continue
		case sqlparse.TokParam:
			params = true
		case sqlparse.TokIdent:
			w := strings.ToLower(t.Text(sql))
			if first == "" {
				first = w
				switch w {
				case "select", "with", "values", "table", "show", "fetch":
					c, rows = classRead, true
				case "insert", "update", "delete", "merge", "copy":
					c = classWrite
				case "begin", "start", "commit", "end", "rollback", "abort", "savepoint", "release",
					"set", "reset", "discard", "deallocate", "prepare", "listen", "unlisten", "lock":
					c = classControl
				}
			} else if w == "returning" && c == classWrite {
				rows = true
			}
		case sqlparse.TokPunct:
			// A leading "(" of (SELECT ...) is skipped.
		}
	}
}

// suspect looks at one pg_stat_statements row.
func (d *Detector) suspect(e *workload.Execution) {
	if e.Calls < d.opts.SuspectCalls || !e.HasDuration {
		return
	}
	sh := d.shape(e)
	if sh.cls != classRead || !sh.params {
		return
	}
	mean := e.DurationMS / float64(e.Calls)
	perCall := float64(e.Rows) / float64(e.Calls)
	if mean >= d.opts.SuspectMeanMS || perCall > d.opts.SuspectRows {
		return
	}
	l := d.suspects[sh.fp]
	if l == nil {
		l = &Loop{Kind: KindSuspect, Fingerprint: sh.fp, Normalized: sh.norm}
		d.suspects[sh.fp] = l
	}
	l.TotalCalls += e.Calls
	l.TotalMS += e.DurationMS
	l.MaxRepeats = int(min(l.TotalCalls, int64(^uint32(0)>>1)))
	l.Rows = float64(e.Rows) / float64(e.Calls)
}

// Result closes every open session and returns the patterns found, with
// the rewrite of each loop: loops first, then batch-writes, caches and
// suspicions, each ranked by total time (ties by fingerprint). The
// detector can go on taking executions afterwards.
func (d *Detector) Result() []*Loop {
	open := make([]*session, 0, len(d.sessions))
	for _, s := range d.sessions {
		open = append(open, s)
	}
	slices.SortFunc(open, func(a, b *session) int { return cmp.Or(cmp.Compare(a.seq, b.seq), strings.Compare(a.key, b.key)) })
	for _, s := range open {
		d.closeBurst(s)
		delete(d.sessions, s.key)
	}
	var out []*Loop
	looped := map[string]bool{}
	for _, a := range d.aggs {
		l := a.Loop
		l.Sessions = len(a.sessions)
		if l.Kind == KindLoop || l.Kind == KindWrites {
			l.Rewrite, l.RewriteErr = Build(&l)
		}
		if l.Kind == KindLoop {
			looped[l.Fingerprint] = true
		}
		out = append(out, &l)
	}
	for _, s := range d.suspects {
		if !looped[s.Fingerprint] {
			l := *s
			out = append(out, &l)
		}
	}
	rank := map[Kind]int{KindLoop: 0, KindWrites: 1, KindCache: 2, KindSuspect: 3}
	slices.SortFunc(out, func(a, b *Loop) int {
		return cmp.Or(
			cmp.Compare(rank[a.Kind], rank[b.Kind]),
			cmp.Compare(b.TotalMS, a.TotalMS),
			cmp.Compare(a.Fingerprint, b.Fingerprint),
			cmp.Compare(a.ParentFingerprint, b.ParentFingerprint),
		)
	})
	return out
}
