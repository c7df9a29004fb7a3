package engine

import (
	"errors"
	"runtime"
	"strings"
	"sync"

	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/explain"
	"github.com/pgadvisor/pgadvisor/analyzer/report"
	"github.com/pgadvisor/pgadvisor/analyzer/source"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
)

// analyzeStatements builds the query model of every statement that
// parsed, and the table accesses the checks share (check.Statement.
// SetModel), on all cores; a statement the model builder rejects gets its
// error instead. Each distinct statement is parsed once: the readers
// hand one statement per distinct query of a log.
func analyzeStatements(stmts []*check.Statement, cat *catalog.Catalog) {
	work := make(chan *check.Statement)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for st := range work {
				m, err := sqlparse.Analyze(st.Text, cat)
				if err != nil {
					st.Err = err
					var pe *sqlparse.Error
					if errors.As(err, &pe) && pe.Offset >= 0 {
						st.ErrOffset = pe.Offset
					}
					continue
				}
				st.SetModel(m)
				if st.Fingerprint == "" {
					st.Fingerprint, _ = sqlparse.Fingerprint(st.Text)
				}
			}
		}()
	}
	for _, st := range stmts {
		if st.Err == nil && st.Model == nil {
			work <- st
		}
	}
	close(work)
	wg.Wait()
}

// parsePlans parses the plans found in the inputs, keeping what the log
// reader already knew of auto_explain plans (format, query, fingerprint);
// problems are added to the record of the input they came from.
func parsePlans(found []source.Plan, inputs []report.Input) []*explain.Plan {
	var out []*explain.Plan
	for _, p := range found {
		var plans []*explain.Plan
		var err error
		if p.Kind == source.KindPlan {
			plans, err = explain.Parse([]byte(p.Text), p.Pos.File)
		} else {
			var one *explain.Plan
			one, err = explain.ParseAt(p.Text, p.Pos.File, p.Pos.Line, p.Query)
			if one != nil {
				if p.Format != "" {
					one.Format = p.Format
				}
				if one.Query == "" {
					one.Query = p.Query
				}
				one.Fingerprint = p.Fingerprint
				plans = append(plans, one)
			}
		}
		for _, pl := range plans {
			setFingerprint(pl)
		}
		out = append(out, plans...)
		in := inputFor(inputs, p.Pos.File)
		if in == nil {
			continue
		}
		if p.Kind == source.KindPlan {
			in.Statements = len(plans)
		}
		if err == nil {
			continue
		}
		var list explain.ErrorList
		if !errors.As(err, &list) {
			list = explain.ErrorList{{File: p.Pos.File, Line: p.Pos.Line, Msg: err.Error()}}
		}
		in.Errors += len(list)
		for _, e := range list {
			if len(in.Messages) < 10 {
				in.Messages = append(in.Messages, strings.TrimSpace(e.Error()))
			}
		}
	}
	return out
}

// inputFor returns the record of the input named file.
func inputFor(inputs []report.Input, file string) *report.Input {
	for i := range inputs {
		if inputs[i].Path == file {
			return &inputs[i]
		}
	}
	return nil
}

// setFingerprint fingerprints a plan's query once, when the reader did
// not.
func setFingerprint(p *explain.Plan) {
	if p.Fingerprint == "" && p.Query != "" {
		p.Fingerprint, _ = sqlparse.Fingerprint(p.Query)
	}
}
