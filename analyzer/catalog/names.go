package catalog

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pgadvisor/pgadvisor/analyzer/query"
)

// maxIdentLen is NAMEDATALEN-1: PostgreSQL truncates identifiers to 63
// bytes.
const maxIdentLen = 63

// Key returns the "schema.name" key of the Tables, Indexes and Types maps.
func Key(schema, name string) string { return schema + "." + name }

// splitKey splits a "schema.name" key.
func splitKey(k string) (schema, name string) {
	schema, name, _ = strings.Cut(k, ".")
	return schema, name
}

// Key returns the table's "schema.name".
func (t *Table) Key() string { return Key(t.Schema, t.Name) }

// Key returns the index's "schema.name".
func (ix *Index) Key() string { return Key(ix.Schema, ix.Name) }

// TableName returns the table's name as the query model spells it.
func (t *Table) TableName() query.TableName {
	return query.TableName{Schema: t.Schema, Name: t.Name}
}

// clipName truncates s to at most n bytes without splitting a UTF-8
// character, as pg_mbcliplen does.
func clipName(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// makeObjectName builds name1_name2_label truncated to fit 63 bytes the
// way PostgreSQL's makeObjectName does: the longer of name1 and name2 is
// shortened first; the label is kept whole.
func makeObjectName(name1, name2, label string) string {
	n1, n2 := len(name1), len(name2)
	overhead := 0
	if label != "" {
		overhead += len(label) + 1
	}
	if name2 != "" {
		overhead++
	}
	avail := maxIdentLen - overhead
	for n1+n2 > avail && (n1 > 0 || n2 > 0) {
		if n1 > n2 {
			n1--
		} else {
			n2--
		}
	}
	s := clipName(name1, n1)
	if name2 != "" {
		s += "_" + clipName(name2, n2)
	}
	if label != "" {
		s += "_" + label
	}
	return s
}

// chooseName returns makeObjectName(name1, name2, label), or the first of
// label1, label2, ... variants for which taken is false, as PostgreSQL's
// ChooseRelationName and ChooseConstraintName do.
func chooseName(name1, name2, label string, taken func(string) bool) string {
	name := makeObjectName(name1, name2, label)
	for i := 1; taken(name); i++ {
		name = makeObjectName(name1, name2, label+strconv.Itoa(i))
	}
	return name
}

// nameAddition joins column names with "_" as ChooseIndexNameAddition
// and ChooseForeignKeyConstraintNameAddition do, stopping once the result
// is long enough to be truncated anyway.
func nameAddition(cols []string) string {
	var b strings.Builder
	for _, c := range cols {
		if b.Len() > 0 {
			b.WriteByte('_')
		}
		b.WriteString(c)
		if b.Len() >= maxIdentLen {
			break
		}
	}
	return b.String()
}

// indexColumnNames returns the names PostgreSQL gives the columns of a
// new index (key names then INCLUDE names), making duplicates unique with
// a number suffix as ChooseIndexColumnNames does.
func indexColumnNames(keys, include []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, orig := range append(append([]string{}, keys...), include...) {
		if orig == "" {
			orig = "expr"
		}
		name := orig
		for i := 1; seen[name]; i++ {
			suffix := strconv.Itoa(i)
			name = clipName(orig, maxIdentLen-len(suffix)) + suffix
		}
		seen[name] = true
		out = append(out, name)
	}
	return out
}

// relNameTaken reports whether a relation (table, view, index, sequence)
// named name exists in schema.
func (c *Catalog) relNameTaken(schema, name string) bool {
	k := Key(schema, name)
	return c.Tables[k] != nil || c.Indexes[k] != nil || c.sequences[k]
}

// conNameTaken reports whether table t already has a constraint named
// name. PostgreSQL checks the whole schema; names chosen from the table's
// own name make conflicts with other tables' constraints very rare.
func conNameTaken(t *Table, name string) bool {
	return t.constraintByName(name) != nil
}

// chooseIndexName picks the name PostgreSQL gives an unnamed index on t:
// t_cols_idx, t_cols_key (UNIQUE constraint), t_pkey, t_cols_excl.
func (c *Catalog) chooseIndexName(t *Table, colNames []string, kind string) string {
	taken := func(n string) bool { return c.relNameTaken(t.Schema, n) }
	switch kind {
	case "pkey":
		return chooseName(t.Name, "", "pkey", taken)
	case "key", "excl":
		return chooseName(t.Name, nameAddition(colNames), kind, taken)
	}
	return chooseName(t.Name, nameAddition(colNames), "idx", taken)
}

// chooseConstraintName picks the name of an unnamed CHECK or FOREIGN KEY
// constraint: t_col_check, t_check, t_cols_fkey.
func (c *Catalog) chooseConstraintName(t *Table, cols []string, label string) string {
	taken := func(n string) bool { return conNameTaken(t, n) }
	return chooseName(t.Name, nameAddition(cols), label, taken)
}

// constraintRef is a constraint of a table found by name.
type constraintRef struct {
	kind ConstraintKind // "" for a foreign key
	con  *Constraint
	fk   *ForeignKey
}

// constraintByName finds the constraint named name on t, or nil.
func (t *Table) constraintByName(name string) *constraintRef {
	if t.PrimaryKey != nil && t.PrimaryKey.Name == name {
		return &constraintRef{kind: ConPrimary, con: t.PrimaryKey}
	}
	for _, list := range [][]*Constraint{t.Uniques, t.Checks, t.Excludes} {
		for _, c := range list {
			if c.Name == name {
				return &constraintRef{kind: c.Kind, con: c}
			}
		}
	}
	for _, fk := range t.ForeignKeys {
		if fk.Name == name {
			return &constraintRef{fk: fk}
		}
	}
	return nil
}
