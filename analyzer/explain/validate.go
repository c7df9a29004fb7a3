package explain

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
)

// maxFigure is the largest number a plan may hold in a cost, a row or
// loop count, a time in milliseconds or a buffer count: far above any real
// plan (a thousand billion rows, 31,000 years), far below what prints as
// +Inf or a 300-digit count.
const maxFigure = 1e15

// validate reports the first impossible number of a plan: negative, not a
// number (a field that held text), infinite, or above maxFigure. The
// message names the node's line and the field.
func validate(p *Plan) *Error {
	for _, v := range []struct {
		name string
		f    float64
	}{{"Planning Time", p.PlanningTime}, {"Execution Time", p.ExecutionTime}} {
		if bad(v.f) {
			return &Error{File: p.File, Line: p.Line, Msg: impossible(v.name, v.f)}
		}
	}
	var found *Error
	Walk(p.Root, func(n, _ *Node) bool {
		if name, f, ok := badField(reflect.ValueOf(n).Elem(), ""); ok {
			line := n.Line
			if line == 0 {
				line = p.Line
			}
			found = &Error{File: p.File, Line: line, Msg: impossible(name, f)}
			return false
		}
		return true
	})
	return found
}

// badField returns the first float64 field of struct v (nested structs
// included, child nodes and extras not) that holds an impossible value.
func badField(v reflect.Value, prefix string) (string, float64, bool) {
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		fv := v.Field(i)
		switch fv.Kind() {
		case reflect.Float64:
			if x := fv.Float(); bad(x) {
				return prefix + f.Name, x, true
			}
		case reflect.Struct:
			if name, x, ok := badField(fv, prefix+f.Name+"."); ok {
				return name, x, true
			}
		}
	}
	return "", 0, false
}

// bad says whether a plan figure is impossible.
func bad(f float64) bool {
	return math.IsNaN(f) || math.IsInf(f, 0) || f < 0 || f > maxFigure
}

// impossible words the message for an impossible figure.
func impossible(field string, f float64) string {
	v := "not a number"
	if !math.IsNaN(f) {
		v = strconv.FormatFloat(f, 'g', 6, 64)
	}
	return fmt.Sprintf("impossible value in the plan: %s is %s (a plan's figures are numbers from 0 to 1e15); plan not read", field, v)
}
