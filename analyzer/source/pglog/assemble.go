package pglog

import (
	"cmp"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/pgadvisor/pgadvisor/analyzer/workload"
)

// assembler turns the events of one input, in log order, into executions
// and plans: it pairs a statement logged by log_statement with the
// duration or the error that follows it in the same session, applies the
// filters and hands the results to the sink.
type assembler struct {
	name    string
	kind    string
	opts    *Options
	sink    Sink
	st      *Stats
	pending map[string]*event
	params  paramBuf
	exec    workload.Execution
	since   int64
	until   int64
	minUS   int64
}

// maxPending bounds the statements waiting for their duration; past it,
// the oldest half is taken as executions without a duration.
const maxPending = 1 << 14

func newAssembler(name string, format Format, opts *Options, sink Sink, st *Stats) *assembler {
	a := &assembler{name: name, kind: string(format), opts: opts, sink: sink, st: st, pending: map[string]*event{}}
	if !opts.Since.IsZero() {
		a.since = opts.Since.UnixMicro()
	}
	if !opts.Until.IsZero() {
		a.until = opts.Until.UnixMicro()
	}
	a.minUS = opts.MinDuration.Microseconds()
	return a
}

func (a *assembler) add(ev *event) {
	switch ev.kind {
	case evExec:
		a.close(ev.key)
		a.emit(ev, ev.hasDur, ev.durUS, false)
	case evPending:
		a.close(ev.key)
		if len(a.pending) >= maxPending {
			a.closeOldest()
		}
		// The event points into a chunk that will be reused.
		p := *ev
		p.key = strings.Clone(p.key)
		p.session = strings.Clone(p.session)
		p.user = strings.Clone(p.user)
		p.db = strings.Clone(p.db)
		p.app = strings.Clone(p.app)
		p.text = strings.Clone(p.text)
		p.detail = strings.Clone(p.detail)
		a.pending[p.key] = &p
	case evDuration:
		if p := a.pending[ev.key]; p != nil {
			delete(a.pending, ev.key)
			a.emit(p, true, ev.durUS, false)
			return
		}
		a.st.Other++
	case evFailed:
		if p := a.pending[ev.key]; p != nil && p.text == ev.text {
			delete(a.pending, ev.key)
			a.emit(p, false, 0, true)
			return
		}
		a.close(ev.key)
		a.emit(ev, false, 0, true)
	case evPlan:
		a.plan(ev)
	}
}

// close takes the session's pending statement as an execution without a
// duration.
func (a *assembler) close(key string) {
	if p := a.pending[key]; p != nil {
		delete(a.pending, key)
		a.emit(p, false, 0, false)
	}
}

func (a *assembler) closeOldest() {
	ps := slices.Collect(maps.Values(a.pending))
	slices.SortFunc(ps, func(x, y *event) int { return cmp.Compare(x.line, y.line) })
	for _, p := range ps[:len(ps)/2] {
		delete(a.pending, p.key)
		a.emit(p, false, 0, false)
	}
}

// finish closes every pending statement, in log order.
func (a *assembler) finish() {
	ps := slices.Collect(maps.Values(a.pending))
	slices.SortFunc(ps, func(x, y *event) int { return cmp.Compare(x.line, y.line) })
	for _, p := range ps {
		delete(a.pending, p.key)
		a.emit(p, false, 0, false)
	}
}

// keep applies the filters of the options.
func (a *assembler) keep(ev *event, hasDur bool, durUS int64) bool {
	o := a.opts
	if ev.hasTime && ((a.since != 0 && ev.time < a.since) || (a.until != 0 && ev.time > a.until)) {
		return false
	}
	if o.Database != "" && ev.db != "" && ev.db != o.Database {
		return false
	}
	if o.User != "" && ev.user != "" && ev.user != o.User {
		return false
	}
	if a.minUS > 0 && (!hasDur || durUS < a.minUS) {
		return false
	}
	return true
}

func (a *assembler) emit(ev *event, hasDur bool, durUS int64, failed bool) {
	if !a.keep(ev, hasDur, durUS) {
		a.st.Filtered++
		return
	}
	a.st.Executions++
	if failed {
		a.st.Failed++
	}
	if ev.sh.err != nil {
		a.st.Unparsed++
	}
	e := &a.exec
	*e = workload.Execution{
		File:        a.name,
		Line:        ev.line,
		Column:      ev.col,
		Kind:        a.kind,
		Text:        ev.text,
		Fingerprint: ev.sh.fp,
		Normalized:  ev.sh.norm,
		Err:         ev.sh.err,
		Calls:       1,
		HasDuration: hasDur,
		DurationMS:  float64(durUS) / 1000,
		Failed:      failed,
		Session:     ev.session,
		Database:    ev.db,
		User:        ev.user,
		Application: ev.app,
	}
	if ev.hasTime {
		e.Time = time.UnixMicro(ev.time).UTC()
	}
	if ev.detail != "" {
		e.Params = parseParams(ev.detail, &a.params)
	}
	a.sink.Execution(e)
}

func (a *assembler) plan(ev *event) {
	if !a.keep(ev, ev.hasDur, ev.durUS) {
		a.st.Filtered++
		return
	}
	a.st.Plans++
	p := &Plan{
		File:       a.name,
		Line:       ev.line,
		Column:     ev.col,
		Text:       strings.Clone(ev.plan.text),
		Format:     ev.plan.format,
		Query:      strings.Clone(ev.plan.query),
		DurationMS: float64(ev.durUS) / 1000,
		Session:    ev.session,
	}
	if ev.plan.sh != nil {
		p.Fingerprint = ev.plan.sh.fp
	}
	if ev.hasTime {
		p.Time = time.UnixMicro(ev.time).UTC()
	}
	a.sink.Plan(p)
}
