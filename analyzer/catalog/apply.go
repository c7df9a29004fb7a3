package catalog

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/query"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
)

// apply applies one DDL operation.
func (s *session) apply(op sqlparse.DDL) {
	switch d := op.(type) {
	case *sqlparse.CreateTable:
		s.createTable(d)
	case *sqlparse.CreateIndex:
		s.createIndex(d)
	case *sqlparse.AlterTable:
		s.alterTable(d)
	case *sqlparse.Drop:
		s.drop(d)
	case *sqlparse.CreateView:
		s.createView(d)
	case *sqlparse.Rename:
		s.rename(d)
	case *sqlparse.SetSchema:
		s.setSchema(d)
	case *sqlparse.CreateSchema:
		if s.c.Schemas[d.Name] && !d.IfNotExists {
			s.errorf(d.Pos, "schema %q already exists", d.Name)
			return
		}
		s.c.Schemas[d.Name] = true
	case *sqlparse.CreateExtension:
		s.c.Extensions[d.Name] = true
	case *sqlparse.CreateType:
		s.createType(d)
	case *sqlparse.CreateSequence:
		schema := s.creationSchema(d.Name, d.Pos)
		s.c.sequences[Key(schema, d.Name.Name)] = true
	case *sqlparse.SetSearchPath:
		if d.Reset {
			s.path = append([]string(nil), s.c.SearchPath...)
		} else {
			s.path = append([]string(nil), d.Schemas...)
		}
	}
}

// creationSchema returns the schema an object named n is created in: its
// own, or the first existing schema of the search path.
func (s *session) creationSchema(n query.TableName, pos int) string {
	if n.Schema != "" {
		// Files often create objects in schemas made elsewhere (by a
		// provisioning script, an earlier migration): accept them.
		s.c.Schemas[n.Schema] = true
		return n.Schema
	}
	for _, p := range s.path {
		if s.c.Schemas[p] {
			return p
		}
	}
	for _, p := range s.path {
		if p != "$user" && p != "pg_catalog" && p != "pg_temp" {
			return p
		}
	}
	s.errorf(pos, "no schema has been selected to create %q in (search_path is empty); using public", n.Name)
	return "public"
}

// searchPath returns the schemas an unqualified name is looked up in.
func (s *session) searchPath() []string { return lookupPath(s.path) }

// lookup finds the relation n names, or nil.
func (s *session) lookup(n query.TableName) *Table {
	if n.Schema != "" {
		return s.c.Tables[Key(n.Schema, n.Name)]
	}
	for _, p := range s.searchPath() {
		if t := s.c.Tables[Key(p, n.Name)]; t != nil {
			return t
		}
	}
	return nil
}

// lookupIndex finds the index n names, or nil.
func (s *session) lookupIndex(n query.TableName) *Index {
	if n.Schema != "" {
		return s.c.Indexes[Key(n.Schema, n.Name)]
	}
	for _, p := range s.searchPath() {
		if ix := s.c.Indexes[Key(p, n.Name)]; ix != nil {
			return ix
		}
	}
	return nil
}

// typeName formats a column type, qualifying a user-defined type found
// through the search path outside public.
func (s *session) typeName(t sqlparse.TypeRef) string {
	if !t.Builtin && t.Schema == "" {
		for _, p := range s.searchPath() {
			if s.c.Types[Key(p, t.Name)] != nil {
				t.Schema = p
				break
			}
		}
	}
	return t.String()
}

// mustLookup finds the relation n names or records an error.
func (s *session) mustLookup(n query.TableName, pos int, ifExists bool) *Table {
	t := s.lookup(n)
	if t == nil && !ifExists {
		s.errorf(pos, "relation %q does not exist", n.String())
	}
	return t
}

// createType records a user-defined type.
func (s *session) createType(d *sqlparse.CreateType) {
	schema := s.creationSchema(d.Name, d.Pos)
	ty := &Type{Schema: schema, Name: d.Name.Name, Kind: d.Kind, Values: d.Values}
	if d.Base != nil {
		ty.Base = s.typeName(*d.Base)
	}
	s.c.Types[Key(schema, d.Name.Name)] = ty
}

// children returns the partitions and inheritance children of t, sorted.
func (c *Catalog) children(t *Table) []*Table {
	if t.Kind != KindPartitioned && !c.inherits {
		return nil
	}
	k := t.Key()
	var out []*Table
	for _, ch := range c.Tables {
		if ch.PartitionOf == k || slices.Contains(ch.Inherits, k) {
			out = append(out, ch)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key() < out[j].Key() })
	return out
}

// partitions returns the partitions of t, sorted.
func (c *Catalog) partitions(t *Table) []*Table {
	var out []*Table
	for _, ch := range c.children(t) {
		if ch.PartitionOf == t.Key() {
			out = append(out, ch)
		}
	}
	return out
}

// createTable applies CREATE TABLE.
func (s *session) createTable(d *sqlparse.CreateTable) {
	schema := "pg_temp"
	if !d.Temp || d.Table.Schema != "" {
		schema = s.creationSchema(d.Table, d.Pos)
	}
	if s.c.relNameTaken(schema, d.Table.Name) {
		if !d.IfNotExists {
			s.errorf(d.Pos, "relation %q already exists", Key(schema, d.Table.Name))
		}
		return
	}
	t := &Table{Schema: schema, Name: d.Table.Name, Kind: KindTable, File: s.file, Line: s.line(d.Pos)}
	switch {
	case d.Foreign:
		t.Kind = KindForeign
	case d.PartitionBy != "":
		t.Kind = KindPartitioned
		t.PartitionKey = d.PartitionBy
	}
	var parents []*Table
	if d.PartitionOf != nil {
		p := s.mustLookup(*d.PartitionOf, d.Pos, false)
		if p == nil {
			return
		}
		parents = append(parents, p)
	}
	for _, n := range d.Inherits {
		p := s.mustLookup(n, d.Pos, false)
		if p == nil {
			return
		}
		parents = append(parents, p)
		t.Inherits = append(t.Inherits, p.Key())
		s.c.inherits = true
	}
	for _, p := range parents {
		for _, pc := range p.Columns {
			if c := t.Column(pc.Name); c != nil {
				c.NotNull = c.NotNull || pc.NotNull
				continue
			}
			nc := &Column{Name: pc.Name, Type: pc.Type, NotNull: pc.NotNull, Default: pc.Default, Generated: pc.Generated, Collation: pc.Collation}
			if d.PartitionOf != nil {
				nc.Identity = pc.Identity
			}
			t.Columns = append(t.Columns, nc)
		}
	}
	likes := d.Likes
	var likeIndexes []likeSource
	for i := 0; i <= len(d.Columns); i++ {
		for len(likes) > 0 && likes[0].At <= i {
			if src := s.likeColumns(t, likes[0]); src != nil && likes[0].Indexes {
				likeIndexes = append(likeIndexes, likeSource{src, likes[0]})
			}
			likes = likes[1:]
		}
		if i == len(d.Columns) {
			break
		}
		cd := d.Columns[i]
		if c := t.Column(cd.Name); c != nil {
			// PARTITION OF ... (col WITH OPTIONS ...) or a column
			// redefined in an INHERITS child: merge.
			if cd.Type.Name != "" {
				c.Type = s.typeName(cd.Type)
			}
			c.NotNull = c.NotNull || cd.NotNull
			if cd.Default != "" {
				c.Default = cd.Default
			}
			continue
		}
		t.Columns = append(t.Columns, s.newColumn(t, cd))
	}
	s.c.Tables[t.Key()] = t
	if d.PartitionOf != nil {
		t.PartitionOf = parents[0].Key()
		t.PartitionBound = d.PartitionBound
	}
	for _, p := range parents {
		for _, ck := range p.Checks {
			if !ck.NoInherit && t.constraintByName(ck.Name) == nil {
				cp := *ck
				t.Checks = append(t.Checks, &cp)
			}
		}
	}
	s.addConstraints(t, d.Constraints, false)
	for _, l := range likeIndexes {
		s.likeIndexes(t, l.src)
	}
	if d.PartitionOf != nil {
		s.cloneToPartition(parents[0], t)
	}
}

// likeSource is a LIKE ... INCLUDING INDEXES whose indexes are copied
// once the new table exists.
type likeSource struct {
	src  *Table
	like sqlparse.LikeClause
}

// likeColumns appends the columns of a LIKE source to t and returns the
// source (nil when unknown).
func (s *session) likeColumns(t *Table, l sqlparse.LikeClause) *Table {
	src := s.mustLookup(l.Table, l.Pos, false)
	if src == nil {
		return nil
	}
	for _, sc := range src.Columns {
		if t.Column(sc.Name) != nil {
			continue
		}
		nc := &Column{Name: sc.Name, Type: sc.Type, NotNull: sc.NotNull, Collation: sc.Collation}
		if l.Defaults && sc.Generated == "" {
			nc.Default = sc.Default
		}
		if l.Generated {
			nc.Generated = sc.Generated
		}
		if l.Identity && sc.Identity {
			nc.Identity = true
			s.reserveSequence(t, sc.Name)
		}
		t.Columns = append(t.Columns, nc)
	}
	if l.Constraints {
		for _, ck := range src.Checks {
			cp := *ck
			t.Checks = append(t.Checks, &cp)
		}
	}
	return src
}

// likeIndexes copies the indexes of src to t for LIKE ... INCLUDING
// INDEXES; their names are chosen afresh.
func (s *session) likeIndexes(t, src *Table) {
	for _, ix := range src.Indexes {
		spec := specOf(ix)
		kind := "idx"
		var con *Constraint
		switch {
		case ix.Primary:
			kind = "pkey"
		case ix.Constraint != "":
			if r := src.constraintByName(ix.Constraint); r != nil && r.con != nil {
				con = r.con
				if con.Kind == ConExclude {
					kind = "excl"
				} else {
					kind = "key"
				}
			}
		}
		if kind == "pkey" && t.PrimaryKey != nil {
			continue
		}
		nix := s.addIndex(t, "", kind, spec)
		switch kind {
		case "pkey":
			t.PrimaryKey = &Constraint{Name: nix.Name, Kind: ConPrimary, Columns: spec.columns(), Index: nix.Key()}
			nix.Constraint, nix.Primary = nix.Name, true
			s.setNotNull(t, spec.columns())
		case "key", "excl":
			nc := &Constraint{Name: nix.Name, Kind: con.Kind, Columns: spec.columns(), Index: nix.Key()}
			nix.Constraint = nix.Name
			if kind == "key" {
				t.Uniques = append(t.Uniques, nc)
			} else {
				t.Excludes = append(t.Excludes, nc)
			}
		}
	}
}

// reserveSequence records the sequence PostgreSQL creates for a serial or
// identity column and returns its name.
func (s *session) reserveSequence(t *Table, col string) string {
	name := chooseName(t.Name, col, "seq", func(n string) bool { return s.c.relNameTaken(t.Schema, n) })
	s.c.sequences[Key(t.Schema, name)] = true
	return name
}

// newColumn builds a column of t.
func (s *session) newColumn(t *Table, cd sqlparse.ColumnDef) *Column {
	c := &Column{
		Name:      cd.Name,
		Type:      s.typeName(cd.Type),
		NotNull:   cd.NotNull,
		Default:   cd.Default,
		Generated: cd.Generated,
		Identity:  cd.Identity != "",
		Collation: cd.Collation,
	}
	if cd.Serial || c.Identity {
		seq := s.reserveSequence(t, cd.Name)
		if cd.Serial {
			lit := sqlparse.QuoteIdent(seq)
			if t.Schema != "public" {
				lit = sqlparse.QuoteIdent(t.Schema) + "." + lit
			}
			c.Default = "nextval('" + strings.ReplaceAll(lit, "'", "''") + "'::regclass)"
		}
	}
	return c
}

// addConstraints adds constraints in the order PostgreSQL names them:
// CHECK constraints, then indexes (PRIMARY KEY, UNIQUE, EXCLUDE), then
// foreign keys. only is ALTER TABLE ONLY: partitions are left alone.
func (s *session) addConstraints(t *Table, list []sqlparse.ConstraintDef, only bool) {
	for _, phase := range [][]sqlparse.ConstraintType{
		{sqlparse.ConstrCheck, sqlparse.ConstrNotNull},
		{sqlparse.ConstrPrimary, sqlparse.ConstrUnique, sqlparse.ConstrExclude},
		{sqlparse.ConstrForeign},
	} {
		for _, cd := range list {
			if slices.Contains(phase, cd.Type) {
				s.addConstraint(t, cd, only)
			}
		}
	}
}

// addConstraint adds one constraint to t (and, unless only, to its
// partitions or inheritance children where PostgreSQL does).
func (s *session) addConstraint(t *Table, cd sqlparse.ConstraintDef, only bool) {
	if cd.Name != "" && t.constraintByName(cd.Name) != nil {
		s.errorf(cd.Pos, "constraint %q for relation %q already exists", cd.Name, t.Key())
		return
	}
	switch cd.Type {
	case sqlparse.ConstrNotNull:
		s.setNotNull(t, cd.Columns)
	case sqlparse.ConstrCheck:
		name := cd.Name
		if name == "" {
			var cols []string
			if len(cd.Columns) == 1 {
				cols = cd.Columns
			}
			name = s.c.chooseConstraintName(t, cols, "check")
		}
		con := &Constraint{Name: name, Kind: ConCheck, Columns: cd.Columns, Expr: cd.Expr, NoInherit: cd.NoInherit, File: s.file}
		con.Line, con.Column = s.at(cd.Pos)
		t.Checks = append(t.Checks, con)
		if !only && !cd.NoInherit {
			for _, ch := range s.c.children(t) {
				if ch.constraintByName(name) == nil {
					cd.Name = name
					s.addConstraint(ch, cd, false)
				}
			}
		}
	case sqlparse.ConstrPrimary, sqlparse.ConstrUnique, sqlparse.ConstrExclude:
		s.addIndexConstraint(t, cd, only)
	case sqlparse.ConstrForeign:
		s.addForeignKey(t, cd)
	}
}

// setNotNull marks columns of t NOT NULL.
func (s *session) setNotNull(t *Table, cols []string) {
	for _, name := range cols {
		if c := t.Column(name); c != nil {
			c.NotNull = true
		}
	}
}

// addIndexConstraint adds a PRIMARY KEY, UNIQUE or EXCLUDE constraint and
// its index.
func (s *session) addIndexConstraint(t *Table, cd sqlparse.ConstraintDef, only bool) {
	kind, ckind := "key", ConUnique
	switch cd.Type {
	case sqlparse.ConstrPrimary:
		kind, ckind = "pkey", ConPrimary
		if t.PrimaryKey != nil {
			s.errorf(cd.Pos, "multiple primary keys for table %q are not allowed", t.Key())
			return
		}
	case sqlparse.ConstrExclude:
		kind, ckind = "excl", ConExclude
	}
	var ix *Index
	if cd.UsingIndex != "" {
		ix = s.c.Indexes[Key(t.Schema, cd.UsingIndex)]
		if ix == nil || ix.Table != t.Key() {
			s.errorf(cd.Pos, "index %q does not exist on table %q", cd.UsingIndex, t.Key())
			return
		}
		if ix.Constraint != "" {
			s.errorf(cd.Pos, "index %q is already associated with a constraint", cd.UsingIndex)
			return
		}
		if cd.Name != "" && cd.Name != ix.Name {
			// PostgreSQL renames the index to the constraint's name.
			s.renameIndex(ix, cd.Name)
		}
		ix.Unique = true
	} else {
		for _, col := range append(append([]string{}, cd.Columns...), cd.Include...) {
			if t.Column(col) == nil && t.Kind != KindForeign {
				s.errorf(cd.Pos, "column %q named in key does not exist in %q", col, t.Key())
				return
			}
		}
		spec := indexSpec{method: "btree", unique: cd.Type != sqlparse.ConstrExclude, include: cd.Include, nullsNotDistinct: cd.NullsNotDistinct}
		if cd.Type == sqlparse.ConstrExclude {
			spec.method = cd.Method
			spec.keys = cd.Exclusions
			spec.where = cd.Where
		} else {
			for _, col := range cd.Columns {
				spec.keys = append(spec.keys, sqlparse.IndexElem{Column: col, Name: col})
			}
		}
		if cd.Name != "" && s.c.relNameTaken(t.Schema, cd.Name) {
			s.errorf(cd.Pos, "relation %q already exists", Key(t.Schema, cd.Name))
			return
		}
		ix = s.addIndex(t, cd.Name, kind, spec)
	}
	con := &Constraint{Name: ix.Name, Kind: ckind, Columns: specOf(ix).columns(), Index: ix.Key(), File: s.file}
	con.Line, con.Column = s.at(cd.Pos)
	// The index is defined by the constraint: findings about it (a
	// duplicate, a redundant prefix) point at the clause to change.
	ix.File, ix.Line, ix.Column = con.File, con.Line, con.Column
	ix.Constraint = ix.Name
	switch ckind {
	case ConPrimary:
		ix.Primary = true
		t.PrimaryKey = con
		s.setNotNull(t, con.Columns)
	case ConUnique:
		t.Uniques = append(t.Uniques, con)
	case ConExclude:
		t.Excludes = append(t.Excludes, con)
	}
	if t.Kind == KindPartitioned && !only {
		for _, p := range s.c.partitions(t) {
			s.cloneIndex(ix, p)
		}
	}
}

// addForeignKey adds a FOREIGN KEY constraint to t (cloned to its
// partitions, as PostgreSQL does).
func (s *session) addForeignKey(t *Table, cd sqlparse.ConstraintDef) {
	ref := s.lookup(cd.RefTable)
	if ref == nil {
		s.errorf(cd.Pos, "relation %q referenced by a foreign key of %q does not exist", cd.RefTable.String(), t.Key())
		return
	}
	refCols := cd.RefColumns
	if len(refCols) == 0 {
		if ref.PrimaryKey == nil {
			s.errorf(cd.Pos, "there is no primary key for referenced table %q", ref.Key())
			return
		}
		refCols = ref.PrimaryKey.Columns
	}
	name := cd.Name
	if name == "" {
		name = s.c.chooseConstraintName(t, cd.Columns, "fkey")
	}
	fk := &ForeignKey{
		Name: name, Columns: cd.Columns, RefTable: ref.Key(), RefColumns: refCols,
		OnDelete: cd.OnDelete, OnUpdate: cd.OnUpdate, Match: cd.Match,
		Deferrable: cd.Deferrable, NotValid: cd.NotValid,
		File: s.file,
	}
	fk.Line, fk.Column = s.at(cd.Pos)
	t.ForeignKeys = append(t.ForeignKeys, fk)
	if t.Kind == KindPartitioned {
		for _, p := range s.c.partitions(t) {
			s.cloneForeignKey(fk, p)
		}
	}
}

// cloneForeignKey gives partition p the foreign key fk of its parent,
// unless p has an equivalent one already.
func (s *session) cloneForeignKey(fk *ForeignKey, p *Table) {
	for _, have := range p.ForeignKeys {
		if slices.Equal(have.Columns, fk.Columns) && have.RefTable == fk.RefTable && slices.Equal(have.RefColumns, fk.RefColumns) {
			return
		}
	}
	cp := *fk
	if p.constraintByName(cp.Name) != nil {
		cp.Name = s.c.chooseConstraintName(p, cp.Columns, "fkey")
	}
	p.ForeignKeys = append(p.ForeignKeys, &cp)
	if p.Kind == KindPartitioned {
		for _, pp := range s.c.partitions(p) {
			s.cloneForeignKey(&cp, pp)
		}
	}
}

// cloneToPartition gives a new partition p the indexes and foreign keys
// of its parent, as CREATE TABLE ... PARTITION OF and ATTACH PARTITION do.
func (s *session) cloneToPartition(parent, p *Table) {
	for _, ix := range parent.Indexes {
		s.cloneIndex(ix, p)
	}
	for _, fk := range parent.ForeignKeys {
		s.cloneForeignKey(fk, p)
	}
}

// cloneIndex attaches to parent index ix an equivalent index of partition
// p, creating it (and its constraint) when p has none.
func (s *session) cloneIndex(ix *Index, p *Table) {
	spec := specOf(ix)
	for _, have := range p.Indexes {
		if have.Parent == "" && (have.Constraint != "") == (ix.Constraint != "") && specOf(have).equal(spec) {
			have.Parent = ix.Key()
			return
		}
	}
	kind := "idx"
	var con *Constraint
	if ix.Constraint != "" {
		if r := s.c.Tables[ix.Table].constraintByName(ix.Constraint); r != nil && r.con != nil {
			con = r.con
		}
		switch {
		case ix.Primary:
			kind = "pkey"
		case con != nil && con.Kind == ConExclude:
			kind = "excl"
		default:
			kind = "key"
		}
	}
	if kind == "pkey" && p.PrimaryKey != nil {
		return
	}
	nix := s.addIndex(p, "", kind, spec)
	nix.Parent = ix.Key()
	if con != nil {
		nc := &Constraint{Name: nix.Name, Kind: con.Kind, Columns: con.Columns, Index: nix.Key()}
		nix.Constraint = nix.Name
		switch con.Kind {
		case ConPrimary:
			nix.Primary = true
			p.PrimaryKey = nc
		case ConUnique:
			p.Uniques = append(p.Uniques, nc)
		case ConExclude:
			p.Excludes = append(p.Excludes, nc)
		}
	}
	if p.Kind == KindPartitioned {
		for _, pp := range s.c.partitions(p) {
			s.cloneIndex(nix, pp)
		}
	}
}

// indexSpec is what defines an index, apart from its name and table.
type indexSpec struct {
	method           string
	unique           bool
	nullsNotDistinct bool
	keys             []sqlparse.IndexElem
	include          []string
	where            string
}

// specOf rebuilds the definition of an existing index.
func specOf(ix *Index) indexSpec {
	sp := indexSpec{method: ix.Method, unique: ix.Unique, include: ix.Include, where: ix.Predicate, nullsNotDistinct: ix.NullsNotDistinct}
	for _, k := range ix.Keys {
		e := sqlparse.IndexElem{Column: k.Column, Name: k.Column, Desc: k.Desc, Nulls: k.Nulls, Opclass: k.Opclass, Collation: k.Collation}
		if k.Column == "" {
			e.Expr = k.Expr
			e.Name = sqlparse.IndexExprName(k.Expr)
		}
		sp.keys = append(sp.keys, e)
	}
	return sp
}

// columns lists the plain column keys of the spec.
func (sp indexSpec) columns() []string {
	var out []string
	for _, k := range sp.keys {
		if k.Column != "" {
			out = append(out, k.Column)
		}
	}
	return out
}

// equal reports whether two specs define the same index.
func (sp indexSpec) equal(o indexSpec) bool {
	if sp.method != o.method || sp.unique != o.unique || sp.where != o.where || !slices.Equal(sp.include, o.include) || len(sp.keys) != len(o.keys) {
		return false
	}
	for i := range sp.keys {
		a, b := sp.keys[i], o.keys[i]
		a.Name, b.Name = "", ""
		if a != b {
			return false
		}
	}
	return true
}

// addIndex creates an index of t; name "" lets PostgreSQL's rules choose
// it (kind is "idx", "key", "pkey" or "excl").
func (s *session) addIndex(t *Table, name, kind string, sp indexSpec) *Index {
	if name == "" {
		var keyNames []string
		for _, k := range sp.keys {
			keyNames = append(keyNames, k.Name)
		}
		name = s.c.chooseIndexName(t, indexColumnNames(keyNames, sp.include), kind)
	}
	ix := &Index{
		Schema: t.Schema, Name: name, Table: t.Key(), Method: sp.method, Unique: sp.unique,
		Include: sp.include, Valid: true, Scans: -1, File: s.file, NullsNotDistinct: sp.nullsNotDistinct,
	}
	if s.file != "" {
		ix.Line, ix.Column = s.at(0)
	}
	for _, e := range sp.keys {
		ix.Keys = append(ix.Keys, s.c.indexKey(t, e))
	}
	if sp.where != "" {
		ix.Predicate = sp.where
		ix.Where = predicatesFor(sp.where, t)
	}
	ix.Definition = indexDefinition(t, ix)
	s.c.Indexes[ix.Key()] = ix
	t.Indexes = append(t.Indexes, ix)
	return ix
}

// indexKey converts an index element of table t.
func (c *Catalog) indexKey(t *Table, e sqlparse.IndexElem) IndexKey {
	k := IndexKey{Column: e.Column, Desc: e.Desc, Nulls: e.Nulls, Opclass: e.Opclass, Collation: e.Collation}
	if e.Column == "" {
		k.Expr, k.Key, k.Columns = exprFor(e.Expr, t)
	}
	return k
}

// indexDefinition writes an index's definition as pg_get_indexdef does.
func indexDefinition(t *Table, ix *Index) string {
	var b strings.Builder
	b.WriteString("CREATE ")
	if ix.Unique {
		b.WriteString("UNIQUE ")
	}
	fmt.Fprintf(&b, "INDEX %s ON ", sqlparse.QuoteIdent(ix.Name))
	if t.Kind == KindPartitioned {
		b.WriteString("ONLY ")
	}
	fmt.Fprintf(&b, "%s.%s USING %s (", sqlparse.QuoteIdent(t.Schema), sqlparse.QuoteIdent(t.Name), ix.Method)
	for i, k := range ix.Keys {
		if i > 0 {
			b.WriteString(", ")
		}
		switch {
		case k.Column != "":
			b.WriteString(sqlparse.QuoteIdent(k.Column))
		case strings.HasSuffix(k.Expr, ")") && !strings.HasPrefix(k.Expr, "("):
			b.WriteString(k.Expr)
		default:
			b.WriteString("(" + k.Expr + ")")
		}
		if k.Collation != "" {
			b.WriteString(" COLLATE " + k.Collation)
		}
		if k.Opclass != "" {
			b.WriteString(" " + k.Opclass)
		}
		if k.Desc {
			b.WriteString(" DESC")
		}
		switch {
		case k.Nulls == query.NullsFirst && !k.Desc:
			b.WriteString(" NULLS FIRST")
		case k.Nulls == query.NullsLast && k.Desc:
			b.WriteString(" NULLS LAST")
		}
	}
	b.WriteString(")")
	if len(ix.Include) > 0 {
		var inc []string
		for _, c := range ix.Include {
			inc = append(inc, sqlparse.QuoteIdent(c))
		}
		b.WriteString(" INCLUDE (" + strings.Join(inc, ", ") + ")")
	}
	if ix.NullsNotDistinct {
		b.WriteString(" NULLS NOT DISTINCT")
	}
	if ix.Predicate != "" {
		b.WriteString(" WHERE (" + ix.Predicate + ")")
	}
	return b.String()
}

// createIndex applies CREATE INDEX.
func (s *session) createIndex(d *sqlparse.CreateIndex) {
	t := s.mustLookup(d.Table, d.Pos, false)
	if t == nil {
		return
	}
	if t.Kind == KindView {
		s.errorf(d.Pos, "cannot create index on relation %q: it is a view", t.Key())
		return
	}
	if d.Name != "" && s.c.relNameTaken(t.Schema, d.Name) {
		if !d.IfNotExists {
			s.errorf(d.Pos, "relation %q already exists", Key(t.Schema, d.Name))
		}
		return
	}
	for _, k := range d.Keys {
		if k.Column != "" && t.Column(k.Column) == nil {
			s.errorf(d.Pos, "column %q does not exist in %q", k.Column, t.Key())
			return
		}
	}
	sp := indexSpec{method: d.Method, unique: d.Unique, keys: d.Keys, include: d.Include, where: d.Where, nullsNotDistinct: d.NullsNotDistinct}
	ix := s.addIndex(t, d.Name, "idx", sp)
	ix.Line, ix.Column = s.at(d.Pos)
	if t.Kind == KindPartitioned && !d.Only {
		for _, p := range s.c.partitions(t) {
			s.cloneIndex(ix, p)
		}
	}
}

// createView applies CREATE VIEW and CREATE MATERIALIZED VIEW.
func (s *session) createView(d *sqlparse.CreateView) {
	schema := s.creationSchema(d.View, d.Pos)
	key := Key(schema, d.View.Name)
	kind := KindView
	if d.Materialized {
		kind = KindMatView
	}
	if old := s.c.Tables[key]; old != nil || s.c.relNameTaken(schema, d.View.Name) {
		switch {
		case d.IfNotExists:
			return
		case d.OrReplace && old != nil && old.Kind == KindView:
			delete(s.c.Tables, key)
		default:
			s.errorf(d.Pos, "relation %q already exists", key)
			return
		}
	}
	v := &Table{Schema: schema, Name: d.View.Name, Kind: kind, ViewQuery: d.Query, File: s.file, Line: s.line(d.Pos)}
	for _, n := range d.Reads {
		if t := s.lookup(n); t != nil && !slices.Contains(v.DependsOn, t.Key()) {
			v.DependsOn = append(v.DependsOn, t.Key())
		}
	}
	sort.Strings(v.DependsOn)
	aliases := map[string]*Table{}
	var sources []*Table
	for _, src := range d.Sources {
		if t := s.lookup(src.Table); t != nil {
			aliases[src.Alias] = t
			sources = append(sources, t)
		}
	}
	for _, tg := range d.Targets {
		switch {
		case tg.Star && tg.StarRel == "":
			for _, t := range sources {
				for _, c := range t.Columns {
					v.Columns = append(v.Columns, &Column{Name: c.Name, Type: c.Type})
				}
			}
		case tg.Star:
			if t := aliases[tg.StarRel]; t != nil {
				for _, c := range t.Columns {
					v.Columns = append(v.Columns, &Column{Name: c.Name, Type: c.Type})
				}
			}
		default:
			col := &Column{Name: tg.Name}
			if tg.Column != "" {
				if tc := viewSourceColumn(aliases, sources, tg.Rel, tg.Column); tc != nil {
					col.Type = tc.Type
				}
			}
			v.Columns = append(v.Columns, col)
		}
	}
	for i, name := range d.Columns {
		if i < len(v.Columns) {
			v.Columns[i].Name = name
		}
	}
	s.c.Tables[key] = v
}

// viewSourceColumn finds the table column a view's plain column target
// reads.
func viewSourceColumn(aliases map[string]*Table, sources []*Table, rel, col string) *Column {
	if rel != "" {
		if t := aliases[rel]; t != nil {
			return t.Column(col)
		}
		return nil
	}
	var found *Column
	for _, t := range sources {
		if c := t.Column(col); c != nil {
			if found != nil {
				return nil
			}
			found = c
		}
	}
	return found
}
