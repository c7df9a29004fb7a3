package sqlparse

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/pgadvisor/pgadvisor/analyzer/query"
)

// ParseDDL parses sql (one or more statements) and returns the schema
// changes it makes, in order. Statements that change no schema the catalog
// models (SELECT, INSERT, COMMENT, GRANT, CREATE FUNCTION, OWNER TO, ...)
// yield nothing. A syntax error returns the positioned *Error and no DDL.
func ParseDDL(sql string) ([]DDL, error) {
	tree, err := parseTree(sql)
	if err != nil {
		return nil, err
	}
	p := ddlParser{sql: sql}
	for _, raw := range tree.GetStmts() {
		p.pos = ddlSkipBlanks(sql, int(raw.GetStmtLocation()))
		p.stmt(raw.GetStmt(), "")
	}
	return p.out, nil
}

// ddlParser accumulates the DDL of one ParseDDL call.
type ddlParser struct {
	sql string
	pos int // offset of the current statement
	out []DDL
}

// stmt converts one statement; schema is the schema of an enclosing
// CREATE SCHEMA, given to unqualified names ("" otherwise).
func (p *ddlParser) stmt(n *pg_query.Node, schema string) {
	switch {
	case n.GetCreateStmt() != nil:
		p.createTable(n.GetCreateStmt(), schema, false)
	case n.GetCreateForeignTableStmt() != nil:
		p.createTable(n.GetCreateForeignTableStmt().GetBaseStmt(), schema, true)
	case n.GetIndexStmt() != nil:
		p.createIndex(n.GetIndexStmt(), schema)
	case n.GetAlterTableStmt() != nil:
		p.alterTable(n.GetAlterTableStmt())
	case n.GetDropStmt() != nil:
		p.drop(n.GetDropStmt())
	case n.GetViewStmt() != nil:
		p.createView(n.GetViewStmt(), schema)
	case n.GetCreateTableAsStmt() != nil:
		p.createMatView(n.GetCreateTableAsStmt(), schema)
	case n.GetRenameStmt() != nil:
		p.rename(n.GetRenameStmt())
	case n.GetAlterObjectSchemaStmt() != nil:
		p.setSchema(n.GetAlterObjectSchemaStmt())
	case n.GetCreateSchemaStmt() != nil:
		p.createSchema(n.GetCreateSchemaStmt())
	case n.GetCreateExtensionStmt() != nil:
		s := n.GetCreateExtensionStmt()
		d := &CreateExtension{Name: s.GetExtname(), IfNotExists: s.GetIfNotExists(), Pos: p.pos}
		for _, o := range s.GetOptions() {
			if de := o.GetDefElem(); de != nil && de.GetDefname() == "schema" {
				d.Schema = ddlString(de.GetArg())
			}
		}
		p.out = append(p.out, d)
	case n.GetCreateEnumStmt() != nil:
		s := n.GetCreateEnumStmt()
		d := &CreateType{Name: ddlQualified(s.GetTypeName(), schema), Kind: "enum", Pos: p.pos}
		for _, v := range s.GetVals() {
			d.Values = append(d.Values, ddlString(v))
		}
		p.out = append(p.out, d)
	case n.GetCompositeTypeStmt() != nil:
		p.out = append(p.out, &CreateType{Name: ddlRangeVar(n.GetCompositeTypeStmt().GetTypevar(), schema), Kind: "composite", Pos: p.pos})
	case n.GetCreateRangeStmt() != nil:
		p.out = append(p.out, &CreateType{Name: ddlQualified(n.GetCreateRangeStmt().GetTypeName(), schema), Kind: "range", Pos: p.pos})
	case n.GetDefineStmt() != nil:
		s := n.GetDefineStmt()
		if s.GetKind() == pg_query.ObjectType_OBJECT_TYPE {
			p.out = append(p.out, &CreateType{Name: ddlQualified(s.GetDefnames(), schema), Kind: "base", Pos: p.pos})
		}
	case n.GetCreateDomainStmt() != nil:
		s := n.GetCreateDomainStmt()
		base, _ := ddlType(s.GetTypeName())
		p.out = append(p.out, &CreateType{Name: ddlQualified(s.GetDomainname(), schema), Kind: "domain", Base: &base, Pos: p.pos})
	case n.GetCreateSeqStmt() != nil:
		s := n.GetCreateSeqStmt()
		p.out = append(p.out, &CreateSequence{Name: ddlRangeVar(s.GetSequence(), schema), IfNotExists: s.GetIfNotExists(), Pos: p.pos})
	case n.GetVariableSetStmt() != nil:
		p.setVariable(n.GetVariableSetStmt())
	case n.GetSelectStmt() != nil:
		p.setConfig(n.GetSelectStmt())
	}
}

// createTable converts CREATE TABLE.
func (p *ddlParser) createTable(s *pg_query.CreateStmt, schema string, foreign bool) {
	if s == nil {
		return
	}
	d := &CreateTable{
		Table:       ddlRangeVar(s.GetRelation(), schema),
		IfNotExists: s.GetIfNotExists(),
		Temp:        s.GetRelation().GetRelpersistence() == "t",
		Unlogged:    s.GetRelation().GetRelpersistence() == "u",
		Foreign:     foreign,
		Pos:         p.pos,
	}
	for _, elt := range s.GetTableElts() {
		switch {
		case elt.GetColumnDef() != nil:
			c, cons := p.columnDef(elt.GetColumnDef())
			d.Columns = append(d.Columns, c)
			d.Constraints = append(d.Constraints, cons...)
		case elt.GetConstraint() != nil:
			d.Constraints = p.appendConstraint(d.Constraints, elt.GetConstraint(), "")
		case elt.GetTableLikeClause() != nil:
			d.Likes = append(d.Likes, ddlLike(elt.GetTableLikeClause(), len(d.Columns)))
		}
	}
	for _, c := range s.GetConstraints() {
		d.Constraints = p.appendConstraint(d.Constraints, c.GetConstraint(), "")
	}
	for _, inh := range s.GetInhRelations() {
		if rv := inh.GetRangeVar(); rv != nil {
			if s.GetPartbound() != nil {
				parent := ddlRangeVar(rv, schema)
				d.PartitionOf = &parent
			} else {
				d.Inherits = append(d.Inherits, ddlRangeVar(rv, schema))
			}
		}
	}
	if s.GetPartbound() != nil {
		d.PartitionBound = ddlPartitionBound(s.GetPartbound())
	}
	if ps := s.GetPartspec(); ps != nil {
		d.PartitionBy = ddlPartitionSpec(ps)
	}
	p.out = append(p.out, d)
}

// ddlLike converts a LIKE clause found after at columns.
func ddlLike(l *pg_query.TableLikeClause, at int) LikeClause {
	// The option bits of PostgreSQL's TableLikeOption.
	const (
		likeConstraints = 1 << 2
		likeDefaults    = 1 << 3
		likeGenerated   = 1 << 4
		likeIdentity    = 1 << 5
		likeIndexes     = 1 << 6
	)
	o := l.GetOptions()
	return LikeClause{
		Table:       ddlRangeVar(l.GetRelation(), ""),
		At:          at,
		Defaults:    o&likeDefaults != 0,
		Constraints: o&likeConstraints != 0,
		Indexes:     o&likeIndexes != 0,
		Identity:    o&likeIdentity != 0,
		Generated:   o&likeGenerated != 0,
		Pos:         int(l.GetRelation().GetLocation()),
	}
}

// columnDef converts a column definition; its PRIMARY KEY, UNIQUE, CHECK
// and REFERENCES constraints are returned as table constraints too (also
// kept in the column's Constraints).
func (p *ddlParser) columnDef(c *pg_query.ColumnDef) (ColumnDef, []ConstraintDef) {
	col := ColumnDef{Name: c.GetColname(), Pos: int(c.GetLocation()), NotNull: c.GetIsNotNull()}
	if c.GetTypeName() != nil {
		col.Type, col.Serial = ddlType(c.GetTypeName())
		if col.Serial {
			col.NotNull = true
		}
	}
	if cc := c.GetCollClause(); cc != nil {
		col.Collation = ddlCollation(cc.GetCollname())
	}
	if c.GetRawDefault() != nil {
		col.Default = ddlExpr(c.GetRawDefault())
	}
	var cons []ConstraintDef
	for _, n := range c.GetConstraints() {
		k := n.GetConstraint()
		if k == nil {
			continue
		}
		switch k.GetContype() {
		case pg_query.ConstrType_CONSTR_NOTNULL:
			col.NotNull = true
		case pg_query.ConstrType_CONSTR_NULL:
			col.NotNull = false
		case pg_query.ConstrType_CONSTR_DEFAULT:
			col.Default = ddlExpr(k.GetRawExpr())
		case pg_query.ConstrType_CONSTR_IDENTITY:
			col.Identity = ddlIdentity(k.GetGeneratedWhen())
			col.NotNull = true
		case pg_query.ConstrType_CONSTR_GENERATED:
			col.Generated = ddlExpr(k.GetRawExpr())
		case pg_query.ConstrType_CONSTR_ATTR_DEFERRABLE:
			if len(cons) > 0 {
				cons[len(cons)-1].Deferrable = true
			}
		case pg_query.ConstrType_CONSTR_ATTR_DEFERRED:
			if len(cons) > 0 {
				cons[len(cons)-1].Deferred = true
				cons[len(cons)-1].Deferrable = true
			}
		default:
			cons = p.appendConstraint(cons, k, col.Name)
			if k.GetContype() == pg_query.ConstrType_CONSTR_PRIMARY {
				col.NotNull = true
			}
		}
	}
	col.Constraints = cons
	return col, cons
}

// appendConstraint converts a table constraint (or a column constraint of
// column col) and appends it to list.
func (p *ddlParser) appendConstraint(list []ConstraintDef, k *pg_query.Constraint, col string) []ConstraintDef {
	if k == nil {
		return list
	}
	d := ConstraintDef{
		Name:             k.GetConname(),
		Deferrable:       k.GetDeferrable(),
		Deferred:         k.GetInitdeferred(),
		NotValid:         k.GetSkipValidation(),
		NoInherit:        k.GetIsNoInherit(),
		NullsNotDistinct: k.GetNullsNotDistinct(),
		UsingIndex:       k.GetIndexname(),
		Pos:              int(k.GetLocation()),
	}
	keys := ddlStrings(k.GetKeys())
	if col != "" && len(keys) == 0 {
		keys = []string{col}
	}
	switch k.GetContype() {
	case pg_query.ConstrType_CONSTR_PRIMARY:
		d.Type = ConstrPrimary
		d.Columns = keys
		d.Include = ddlStrings(k.GetIncluding())
	case pg_query.ConstrType_CONSTR_UNIQUE:
		d.Type = ConstrUnique
		d.Columns = keys
		d.Include = ddlStrings(k.GetIncluding())
	case pg_query.ConstrType_CONSTR_CHECK:
		d.Type = ConstrCheck
		d.Columns = ddlColumnsRead(k.GetRawExpr())
		d.Expr = ddlExpr(k.GetRawExpr())
	case pg_query.ConstrType_CONSTR_NOTNULL:
		d.Type = ConstrNotNull
		d.Columns = keys
	case pg_query.ConstrType_CONSTR_FOREIGN:
		d.Type = ConstrForeign
		d.Columns = ddlStrings(k.GetFkAttrs())
		if col != "" && len(d.Columns) == 0 {
			d.Columns = []string{col}
		}
		d.RefTable = ddlRangeVar(k.GetPktable(), "")
		d.RefColumns = ddlStrings(k.GetPkAttrs())
		d.Match = map[string]string{"f": "full", "p": "partial"}[k.GetFkMatchtype()]
		d.OnDelete = ddlFKAction(k.GetFkDelAction())
		d.OnUpdate = ddlFKAction(k.GetFkUpdAction())
	case pg_query.ConstrType_CONSTR_EXCLUSION:
		d.Type = ConstrExclude
		d.Method = k.GetAccessMethod()
		if d.Method == "" {
			d.Method = "btree"
		}
		for _, ex := range k.GetExclusions() {
			items := ex.GetList().GetItems()
			if len(items) != 2 || items[0].GetIndexElem() == nil {
				continue
			}
			e := ddlIndexElem(items[0].GetIndexElem())
			e.Operator = strings.Join(ddlStrings(items[1].GetList().GetItems()), ".")
			d.Exclusions = append(d.Exclusions, e)
		}
		if k.GetWhereClause() != nil {
			d.Where = ddlExpr(k.GetWhereClause())
		}
	default:
		return list
	}
	return append(list, d)
}

// ddlFKAction names a foreign-key action letter.
func ddlFKAction(a string) string {
	switch a {
	case "r":
		return "restrict"
	case "c":
		return "cascade"
	case "n":
		return "set null"
	case "d":
		return "set default"
	}
	return ""
}

// ddlIdentity names an identity's GENERATED clause.
func ddlIdentity(when string) string {
	if when == "a" {
		return "always"
	}
	return "by default"
}

// createIndex converts CREATE INDEX.
func (p *ddlParser) createIndex(s *pg_query.IndexStmt, schema string) {
	d := &CreateIndex{
		Name:             s.GetIdxname(),
		Table:            ddlRangeVar(s.GetRelation(), schema),
		Only:             !s.GetRelation().GetInh(),
		Method:           s.GetAccessMethod(),
		Unique:           s.GetUnique(),
		NullsNotDistinct: s.GetNullsNotDistinct(),
		Concurrently:     s.GetConcurrent(),
		IfNotExists:      s.GetIfNotExists(),
		Pos:              p.pos,
	}
	if d.Method == "" {
		d.Method = "btree"
	}
	for _, e := range s.GetIndexParams() {
		if ie := e.GetIndexElem(); ie != nil {
			d.Keys = append(d.Keys, ddlIndexElem(ie))
		}
	}
	for _, e := range s.GetIndexIncludingParams() {
		if ie := e.GetIndexElem(); ie != nil {
			d.Include = append(d.Include, ie.GetName())
		}
	}
	if s.GetWhereClause() != nil {
		d.Where = ddlExpr(s.GetWhereClause())
	}
	p.out = append(p.out, d)
}

// ddlIndexElem converts an index key.
func ddlIndexElem(ie *pg_query.IndexElem) IndexElem {
	e := IndexElem{Column: ie.GetName(), Name: ie.GetName()}
	if ie.GetExpr() != nil {
		x := ie.GetExpr()
		// A parenthesized plain column is a column key, as PostgreSQL
		// itself turns it into one.
		if cr := x.GetColumnRef(); cr != nil && len(cr.GetFields()) == 1 && cr.GetFields()[0].GetString_() != nil {
			e.Column = cr.GetFields()[0].GetString_().GetSval()
			e.Name = e.Column
		} else {
			e.Name = ie.GetIndexcolname()
			if e.Name == "" {
				e.Name = ddlFigureColname(x)
			}
			e.Expr = ddlExpr(x)
		}
	}
	switch ie.GetOrdering() {
	case pg_query.SortByDir_SORTBY_DESC:
		e.Desc = true
	}
	switch ie.GetNullsOrdering() {
	case pg_query.SortByNulls_SORTBY_NULLS_FIRST:
		e.Nulls = query.NullsFirst
	case pg_query.SortByNulls_SORTBY_NULLS_LAST:
		e.Nulls = query.NullsLast
	}
	// NULLS FIRST is the default of DESC and NULLS LAST that of ASC:
	// PostgreSQL stores (and pg_get_indexdef prints) only non-defaults.
	if (e.Desc && e.Nulls == query.NullsFirst) || (!e.Desc && e.Nulls == query.NullsLast) {
		e.Nulls = query.NullsDefault
	}
	e.Opclass = ddlQualifiedName(ie.GetOpclass())
	e.Collation = ddlCollation(ie.GetCollation())
	return e
}

// alterTable converts ALTER TABLE, keeping the subcommands that change
// what the catalog models.
func (p *ddlParser) alterTable(s *pg_query.AlterTableStmt) {
	d := &AlterTable{
		Kind:     ddlObjectKind(s.GetObjtype()),
		Table:    ddlRangeVar(s.GetRelation(), ""),
		Only:     !s.GetRelation().GetInh(),
		IfExists: s.GetMissingOk(),
		Pos:      p.pos,
	}
	if d.Kind == ObjSequence {
		return
	}
	for _, n := range s.GetCmds() {
		c := n.GetAlterTableCmd()
		if c == nil {
			continue
		}
		if d.Kind == ObjIndex && c.GetSubtype() != pg_query.AlterTableType_AT_AttachPartition {
			// Of ALTER INDEX, only ATTACH PARTITION changes what the
			// catalog models.
			continue
		}
		cmd := AlterCmd{Name: c.GetName(), IfExists: c.GetMissingOk(), Cascade: c.GetBehavior() == pg_query.DropBehavior_DROP_CASCADE}
		switch c.GetSubtype() {
		case pg_query.AlterTableType_AT_AddColumn, pg_query.AlterTableType_AT_AddColumnToView:
			cd := c.GetDef().GetColumnDef()
			if cd == nil {
				continue
			}
			col, _ := p.columnDef(cd)
			cmd.Action, cmd.Column, cmd.Name = AlterAddColumn, &col, col.Name
		case pg_query.AlterTableType_AT_DropColumn:
			cmd.Action = AlterDropColumn
		case pg_query.AlterTableType_AT_AlterColumnType:
			cd := c.GetDef().GetColumnDef()
			if cd == nil || cd.GetTypeName() == nil {
				continue
			}
			t, serial := ddlType(cd.GetTypeName())
			if serial {
				// ALTER COLUMN TYPE serial is an error in PostgreSQL.
				continue
			}
			cmd.Action, cmd.Type = AlterColumnType, &t
			if cc := cd.GetCollClause(); cc != nil {
				cmd.Collation = ddlCollation(cc.GetCollname())
			}
			if cd.GetRawDefault() != nil {
				cmd.Expr = ddlExpr(cd.GetRawDefault())
			}
		case pg_query.AlterTableType_AT_SetNotNull:
			cmd.Action = AlterSetNotNull
		case pg_query.AlterTableType_AT_DropNotNull:
			cmd.Action = AlterDropNotNull
		case pg_query.AlterTableType_AT_ColumnDefault:
			if c.GetDef() == nil {
				cmd.Action = AlterDropDefault
			} else {
				cmd.Action, cmd.Expr = AlterSetDefault, ddlExpr(c.GetDef())
			}
		case pg_query.AlterTableType_AT_AddIdentity:
			cmd.Action = AlterAddIdentity
			cmd.Identity = ddlIdentity(c.GetDef().GetConstraint().GetGeneratedWhen())
		case pg_query.AlterTableType_AT_SetIdentity:
			cmd.Action = AlterSetIdentity
			for _, o := range c.GetDef().GetList().GetItems() {
				if de := o.GetDefElem(); de != nil && de.GetDefname() == "generated" {
					if de.GetArg().GetInteger().GetIval() == 'a' {
						cmd.Identity = "always"
					} else {
						cmd.Identity = "by default"
					}
				}
			}
			if cmd.Identity == "" {
				continue
			}
		case pg_query.AlterTableType_AT_DropIdentity:
			cmd.Action = AlterDropIdentity
		case pg_query.AlterTableType_AT_SetExpression:
			cmd.Action, cmd.Expr = AlterSetExpression, ddlExpr(c.GetDef())
		case pg_query.AlterTableType_AT_DropExpression:
			cmd.Action = AlterDropExpression
		case pg_query.AlterTableType_AT_AddConstraint:
			cons := p.appendConstraint(nil, c.GetDef().GetConstraint(), "")
			if len(cons) == 0 {
				continue
			}
			cmd.Action, cmd.Constraint, cmd.Name = AlterAddConstraint, &cons[0], cons[0].Name
		case pg_query.AlterTableType_AT_DropConstraint:
			cmd.Action = AlterDropConstraint
		case pg_query.AlterTableType_AT_ValidateConstraint:
			cmd.Action = AlterValidate
		case pg_query.AlterTableType_AT_AttachPartition, pg_query.AlterTableType_AT_DetachPartition:
			pc := c.GetDef().GetPartitionCmd()
			if pc == nil {
				continue
			}
			part := ddlRangeVar(pc.GetName(), "")
			cmd.Partition = &part
			if c.GetSubtype() == pg_query.AlterTableType_AT_AttachPartition {
				cmd.Action = AlterAttachPartition
				cmd.Bound = ddlPartitionBound(pc.GetBound())
			} else {
				cmd.Action = AlterDetachPartition
			}
		case pg_query.AlterTableType_AT_AddInherit, pg_query.AlterTableType_AT_DropInherit:
			rv := c.GetDef().GetRangeVar()
			if rv == nil {
				continue
			}
			parent := ddlRangeVar(rv, "")
			cmd.Partition = &parent
			cmd.Action = AlterInherit
			if c.GetSubtype() == pg_query.AlterTableType_AT_DropInherit {
				cmd.Action = AlterNoInherit
			}
		default:
			continue
		}
		d.Cmds = append(d.Cmds, cmd)
	}
	if len(d.Cmds) > 0 {
		p.out = append(p.out, d)
	}
}

// drop converts DROP.
func (p *ddlParser) drop(s *pg_query.DropStmt) {
	d := &Drop{
		Kind:         ddlObjectKind(s.GetRemoveType()),
		IfExists:     s.GetMissingOk(),
		Cascade:      s.GetBehavior() == pg_query.DropBehavior_DROP_CASCADE,
		Concurrently: s.GetConcurrent(),
		Pos:          p.pos,
	}
	switch d.Kind {
	case ObjTable, ObjForeignTable, ObjIndex, ObjView, ObjMatView, ObjSequence:
		for _, o := range s.GetObjects() {
			d.Names = append(d.Names, ddlQualified(o.GetList().GetItems(), ""))
		}
	case ObjSchema, ObjExtension:
		for _, o := range s.GetObjects() {
			d.Names = append(d.Names, query.TableName{Name: ddlString(o)})
		}
	case ObjType, ObjDomain:
		for _, o := range s.GetObjects() {
			if tn := o.GetTypeName(); tn != nil {
				d.Names = append(d.Names, ddlQualified(tn.GetNames(), ""))
			}
		}
	default:
		return
	}
	p.out = append(p.out, d)
}

// createView converts CREATE VIEW.
func (p *ddlParser) createView(s *pg_query.ViewStmt, schema string) {
	d := &CreateView{
		View:      ddlRangeVar(s.GetView(), schema),
		OrReplace: s.GetReplace(),
		Columns:   ddlStrings(s.GetAliases()),
		Pos:       p.pos,
	}
	d.Targets, d.Sources = ddlViewShape(s.GetQuery())
	d.Reads = ddlRelationsRead(s.GetQuery())
	d.Query = ddlDeparseStmt(s.GetQuery())
	p.out = append(p.out, d)
}

// ddlRelationsRead lists the relations a query names, WITH query names
// excepted, once each, in the order the text names them.
func ddlRelationsRead(q *pg_query.Node) []query.TableName {
	if q == nil {
		return nil
	}
	ctes := map[string]bool{}
	ddlWalk(q.ProtoReflect(), func(m protoreflect.Message) bool {
		if c, ok := m.Interface().(*pg_query.CommonTableExpr); ok {
			ctes[c.GetCtename()] = true
		}
		return true
	})
	var rvs []*pg_query.RangeVar
	ddlWalk(q.ProtoReflect(), func(m protoreflect.Message) bool {
		rv, ok := m.Interface().(*pg_query.RangeVar)
		if ok {
			rvs = append(rvs, rv)
		}
		return !ok
	})
	slices.SortStableFunc(rvs, func(a, b *pg_query.RangeVar) int { return cmp.Compare(a.Location, b.Location) })
	var out []query.TableName
	for _, rv := range rvs {
		t := ddlRangeVar(rv, "")
		if (t.Schema != "" || !ctes[t.Name]) && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// ddlWalk calls fn for every message of the tree under m, depth first;
// fn returns false to skip a message's children.
func ddlWalk(m protoreflect.Message, fn func(protoreflect.Message) bool) {
	if !fn(m) {
		return
	}
	rangeFields(m, func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.IsMap():
		case fd.IsList() && fd.Message() != nil:
			l := v.List()
			for i := 0; i < l.Len(); i++ {
				ddlWalk(l.Get(i).Message(), fn)
			}
		case fd.Message() != nil:
			ddlWalk(v.Message(), fn)
		}
		return true
	})
}

// createMatView converts CREATE MATERIALIZED VIEW; CREATE TABLE AS (whose
// columns' types only a server knows) is left out.
func (p *ddlParser) createMatView(s *pg_query.CreateTableAsStmt, schema string) {
	if s.GetObjtype() != pg_query.ObjectType_OBJECT_MATVIEW {
		return
	}
	d := &CreateView{
		View:         ddlRangeVar(s.GetInto().GetRel(), schema),
		Materialized: true,
		IfNotExists:  s.GetIfNotExists(),
		Columns:      ddlStrings(s.GetInto().GetColNames()),
		Pos:          p.pos,
	}
	d.Targets, d.Sources = ddlViewShape(s.GetQuery())
	d.Reads = ddlRelationsRead(s.GetQuery())
	d.Query = ddlDeparseStmt(s.GetQuery())
	p.out = append(p.out, d)
}

// ddlViewShape lists the select-list items and the FROM tables of a view
// query (the first arm of a set operation names the columns).
func ddlViewShape(q *pg_query.Node) ([]ViewTarget, []ViewSource) {
	sel := q.GetSelectStmt()
	for sel != nil && sel.GetLarg() != nil {
		sel = sel.GetLarg()
	}
	if sel == nil {
		return nil, nil
	}
	var targets []ViewTarget
	for _, t := range sel.GetTargetList() {
		rt := t.GetResTarget()
		if rt == nil {
			continue
		}
		vt := ViewTarget{Name: rt.GetName()}
		if cr := rt.GetVal().GetColumnRef(); cr != nil {
			fields := cr.GetFields()
			last := fields[len(fields)-1]
			switch {
			case last.GetAStar() != nil:
				vt.Star = true
				if len(fields) >= 2 {
					vt.StarRel = ddlString(fields[len(fields)-2])
				}
			default:
				vt.Column = ddlString(last)
				if len(fields) >= 2 {
					vt.Rel = ddlString(fields[len(fields)-2])
				}
			}
		}
		if vt.Name == "" && !vt.Star {
			vt.Name = ddlFigureColname(rt.GetVal())
			if vt.Name == "" {
				vt.Name = "?column?"
			}
		}
		targets = append(targets, vt)
	}
	ctes := map[string]bool{}
	for _, c := range sel.GetWithClause().GetCtes() {
		ctes[c.GetCommonTableExpr().GetCtename()] = true
	}
	var sources []ViewSource
	var walk func(n *pg_query.Node)
	walk = func(n *pg_query.Node) {
		switch {
		case n.GetRangeVar() != nil:
			rv := n.GetRangeVar()
			if rv.GetSchemaname() == "" && ctes[rv.GetRelname()] {
				// A WITH query: its columns are not a table's.
				sources = append(sources, ViewSource{Alias: rv.GetAlias().GetAliasname()})
				return
			}
			alias := rv.GetAlias().GetAliasname()
			if alias == "" {
				alias = rv.GetRelname()
			}
			sources = append(sources, ViewSource{Alias: alias, Table: ddlRangeVar(rv, "")})
		case n.GetJoinExpr() != nil:
			walk(n.GetJoinExpr().GetLarg())
			walk(n.GetJoinExpr().GetRarg())
		}
	}
	for _, f := range sel.GetFromClause() {
		walk(f)
	}
	return targets, sources
}

// rename converts ALTER ... RENAME.
func (p *ddlParser) rename(s *pg_query.RenameStmt) {
	d := &Rename{New: s.GetNewname(), IfExists: s.GetMissingOk(), Pos: p.pos}
	switch s.GetRenameType() {
	case pg_query.ObjectType_OBJECT_TABLE, pg_query.ObjectType_OBJECT_FOREIGN_TABLE, pg_query.ObjectType_OBJECT_VIEW,
		pg_query.ObjectType_OBJECT_MATVIEW, pg_query.ObjectType_OBJECT_INDEX, pg_query.ObjectType_OBJECT_SEQUENCE:
		d.Kind = ddlObjectKind(s.GetRenameType())
		d.Table = ddlRangeVar(s.GetRelation(), "")
	case pg_query.ObjectType_OBJECT_COLUMN:
		d.Kind = ObjColumn
		d.Table = ddlRangeVar(s.GetRelation(), "")
		d.Old = s.GetSubname()
	case pg_query.ObjectType_OBJECT_TABCONSTRAINT:
		d.Kind = ObjConstraint
		d.Table = ddlRangeVar(s.GetRelation(), "")
		d.Old = s.GetSubname()
	case pg_query.ObjectType_OBJECT_SCHEMA:
		d.Kind = ObjSchema
		d.Table = query.TableName{Name: s.GetSubname()}
	case pg_query.ObjectType_OBJECT_TYPE, pg_query.ObjectType_OBJECT_DOMAIN:
		d.Kind = ddlObjectKind(s.GetRenameType())
		d.Table = ddlQualified(s.GetObject().GetList().GetItems(), "")
	default:
		return
	}
	p.out = append(p.out, d)
}

// setSchema converts ALTER ... SET SCHEMA.
func (p *ddlParser) setSchema(s *pg_query.AlterObjectSchemaStmt) {
	d := &SetSchema{Kind: ddlObjectKind(s.GetObjectType()), NewSchema: s.GetNewschema(), IfExists: s.GetMissingOk(), Pos: p.pos}
	switch d.Kind {
	case ObjTable, ObjForeignTable, ObjView, ObjMatView, ObjSequence:
		d.Name = ddlRangeVar(s.GetRelation(), "")
	case ObjType, ObjDomain:
		d.Name = ddlQualified(s.GetObject().GetList().GetItems(), "")
	default:
		return
	}
	p.out = append(p.out, d)
}

// createSchema converts CREATE SCHEMA and the objects created in it.
func (p *ddlParser) createSchema(s *pg_query.CreateSchemaStmt) {
	name := s.GetSchemaname()
	if name == "" {
		name = s.GetAuthrole().GetRolename()
	}
	p.out = append(p.out, &CreateSchema{Name: name, IfNotExists: s.GetIfNotExists(), Pos: p.pos})
	for _, e := range s.GetSchemaElts() {
		p.stmt(e, name)
	}
}

// setVariable converts SET / RESET search_path.
func (p *ddlParser) setVariable(s *pg_query.VariableSetStmt) {
	if s.GetName() != "search_path" && s.GetKind() != pg_query.VariableSetKind_VAR_RESET_ALL {
		return
	}
	d := &SetSearchPath{Local: s.GetIsLocal(), Pos: p.pos}
	switch s.GetKind() {
	case pg_query.VariableSetKind_VAR_SET_VALUE:
		d.Schemas = []string{}
		for _, a := range s.GetArgs() {
			d.Schemas = append(d.Schemas, ddlString(a))
		}
	case pg_query.VariableSetKind_VAR_SET_DEFAULT, pg_query.VariableSetKind_VAR_RESET, pg_query.VariableSetKind_VAR_RESET_ALL:
		d.Reset = true
	default:
		return
	}
	p.out = append(p.out, d)
}

// setConfig recognizes SELECT [pg_catalog.]set_config('search_path', 'a, b', is_local).
func (p *ddlParser) setConfig(s *pg_query.SelectStmt) {
	if len(s.GetTargetList()) != 1 || len(s.GetFromClause()) != 0 {
		return
	}
	fc := s.GetTargetList()[0].GetResTarget().GetVal().GetFuncCall()
	if fc == nil {
		return
	}
	names := ddlStrings(fc.GetFuncname())
	if len(names) == 0 || names[len(names)-1] != "set_config" || len(fc.GetArgs()) != 3 {
		return
	}
	args := fc.GetArgs()
	if ddlConstString(args[0]) != "search_path" || args[1].GetAConst() == nil {
		return
	}
	d := &SetSearchPath{Schemas: ddlSplitPath(ddlConstString(args[1])), Pos: p.pos}
	if b := args[2].GetAConst().GetBoolval(); b != nil {
		d.Local = b.GetBoolval()
	}
	p.out = append(p.out, d)
}

// ddlSplitPath splits a search_path string ("a, \"B\", $user") into
// schema names, unquoting quoted ones and folding unquoted ones.
func ddlSplitPath(s string) []string {
	out := []string{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		switch {
		case part == "":
		case len(part) >= 2 && part[0] == '"' && part[len(part)-1] == '"':
			out = append(out, strings.ReplaceAll(part[1:len(part)-1], `""`, `"`))
		default:
			out = append(out, strings.ToLower(part))
		}
	}
	return out
}

// ddlObjectKind maps pg_query's object types to ObjectKind.
func ddlObjectKind(t pg_query.ObjectType) ObjectKind {
	switch t {
	case pg_query.ObjectType_OBJECT_TABLE:
		return ObjTable
	case pg_query.ObjectType_OBJECT_FOREIGN_TABLE:
		return ObjForeignTable
	case pg_query.ObjectType_OBJECT_INDEX:
		return ObjIndex
	case pg_query.ObjectType_OBJECT_VIEW:
		return ObjView
	case pg_query.ObjectType_OBJECT_MATVIEW:
		return ObjMatView
	case pg_query.ObjectType_OBJECT_SEQUENCE:
		return ObjSequence
	case pg_query.ObjectType_OBJECT_SCHEMA:
		return ObjSchema
	case pg_query.ObjectType_OBJECT_TYPE:
		return ObjType
	case pg_query.ObjectType_OBJECT_DOMAIN:
		return ObjDomain
	case pg_query.ObjectType_OBJECT_EXTENSION:
		return ObjExtension
	case pg_query.ObjectType_OBJECT_COLUMN:
		return ObjColumn
	case pg_query.ObjectType_OBJECT_TABCONSTRAINT:
		return ObjConstraint
	}
	return ObjectKind(strings.ToLower(strings.TrimPrefix(t.String(), "OBJECT_")))
}

// ddlRangeVar returns a relation's name; schema fills in a missing schema.
func ddlRangeVar(rv *pg_query.RangeVar, schema string) query.TableName {
	t := query.TableName{Schema: rv.GetSchemaname(), Name: rv.GetRelname()}
	if t.Schema == "" {
		t.Schema = schema
	}
	return t
}

// ddlQualified turns a list of String nodes (schema.name or name) into a
// name; schema fills in a missing schema.
func ddlQualified(names []*pg_query.Node, schema string) query.TableName {
	s := ddlStrings(names)
	switch len(s) {
	case 0:
		return query.TableName{}
	case 1:
		return query.TableName{Schema: schema, Name: s[0]}
	}
	return query.TableName{Schema: s[len(s)-2], Name: s[len(s)-1]}
}

// ddlQualifiedName joins a dotted name, dropping a pg_catalog or public
// qualifier (the canonical form assumes search_path = public).
func ddlQualifiedName(names []*pg_query.Node) string {
	s := ddlStrings(names)
	if len(s) == 2 && (s[0] == "pg_catalog" || s[0] == "public") {
		s = s[1:]
	}
	for i := range s {
		s[i] = QuoteIdent(s[i])
	}
	return strings.Join(s, ".")
}

// ddlCollation formats a COLLATE name as pg_get_indexdef prints it.
func ddlCollation(names []*pg_query.Node) string {
	return ddlQualifiedName(names)
}

// ddlStrings returns the values of String nodes.
func ddlStrings(nodes []*pg_query.Node) []string {
	var out []string
	for _, n := range nodes {
		if s := n.GetString_(); s != nil {
			out = append(out, s.GetSval())
		}
	}
	return out
}

// ddlString returns the value of a String node or a string constant.
func ddlString(n *pg_query.Node) string {
	if s := n.GetString_(); s != nil {
		return s.GetSval()
	}
	return ddlConstString(n)
}

// ddlConstString returns the text of a constant (string, number, bool).
func ddlConstString(n *pg_query.Node) string {
	c := n.GetAConst()
	if c == nil {
		return ""
	}
	switch {
	case c.GetSval() != nil:
		return c.GetSval().GetSval()
	case c.GetIval() != nil:
		return strconv.Itoa(int(c.GetIval().GetIval()))
	case c.GetFval() != nil:
		return c.GetFval().GetFval()
	case c.GetBoolval() != nil:
		return strconv.FormatBool(c.GetBoolval().GetBoolval())
	case c.GetBsval() != nil:
		return c.GetBsval().GetBsval()
	}
	return ""
}

// ddlPartitionSpec formats PARTITION BY as pg_get_partkeydef does.
func ddlPartitionSpec(ps *pg_query.PartitionSpec) string {
	var keys []string
	for _, n := range ps.GetPartParams() {
		pe := n.GetPartitionElem()
		if pe == nil {
			continue
		}
		var k string
		switch {
		case pe.GetName() != "":
			k = QuoteIdent(pe.GetName())
		case pe.GetExpr().GetFuncCall() != nil:
			k = ddlExpr(pe.GetExpr())
		default:
			k = "(" + ddlExpr(pe.GetExpr()) + ")"
		}
		if c := ddlCollation(pe.GetCollation()); c != "" {
			k += " COLLATE " + c
		}
		if o := ddlQualifiedName(pe.GetOpclass()); o != "" {
			k += " " + o
		}
		keys = append(keys, k)
	}
	strategy := strings.TrimPrefix(ps.GetStrategy().String(), "PARTITION_STRATEGY_")
	return fmt.Sprintf("%s (%s)", strategy, strings.Join(keys, ", "))
}

// ddlPartitionBound formats a partition bound as pg_get_expr prints
// relpartbound.
func ddlPartitionBound(b *pg_query.PartitionBoundSpec) string {
	if b == nil {
		return ""
	}
	if b.GetIsDefault() {
		return "DEFAULT"
	}
	list := func(nodes []*pg_query.Node) string {
		var s []string
		for _, n := range nodes {
			if cr := n.GetColumnRef(); cr != nil {
				// MINVALUE and MAXVALUE parse as column references.
				s = append(s, strings.ToUpper(ddlString(cr.GetFields()[len(cr.GetFields())-1])))
				continue
			}
			s = append(s, ddlExpr(n))
		}
		return strings.Join(s, ", ")
	}
	switch b.GetStrategy() {
	case "l":
		return "FOR VALUES IN (" + list(b.GetListdatums()) + ")"
	case "r":
		return "FOR VALUES FROM (" + list(b.GetLowerdatums()) + ") TO (" + list(b.GetUpperdatums()) + ")"
	case "h":
		return fmt.Sprintf("FOR VALUES WITH (modulus %d, remainder %d)", b.GetModulus(), b.GetRemainder())
	}
	return ""
}

// ddlSkipBlanks returns the offset of the first byte at or after off that
// is not white space or part of a comment.
func ddlSkipBlanks(s string, off int) int {
	for off < len(s) {
		switch {
		case s[off] == ' ' || s[off] == '\t' || s[off] == '\n' || s[off] == '\r' || s[off] == '\f' || s[off] == '\v':
			off++
		case strings.HasPrefix(s[off:], "--"):
			i := strings.IndexByte(s[off:], '\n')
			if i < 0 {
				return len(s)
			}
			off += i + 1
		case strings.HasPrefix(s[off:], "/*"):
			depth, i := 0, off
			for i < len(s) {
				if strings.HasPrefix(s[i:], "/*") {
					depth++
					i += 2
				} else if strings.HasPrefix(s[i:], "*/") {
					depth--
					i += 2
					if depth == 0 {
						break
					}
				} else {
					i++
				}
			}
			off = i
		default:
			return off
		}
	}
	return off
}
