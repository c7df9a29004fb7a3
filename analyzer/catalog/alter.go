package catalog

import (
	"slices"
	"sort"
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/query"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
)

// alterTable applies ALTER TABLE (and ALTER INDEX ... ATTACH PARTITION).
func (s *session) alterTable(d *sqlparse.AlterTable) {
	if d.Kind == sqlparse.ObjIndex {
		parent := s.lookupIndex(d.Table)
		if parent == nil {
			if !d.IfExists {
				s.errorf(d.Pos, "index %q does not exist", d.Table.String())
			}
			return
		}
		for _, cmd := range d.Cmds {
			child := s.lookupIndex(*cmd.Partition)
			if child == nil {
				s.errorf(d.Pos, "index %q does not exist", cmd.Partition.String())
				continue
			}
			child.Parent = parent.Key()
		}
		return
	}
	t := s.mustLookup(d.Table, d.Pos, d.IfExists)
	if t == nil {
		return
	}
	for _, cmd := range d.Cmds {
		s.alterCmd(t, d, cmd)
	}
}

// alterTargets returns t and, unless only, its partitions and inheritance
// children recursively: the tables an ALTER TABLE subcommand reaches.
func (s *session) alterTargets(t *Table, only bool) []*Table {
	out := []*Table{t}
	if only {
		return out
	}
	for i := 0; i < len(out); i++ {
		for _, ch := range s.c.children(out[i]) {
			if !slices.Contains(out, ch) {
				out = append(out, ch)
			}
		}
	}
	return out
}

// alterCmd applies one ALTER TABLE subcommand to t.
func (s *session) alterCmd(t *Table, d *sqlparse.AlterTable, cmd sqlparse.AlterCmd) {
	column := func(tt *Table) *Column {
		c := tt.Column(cmd.Name)
		if c == nil && tt == t && !(cmd.IfExists && cmd.Action == sqlparse.AlterDropColumn) {
			s.errorf(d.Pos, "column %q of relation %q does not exist", cmd.Name, t.Key())
		}
		return c
	}
	switch cmd.Action {
	case sqlparse.AlterAddColumn:
		if t.Column(cmd.Name) != nil {
			if !cmd.IfExists {
				s.errorf(d.Pos, "column %q of relation %q already exists", cmd.Name, t.Key())
			}
			return
		}
		for _, tt := range s.alterTargets(t, false) {
			if tt.Column(cmd.Name) == nil {
				tt.Columns = append(tt.Columns, s.newColumn(tt, *cmd.Column))
			}
		}
		s.addConstraints(t, cmd.Column.Constraints, d.Only)
	case sqlparse.AlterDropColumn:
		if t.Column(cmd.Name) == nil {
			column(t)
			return
		}
		for _, tt := range s.alterTargets(t, d.Only) {
			s.dropColumn(tt, cmd.Name)
		}
	case sqlparse.AlterColumnType:
		for _, tt := range s.alterTargets(t, d.Only) {
			if c := column(tt); c != nil {
				c.Type = s.typeName(*cmd.Type)
				if cmd.Collation != "" {
					c.Collation = cmd.Collation
				}
			}
		}
	case sqlparse.AlterSetNotNull, sqlparse.AlterDropNotNull:
		for _, tt := range s.alterTargets(t, d.Only) {
			if c := column(tt); c != nil {
				c.NotNull = cmd.Action == sqlparse.AlterSetNotNull
			}
		}
	case sqlparse.AlterSetDefault, sqlparse.AlterDropDefault:
		for _, tt := range s.alterTargets(t, d.Only) {
			if c := column(tt); c != nil {
				c.Default = cmd.Expr
			}
		}
	case sqlparse.AlterAddIdentity, sqlparse.AlterSetIdentity, sqlparse.AlterDropIdentity:
		for _, tt := range s.alterTargets(t, d.Only) {
			if c := column(tt); c != nil {
				c.Identity = cmd.Action != sqlparse.AlterDropIdentity
				if cmd.Action == sqlparse.AlterAddIdentity {
					c.NotNull = true
					if tt == t {
						s.reserveSequence(t, c.Name)
					}
				}
			}
		}
	case sqlparse.AlterSetExpression, sqlparse.AlterDropExpression:
		for _, tt := range s.alterTargets(t, d.Only) {
			if c := column(tt); c != nil {
				c.Generated = cmd.Expr
			}
		}
	case sqlparse.AlterAddConstraint:
		s.addConstraint(t, *cmd.Constraint, d.Only)
	case sqlparse.AlterDropConstraint:
		if t.constraintByName(cmd.Name) == nil {
			if !cmd.IfExists {
				s.errorf(d.Pos, "constraint %q of relation %q does not exist", cmd.Name, t.Key())
			}
			return
		}
		s.dropConstraint(t, cmd.Name, d.Only)
	case sqlparse.AlterAttachPartition:
		p := s.mustLookup(*cmd.Partition, d.Pos, false)
		if p == nil {
			return
		}
		if t.Kind != KindPartitioned {
			s.errorf(d.Pos, "table %q is not partitioned", t.Key())
			return
		}
		if p.PartitionOf != "" {
			s.errorf(d.Pos, "%q is already a partition", p.Key())
			return
		}
		for a := t; a != nil; a = s.c.Tables[a.PartitionOf] {
			if a == p {
				s.errorf(d.Pos, "cannot attach %q as a partition of itself or of its own partition", p.Key())
				return
			}
			if a.PartitionOf == "" {
				break
			}
		}
		p.PartitionOf, p.PartitionBound = t.Key(), cmd.Bound
		s.cloneToPartition(t, p)
	case sqlparse.AlterDetachPartition:
		p := s.mustLookup(*cmd.Partition, d.Pos, false)
		if p == nil {
			return
		}
		if p.PartitionOf != t.Key() {
			s.errorf(d.Pos, "relation %q is not a partition of relation %q", p.Key(), t.Key())
			return
		}
		p.PartitionOf, p.PartitionBound = "", ""
		for _, ix := range p.Indexes {
			if pix := s.c.Indexes[ix.Parent]; pix != nil && pix.Table == t.Key() {
				ix.Parent = ""
			}
		}
	case sqlparse.AlterInherit:
		if p := s.mustLookup(*cmd.Partition, d.Pos, false); p != nil && !slices.Contains(t.Inherits, p.Key()) {
			t.Inherits = append(t.Inherits, p.Key())
			s.c.inherits = true
		}
	case sqlparse.AlterNoInherit:
		if p := s.mustLookup(*cmd.Partition, d.Pos, false); p != nil {
			t.Inherits = slices.DeleteFunc(t.Inherits, func(k string) bool { return k == p.Key() })
		}
	}
}

// dropColumn removes a column of t with the indexes and constraints that
// use it, as PostgreSQL's DROP COLUMN does.
func (s *session) dropColumn(t *Table, name string) {
	t.Columns = slices.DeleteFunc(t.Columns, func(c *Column) bool { return c.Name == name })
	for _, ix := range slices.Clone(t.Indexes) {
		if ix.uses(name) {
			if ix.Constraint != "" {
				s.dropConstraint(t, ix.Constraint, true)
			} else {
				s.dropIndex(ix)
			}
		}
	}
	for _, ck := range slices.Clone(t.Checks) {
		if slices.Contains(ck.Columns, name) {
			s.dropConstraint(t, ck.Name, true)
		}
	}
	for _, fk := range slices.Clone(t.ForeignKeys) {
		if slices.Contains(fk.Columns, name) {
			s.dropConstraint(t, fk.Name, true)
		}
	}
	for _, other := range s.c.Tables {
		other.ForeignKeys = slices.DeleteFunc(other.ForeignKeys, func(fk *ForeignKey) bool {
			return fk.RefTable == t.Key() && slices.Contains(fk.RefColumns, name)
		})
	}
}

// uses reports whether the index reads column name.
func (ix *Index) uses(name string) bool {
	if slices.Contains(ix.Include, name) {
		return true
	}
	for _, k := range ix.Keys {
		if k.Column == name || slices.Contains(k.Columns, name) {
			return true
		}
	}
	for _, p := range ix.Where {
		for _, c := range append(append([]query.ColumnRef{}, p.Left.Columns...), p.Right.Columns...) {
			if c.Column == name {
				return true
			}
		}
	}
	return false
}

// dropConstraint removes the constraint called name from t (and its
// backing index); unless only, the same-named constraints of its
// partitions and children go too.
func (s *session) dropConstraint(t *Table, name string, only bool) {
	r := t.constraintByName(name)
	if r == nil {
		return
	}
	switch {
	case r.fk != nil:
		t.ForeignKeys = slices.DeleteFunc(t.ForeignKeys, func(fk *ForeignKey) bool { return fk.Name == name })
	case r.kind == ConPrimary:
		t.PrimaryKey = nil
	case r.kind == ConCheck:
		t.Checks = slices.DeleteFunc(t.Checks, func(c *Constraint) bool { return c.Name == name })
	case r.kind == ConUnique:
		t.Uniques = slices.DeleteFunc(t.Uniques, func(c *Constraint) bool { return c.Name == name })
	case r.kind == ConExclude:
		t.Excludes = slices.DeleteFunc(t.Excludes, func(c *Constraint) bool { return c.Name == name })
	}
	if r.con != nil && r.con.Index != "" {
		if ix := s.c.Indexes[r.con.Index]; ix != nil {
			// Partition indexes attached to it go with it, and their
			// constraints.
			for _, p := range s.c.partitions(t) {
				for _, pix := range slices.Clone(p.Indexes) {
					if pix.Parent == ix.Key() && pix.Constraint != "" {
						s.dropConstraint(p, pix.Constraint, true)
					}
				}
			}
			ix.Constraint = ""
			s.dropIndex(ix)
		}
		return
	}
	if !only {
		for _, ch := range s.c.children(t) {
			if ch.constraintByName(name) != nil {
				s.dropConstraint(ch, name, false)
			}
		}
	}
}

// dropIndex removes an index, and the partition indexes attached to it.
func (s *session) dropIndex(ix *Index) {
	for _, other := range s.c.Indexes {
		if other.Parent == ix.Key() {
			if other.Constraint != "" {
				if t := s.c.Tables[other.Table]; t != nil {
					s.dropConstraint(t, other.Constraint, true)
					continue
				}
			}
			s.dropIndex(other)
		}
	}
	delete(s.c.Indexes, ix.Key())
	if t := s.c.Tables[ix.Table]; t != nil {
		t.Indexes = slices.DeleteFunc(t.Indexes, func(o *Index) bool { return o == ix })
	}
}

// dropTable removes a relation, its indexes, and its partitions.
func (s *session) dropTable(t *Table) {
	for _, p := range s.c.partitions(t) {
		s.dropTable(p)
	}
	for _, ix := range slices.Clone(t.Indexes) {
		delete(s.c.Indexes, ix.Key())
	}
	delete(s.c.Tables, t.Key())
	for _, other := range s.c.Tables {
		other.ForeignKeys = slices.DeleteFunc(other.ForeignKeys, func(fk *ForeignKey) bool { return fk.RefTable == t.Key() })
		other.Inherits = slices.DeleteFunc(other.Inherits, func(k string) bool { return k == t.Key() })
	}
}

// dependents lists what stops DROP of t without CASCADE: foreign keys of
// other tables referencing it and inheritance children.
func (s *session) dependents(t *Table) []string {
	var out []string
	dropped := map[string]bool{t.Key(): true}
	var mark func(*Table)
	mark = func(x *Table) {
		for _, p := range s.c.partitions(x) {
			dropped[p.Key()] = true
			mark(p)
		}
	}
	mark(t)
	for _, k := range sortedKeys(s.c.Tables) {
		other := s.c.Tables[k]
		if dropped[k] {
			continue
		}
		for _, fk := range other.ForeignKeys {
			if dropped[fk.RefTable] {
				out = append(out, "constraint "+fk.Name+" on table "+k)
			}
		}
		if slices.Contains(other.Inherits, t.Key()) {
			out = append(out, "table "+k)
		}
		if slices.Contains(other.DependsOn, t.Key()) {
			out = append(out, string(other.Kind)+" "+k)
		}
	}
	return out
}

// dropDependentViews drops, recursively, the views and materialized views
// that read t (DROP ... CASCADE).
func (s *session) dropDependentViews(t *Table) {
	for _, k := range sortedKeys(s.c.Tables) {
		if v := s.c.Tables[k]; v != nil && v != t && slices.Contains(v.DependsOn, t.Key()) {
			// Dropped before its own dependents are looked for, so that
			// a cycle of views ends.
			s.dropTable(v)
			s.dropDependentViews(v)
		}
	}
}

// drop applies DROP.
func (s *session) drop(d *sqlparse.Drop) {
	for _, n := range d.Names {
		switch d.Kind {
		case sqlparse.ObjTable, sqlparse.ObjForeignTable, sqlparse.ObjView, sqlparse.ObjMatView:
			t := s.lookup(n)
			if t == nil {
				if !d.IfExists {
					s.errorf(d.Pos, "%s %q does not exist", d.Kind, n.String())
				}
				continue
			}
			if want := relKindOf(d.Kind); want != t.Kind && !(want == KindTable && t.Kind == KindPartitioned) {
				s.errorf(d.Pos, "%q is not a %s", t.Key(), d.Kind)
				continue
			}
			if deps := s.dependents(t); len(deps) > 0 && !d.Cascade {
				s.errorf(d.Pos, "cannot drop %q because other objects depend on it (%s); use CASCADE", t.Key(), strings.Join(deps, ", "))
				continue
			}
			if d.Cascade {
				for _, k := range sortedKeys(s.c.Tables) {
					if ch := s.c.Tables[k]; ch != nil && slices.Contains(ch.Inherits, t.Key()) {
						s.dropDependentViews(ch)
						s.dropTable(ch)
					}
				}
				s.dropDependentViews(t)
				for _, p := range s.c.partitions(t) {
					s.dropDependentViews(p)
				}
			}
			s.dropTable(t)
		case sqlparse.ObjIndex:
			ix := s.lookupIndex(n)
			if ix == nil {
				if !d.IfExists {
					s.errorf(d.Pos, "index %q does not exist", n.String())
				}
				continue
			}
			if ix.Constraint != "" {
				s.errorf(d.Pos, "cannot drop index %q because constraint %q on table %q requires it", ix.Key(), ix.Constraint, ix.Table)
				continue
			}
			s.dropIndex(ix)
		case sqlparse.ObjSequence:
			for _, p := range s.searchPathFor(n) {
				if s.c.sequences[Key(p, n.Name)] {
					delete(s.c.sequences, Key(p, n.Name))
					break
				}
			}
		case sqlparse.ObjSchema:
			s.dropSchema(d, n.Name)
		case sqlparse.ObjType, sqlparse.ObjDomain:
			for _, p := range s.searchPathFor(n) {
				if s.c.Types[Key(p, n.Name)] != nil {
					delete(s.c.Types, Key(p, n.Name))
					break
				}
			}
		case sqlparse.ObjExtension:
			delete(s.c.Extensions, n.Name)
		}
	}
}

// searchPathFor returns n's schema, or the search path when unqualified.
func (s *session) searchPathFor(n query.TableName) []string {
	if n.Schema != "" {
		return []string{n.Schema}
	}
	return s.searchPath()
}

// dropSchema applies DROP SCHEMA.
func (s *session) dropSchema(d *sqlparse.Drop, name string) {
	if !s.c.Schemas[name] {
		if !d.IfExists {
			s.errorf(d.Pos, "schema %q does not exist", name)
		}
		return
	}
	var inside []string
	for _, k := range sortedKeys(s.c.Tables) {
		if sch, _ := splitKey(k); sch == name {
			inside = append(inside, k)
		}
	}
	for _, k := range sortedKeys(s.c.Types) {
		if sch, _ := splitKey(k); sch == name {
			inside = append(inside, k)
		}
	}
	if len(inside) > 0 && !d.Cascade {
		s.errorf(d.Pos, "cannot drop schema %q because other objects depend on it (%s); use CASCADE", name, strings.Join(inside, ", "))
		return
	}
	for _, k := range inside {
		if t := s.c.Tables[k]; t != nil {
			s.dropTable(t)
		}
		delete(s.c.Types, k)
	}
	for k := range s.c.sequences {
		if sch, _ := splitKey(k); sch == name {
			delete(s.c.sequences, k)
		}
	}
	delete(s.c.Schemas, name)
}

// relKindOf maps a DROP object kind to a relation kind.
func relKindOf(k sqlparse.ObjectKind) RelKind {
	switch k {
	case sqlparse.ObjView:
		return KindView
	case sqlparse.ObjMatView:
		return KindMatView
	case sqlparse.ObjForeignTable:
		return KindForeign
	}
	return KindTable
}

// rename applies ALTER ... RENAME.
func (s *session) rename(d *sqlparse.Rename) {
	switch d.Kind {
	case sqlparse.ObjSchema:
		if !s.c.Schemas[d.Table.Name] {
			s.errorf(d.Pos, "schema %q does not exist", d.Table.Name)
			return
		}
		s.moveSchema(d.Table.Name, d.New)
		return
	case sqlparse.ObjType, sqlparse.ObjDomain:
		s.renameType(d.Table, "", d.New, d.Pos)
		return
	case sqlparse.ObjIndex:
		if ix := s.lookupIndex(d.Table); ix != nil {
			if s.c.relNameTaken(ix.Schema, d.New) {
				s.errorf(d.Pos, "relation %q already exists", Key(ix.Schema, d.New))
				return
			}
			s.renameIndex(ix, d.New)
			return
		}
		// ALTER INDEX may name a table, and ALTER TABLE an index.
	case sqlparse.ObjSequence:
		for _, p := range s.searchPathFor(d.Table) {
			if s.c.sequences[Key(p, d.Table.Name)] {
				delete(s.c.sequences, Key(p, d.Table.Name))
				s.c.sequences[Key(p, d.New)] = true
				return
			}
		}
		return
	}
	t := s.lookup(d.Table)
	if t == nil {
		if ix := s.lookupIndex(d.Table); ix != nil && d.Kind != sqlparse.ObjColumn && d.Kind != sqlparse.ObjConstraint {
			s.renameIndex(ix, d.New)
			return
		}
		if !d.IfExists {
			s.errorf(d.Pos, "relation %q does not exist", d.Table.String())
		}
		return
	}
	switch d.Kind {
	case sqlparse.ObjColumn:
		if t.Column(d.Old) == nil {
			s.errorf(d.Pos, "column %q of relation %q does not exist", d.Old, t.Key())
			return
		}
		if t.Column(d.New) != nil {
			s.errorf(d.Pos, "column %q of relation %q already exists", d.New, t.Key())
			return
		}
		for _, tt := range s.alterTargets(t, false) {
			s.renameColumn(tt, d.Old, d.New)
		}
	case sqlparse.ObjConstraint:
		r := t.constraintByName(d.Old)
		if r == nil {
			s.errorf(d.Pos, "constraint %q of relation %q does not exist", d.Old, t.Key())
			return
		}
		switch {
		case r.fk != nil:
			r.fk.Name = d.New
		case r.con.Index != "":
			if ix := s.c.Indexes[r.con.Index]; ix != nil {
				s.renameIndex(ix, d.New)
			} else {
				r.con.Name = d.New
			}
		default:
			r.con.Name = d.New
		}
	default:
		if s.c.relNameTaken(t.Schema, d.New) {
			s.errorf(d.Pos, "relation %q already exists", Key(t.Schema, d.New))
			return
		}
		s.moveTable(t, t.Schema, d.New)
	}
}

// renameIndex renames an index, and the constraint it backs.
func (s *session) renameIndex(ix *Index, name string) {
	old := ix.Key()
	delete(s.c.Indexes, old)
	ix.Name = name
	s.c.Indexes[ix.Key()] = ix
	for _, other := range s.c.Indexes {
		if other.Parent == old {
			other.Parent = ix.Key()
		}
	}
	if t := s.c.Tables[ix.Table]; t != nil {
		if ix.Constraint != "" {
			if r := t.constraintByName(ix.Constraint); r != nil && r.con != nil {
				r.con.Name = name
				r.con.Index = ix.Key()
			}
			ix.Constraint = name
		}
		ix.Definition = indexDefinition(t, ix)
	}
}

// renameColumn renames a column of t in its columns, indexes and
// constraints, and in the foreign keys that reference it.
func (s *session) renameColumn(t *Table, old, new string) {
	c := t.Column(old)
	if c == nil {
		return
	}
	c.Name = new
	ren := func(list []string) {
		for i := range list {
			if list[i] == old {
				list[i] = new
			}
		}
	}
	renExpr := func(e string) string {
		if r, err := sqlparse.RenameColumnInExpr(e, old, new); err == nil {
			return r
		}
		return e
	}
	for _, ix := range t.Indexes {
		if !ix.uses(old) {
			continue
		}
		for i := range ix.Keys {
			k := &ix.Keys[i]
			if k.Column == old {
				k.Column = new
			} else if slices.Contains(k.Columns, old) {
				k.Expr, k.Key, k.Columns = exprFor(renExpr(k.Expr), t)
			}
		}
		ren(ix.Include)
		if ix.Predicate != "" {
			ix.Predicate = renExpr(ix.Predicate)
			ix.Where = predicatesFor(ix.Predicate, t)
		}
		ix.Definition = indexDefinition(t, ix)
	}
	for _, con := range t.constraints() {
		ren(con.Columns)
		if con.Kind == ConCheck {
			con.Expr = renExpr(con.Expr)
		}
	}
	for _, fk := range t.ForeignKeys {
		ren(fk.Columns)
	}
	for _, other := range s.c.Tables {
		for _, fk := range other.ForeignKeys {
			if fk.RefTable == t.Key() {
				ren(fk.RefColumns)
			}
		}
	}
}

// constraints returns every non-foreign-key constraint of t.
func (t *Table) constraints() []*Constraint {
	var out []*Constraint
	if t.PrimaryKey != nil {
		out = append(out, t.PrimaryKey)
	}
	out = append(out, t.Uniques...)
	out = append(out, t.Checks...)
	return append(out, t.Excludes...)
}

// moveTable renames t to schema.name, with its indexes (which follow
// their table's schema) and every reference to it.
func (s *session) moveTable(t *Table, schema, name string) {
	old := t.Key()
	delete(s.c.Tables, old)
	t.Schema, t.Name = schema, name
	s.c.Schemas[schema] = true
	k := t.Key()
	s.c.Tables[k] = t
	for _, ix := range t.Indexes {
		oldIx := ix.Key()
		delete(s.c.Indexes, oldIx)
		ix.Schema, ix.Table = schema, k
		s.c.Indexes[ix.Key()] = ix
		for _, other := range s.c.Indexes {
			if other.Parent == oldIx {
				other.Parent = ix.Key()
			}
		}
		ix.Definition = indexDefinition(t, ix)
	}
	for _, con := range t.constraints() {
		if con.Index != "" {
			_, n := splitKey(con.Index)
			con.Index = Key(schema, n)
		}
	}
	for _, other := range s.c.Tables {
		for _, fk := range other.ForeignKeys {
			if fk.RefTable == old {
				fk.RefTable = k
			}
		}
		if other.PartitionOf == old {
			other.PartitionOf = k
		}
		for i, dep := range other.DependsOn {
			if dep == old {
				other.DependsOn[i] = k
				sort.Strings(other.DependsOn)
				break
			}
		}
		for i, inh := range other.Inherits {
			if inh == old {
				other.Inherits[i] = k
			}
		}
	}
}

// setSchema applies ALTER ... SET SCHEMA.
func (s *session) setSchema(d *sqlparse.SetSchema) {
	switch d.Kind {
	case sqlparse.ObjType, sqlparse.ObjDomain:
		s.renameType(d.Name, d.NewSchema, d.Name.Name, d.Pos)
		return
	case sqlparse.ObjSequence:
		return
	}
	t := s.lookup(d.Name)
	if t == nil {
		if !d.IfExists {
			s.errorf(d.Pos, "relation %q does not exist", d.Name.String())
		}
		return
	}
	if s.c.relNameTaken(d.NewSchema, t.Name) {
		s.errorf(d.Pos, "relation %q already exists", Key(d.NewSchema, t.Name))
		return
	}
	s.moveTable(t, d.NewSchema, t.Name)
}

// moveSchema applies ALTER SCHEMA old RENAME TO new.
func (s *session) moveSchema(old, new string) {
	for _, k := range sortedKeys(s.c.Tables) {
		if t := s.c.Tables[k]; t.Schema == old {
			s.moveTable(t, new, t.Name)
		}
	}
	for _, k := range sortedKeys(s.c.Types) {
		if ty := s.c.Types[k]; ty.Schema == old {
			s.renameType(query.TableName{Schema: old, Name: ty.Name}, new, ty.Name, 0)
		}
	}
	for k := range s.c.sequences {
		if sch, n := splitKey(k); sch == old {
			delete(s.c.sequences, k)
			s.c.sequences[Key(new, n)] = true
		}
	}
	delete(s.c.Schemas, old)
	s.c.Schemas[new] = true
}

// renameType renames or moves a user-defined type and rewrites the
// column types that use it.
func (s *session) renameType(n query.TableName, newSchema, newName string, pos int) {
	var ty *Type
	for _, p := range s.searchPathFor(n) {
		if ty = s.c.Types[Key(p, n.Name)]; ty != nil {
			break
		}
	}
	if ty == nil {
		s.errorf(pos, "type %q does not exist", n.String())
		return
	}
	oldText := sqlparse.TypeRef{Schema: ty.Schema, Name: ty.Name}.String()
	delete(s.c.Types, Key(ty.Schema, ty.Name))
	if newSchema != "" {
		ty.Schema = newSchema
	}
	ty.Name = newName
	s.c.Types[Key(ty.Schema, ty.Name)] = ty
	newText := sqlparse.TypeRef{Schema: ty.Schema, Name: ty.Name}.String()
	for _, t := range s.c.Tables {
		for _, c := range t.Columns {
			switch {
			case c.Type == oldText:
				c.Type = newText
			case c.Type == oldText+"[]":
				c.Type = newText + "[]"
			}
		}
	}
}
