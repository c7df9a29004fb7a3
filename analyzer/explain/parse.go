package explain

import (
	"bytes"
	"errors"
	"unicode/utf8"
)

// Parse reads every EXPLAIN plan in data, whatever its format: text (as
// printed by psql, with or without its table frame, or pasted from a
// terminal that wrapped long lines), JSON, YAML or XML. file names the
// input in positions and messages.
//
// The plans that could be read are returned even when err is not nil;
// err is then an ErrorList of positioned problems.
func Parse(data []byte, file string) ([]*Plan, error) {
	return parse(data, file, 0, "")
}

// ParseAt reads the plan an auto_explain log entry printed (text or JSON)
// that starts at line of file; query is the statement text the log gave,
// used when the plan does not carry its own "Query Text".
func ParseAt(text, file string, line int, query string) (*Plan, error) {
	base := line - 1
	if base < 0 {
		base = 0
	}
	plans, err := parse([]byte(text), file, base, query)
	if len(plans) == 0 {
		if err == nil {
			err = ErrorList{{File: file, Line: line, Msg: "no EXPLAIN plan found"}}
		}
		return nil, err
	}
	return plans[0], err
}

func parse(data []byte, file string, base int, query string) ([]*Plan, error) {
	if !utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0 {
		return nil, ErrorList{{File: file, Line: base + 1, Msg: "not an EXPLAIN plan: binary data"}}
	}
	data = unframe(data)
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	var plans []*Plan
	var errs ErrorList
	switch {
	case len(trimmed) == 0:
		return nil, ErrorList{{File: file, Line: base + 1, Msg: "no EXPLAIN plan found (empty input)"}}
	case trimmed[0] == '[' || trimmed[0] == '{':
		plans, errs = parseTree(data, file, base, "json", decodeJSON)
	case trimmed[0] == '<':
		plans, errs = parseTree(data, file, base, "xml", func(data []byte, base int) ([]any, error) {
			if v, err := decodeXMLFast(data, base); err == nil {
				return v, nil
			}
			return decodeXML(data, base)
		})
	case bytes.HasPrefix(trimmed, []byte("- Plan:")) || bytes.HasPrefix(trimmed, []byte("Plan:")) ||
		bytes.HasPrefix(trimmed, []byte("Query Text:")) && bytes.Contains(trimmed, []byte("\nPlan:")):
		plans, errs = parseTree(data, file, base, "yaml", func(data []byte, base int) ([]any, error) {
			if v, err := decodeYAMLFast(data, base); err == nil {
				return v, nil
			}
			return decodeYAML(data, base)
		})
	default:
		plans, errs = parseText(data, file, base)
	}
	kept := plans[:0]
	for _, p := range plans {
		if e := validate(p); e != nil {
			errs = append(errs, e)
			continue
		}
		if p.Query == "" {
			p.Query = query
		}
		ComputeTimes(p)
		kept = append(kept, p)
	}
	plans = kept
	if len(errs) > 0 {
		return plans, errs
	}
	return plans, nil
}

type decoder func(data []byte, base int) ([]any, error)

func parseTree(data []byte, file string, base int, format string, decode decoder) ([]*Plan, ErrorList) {
	vals, err := decode(data, base)
	var errs ErrorList
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			e.File = file
			errs = append(errs, e)
		} else {
			errs = append(errs, &Error{File: file, Line: base + 1, Msg: err.Error()})
		}
	}
	var plans []*Plan
	var add func(v any)
	add = func(v any) {
		switch x := v.(type) {
		case []any:
			for _, it := range x {
				add(it)
			}
		case object:
			if _, ok := x.get("Plan"); !ok {
				errs = append(errs, &Error{File: file, Line: firstLine(x, base), Msg: "not an EXPLAIN plan: no \"Plan\" key"})
				return
			}
			p := buildPlan(x)
			if p.Root == nil || p.Root.Type == "" {
				errs = append(errs, &Error{File: file, Line: firstLine(x, base), Msg: "EXPLAIN plan without a root node"})
				return
			}
			p.File, p.Line, p.Format = file, firstLine(x, base), format
			plans = append(plans, p)
		default:
			errs = append(errs, &Error{File: file, Line: base + 1, Msg: "not an EXPLAIN plan"})
		}
	}
	for _, v := range vals {
		add(v)
	}
	if len(plans) == 0 && len(errs) == 0 {
		errs = append(errs, &Error{File: file, Line: base + 1, Msg: "no EXPLAIN plan found"})
	}
	return plans, errs
}

func firstLine(o object, base int) int {
	for _, f := range o {
		if f.line > 0 {
			return f.line
		}
	}
	return base + 1
}
