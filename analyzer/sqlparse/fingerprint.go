package sqlparse

import (
	"fmt"
	"hash/fnv"
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// pg_query's fingerprint ignores runs of two or more digits in relation
// names (and aliases), so that a query on partition orders_2023 and the
// same on orders_2024 share one. Queries on different tables (t10, t11;
// a table per customer) would then be counted as one query and only the
// first checked: Fingerprint keeps them apart by mixing such relation
// names into the fingerprint. Aliases do not: they name no table.

// numberedRelations returns the sorted, distinct names (schema-qualified
// as written) of the relations of text whose name holds a run of two or
// more digits, joined with commas; "" when there are none.
func numberedRelations(text string) string {
	if !hasDigitRunIdent(text) {
		return "" // most statements: no parse needed
	}
	tree, err := pg_query.Parse(text)
	if err != nil {
		return ""
	}
	var names []string
	// The walk goes through every message, not only Nodes: UPDATE,
	// INSERT and DELETE hold their target as a bare RangeVar.
	var walk func(m protoreflect.Message)
	walk = func(m protoreflect.Message) {
		if rv, ok := m.Interface().(*pg_query.RangeVar); ok && (digitRun(rv.Relname) || digitRun(rv.Schemaname)) {
			name := rv.Relname
			if rv.Schemaname != "" {
				name = rv.Schemaname + "." + name
			}
			names = append(names, name)
		}
		rangeFields(m, func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
			if fd.Kind() != protoreflect.MessageKind || fd.IsMap() {
				return true
			}
			if fd.IsList() {
				l := v.List()
				for i := 0; i < l.Len(); i++ {
					walk(l.Get(i).Message())
				}
				return true
			}
			walk(v.Message())
			return true
		})
	}
	for _, st := range tree.Stmts {
		walk(st.ProtoReflect())
	}
	if len(names) == 0 {
		return ""
	}
	slices.Sort(names)
	return strings.Join(slices.Compact(names), ",")
}

// hasDigitRunIdent says whether an identifier of text holds a run of two
// or more digits.
func hasDigitRunIdent(text string) bool {
	lx := NewLexer(text, false)
	for {
		t := lx.Next()
		switch t.Kind {
		case TokEOF:
			return false
		case TokIdent, TokQuotedIdent:
			if digitRun(t.Text(text)) {
				return true
			}
		}
	}
}

// digitRun says whether s holds two digits in a row.
func digitRun(s string) bool {
	for i := 1; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' && s[i-1] >= '0' && s[i-1] <= '9' {
			return true
		}
	}
	return false
}

// withRelations mixes relation names into pg_query fingerprint fp: a 16
// hex digit FNV-1a hash of both.
func withRelations(fp, rels string) string {
	h := fnv.New64a()
	h.Write([]byte(fp))
	h.Write([]byte{0})
	h.Write([]byte(rels))
	return fmt.Sprintf("%016x", h.Sum64())
}
