package catalog

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/pgadvisor/pgadvisor/analyzer/dbconn"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
)

// DB is what FromDB reads a live schema through: *pgx.Conn (or a pool).
type DB interface {
	BeginTx(ctx context.Context, opts pgx.TxOptions) (pgx.Tx, error)
}

// FromDB reads the schema of every non-system schema of a live database:
// tables, partitioned tables, views, materialized views and foreign
// tables with their columns (typed by format_type), constraints and
// indexes, user-defined types, extensions, and the planner's statistics
// (pg_class, pg_stat_user_tables, pg_stat_user_indexes, pg_stats).
//
// It runs read-only queries in one REPEATABLE READ READ ONLY transaction
// (a consistent snapshot), with search_path set to public for that
// transaction only, so that types, defaults and index definitions are
// printed in the same canonical form as DDL files give. Objects that
// belong to extensions are left out, as pg_dump leaves them out.
func FromDB(ctx context.Context, db DB) (*Catalog, error) {
	tx, err := db.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, fmt.Errorf("read catalog: begin: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // read-only: nothing to lose
	c := New()
	r := &dbReader{c: c, tx: markedTx{tx}, rels: map[uint32]*Table{}}
	steps := []struct {
		name string
		fn   func(context.Context) error
	}{
		{"search path", r.searchPath},
		{"schemas", r.schemas},
		{"types", r.types},
		{"relations", r.relations},
		{"inheritance", r.inheritance},
		{"columns", r.columns},
		{"indexes", r.indexes},
		{"constraints", r.constraints},
		{"view dependencies", r.viewDeps},
		{"statistics", r.stats},
	}
	for _, st := range steps {
		if err := st.fn(ctx); err != nil {
			return nil, fmt.Errorf("read catalog %s: %w", st.name, err)
		}
	}
	c.normalize()
	return c, nil
}

// markedTx marks every statement of the catalog reader as pgadvisor's
// (dbconn.Marker): pg_stat_statements readers leave them out.
type markedTx struct{ pgx.Tx }

func (t markedTx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	return t.Tx.Query(ctx, dbconn.Mark(sql), args...)
}

func (t markedTx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return t.Tx.QueryRow(ctx, dbconn.Mark(sql), args...)
}

func (t markedTx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	return t.Tx.Exec(ctx, dbconn.Mark(sql), args...)
}

// dbReader holds the state of one FromDB call.
type dbReader struct {
	c    *Catalog
	tx   markedTx
	rels map[uint32]*Table
	idx  map[uint32]*Index
}

// userNamespaces is the condition selecting user schemas of namespace
// alias n.
const userNamespaces = `n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
	AND n.nspname NOT LIKE 'pg\_temp\_%' AND n.nspname NOT LIKE 'pg\_toast\_temp\_%'`

// lockedByOther is the condition that another session holds, or waits
// for, an ACCESS EXCLUSIVE lock on relation oid (ALTER TABLE, VACUUM
// FULL, LOCK TABLE): pg_get_expr and pg_get_indexdef would wait for it
// (and `analyze --db` write no report), so they are not called for it.
func lockedByOther(oid string) string {
	return fmt.Sprintf(`EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'relation'
		AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
		AND l.relation = %s AND l.mode = 'AccessExclusiveLock' AND l.pid <> pg_backend_pid())`, oid)
}

// notExtensionMember is the condition leaving out objects of class cls
// (a regclass name) with oid expression oid that belong to an extension.
func notExtensionMember(cls, oid string) string {
	return fmt.Sprintf(`NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '%s'::regclass
	AND d.objid = %s AND d.deptype = 'e')`, cls, oid)
}

// searchPath reads the session's search path, then sets it to public for
// the transaction so that names are printed in canonical form.
func (r *dbReader) searchPath(ctx context.Context) error {
	var path []string
	if err := r.tx.QueryRow(ctx, `SELECT current_schemas(false)::text[]`).Scan(&path); err != nil {
		return err
	}
	if len(path) > 0 {
		r.c.SearchPath = path
	}
	_, err := r.tx.Exec(ctx, `SELECT set_config('search_path', 'public', true)`)
	return err
}

// schemas reads the user schemas, extensions and sequences.
func (r *dbReader) schemas(ctx context.Context) error {
	r.c.Schemas = map[string]bool{}
	rows, err := r.tx.Query(ctx, `SELECT n.nspname FROM pg_namespace n WHERE `+userNamespaces)
	if err != nil {
		return err
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	for _, n := range names {
		r.c.Schemas[n] = true
	}
	rows, err = r.tx.Query(ctx, `SELECT extname FROM pg_extension`)
	if err != nil {
		return err
	}
	if names, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		return err
	}
	for _, n := range names {
		r.c.Extensions[n] = true
	}
	rows, err = r.tx.Query(ctx, `SELECT n.nspname || '.' || c.relname FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'S' AND `+userNamespaces)
	if err != nil {
		return err
	}
	if names, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		return err
	}
	for _, n := range names {
		r.c.sequences[n] = true
	}
	return nil
}

// types reads enums, domains, composite and range types.
func (r *dbReader) types(ctx context.Context) error {
	rows, err := r.tx.Query(ctx, `SELECT n.nspname, t.typname, t.typtype,
		CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END,
		ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder)
	FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
	WHERE t.typtype IN ('e', 'd', 'r', 'b', 'c')
	  AND (t.typtype <> 'c' OR (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c')
	  AND (t.typtype <> 'b' OR t.typelem = 0 OR t.typcategory <> 'A')
	  AND `+userNamespaces+` AND `+notExtensionMember("pg_type", "t.oid"))
	if err != nil {
		return err
	}
	defer rows.Close()
	kinds := map[string]string{"e": "enum", "d": "domain", "r": "range", "b": "base", "c": "composite"}
	for rows.Next() {
		var schema, name, typtype string
		var base *string
		var values []string
		if err := rows.Scan(&schema, &name, &typtype, &base, &values); err != nil {
			return err
		}
		ty := &Type{Schema: schema, Name: name, Kind: kinds[typtype]}
		if typtype == "e" {
			ty.Values = values
		}
		if base != nil {
			ty.Base = *base
		}
		r.c.Types[Key(schema, name)] = ty
	}
	return rows.Err()
}

// relations reads tables, views, materialized views and foreign tables
// with their table-level statistics.
func (r *dbReader) relations(ctx context.Context) error {
	rows, err := r.tx.Query(ctx, `SELECT c.oid, n.nspname, c.relname, c.relkind,
		CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END,
		CASE WHEN c.relkind = 'p' AND NOT `+lockedByOther("c.oid")+` THEN pg_get_partkeydef(c.oid) END,
		CASE WHEN c.relispartition AND NOT `+lockedByOther("c.oid")+` THEN pg_get_expr(c.relpartbound, c.oid) END,
		c.reltuples::float8, c.relpages::int8,
		-- Sizes from relpages (as of the last VACUUM or ANALYZE), not
		-- pg_table_size, which waits for the lock of a table another
		-- session holds exclusively (ALTER TABLE, VACUUM FULL, LOCK).
		CASE WHEN c.relkind IN ('r', 'm', 'p')
			THEN (c.relpages::int8 + COALESCE(toast.relpages, 0)::int8) * current_setting('block_size')::int8
			ELSE 0 END,
		COALESCE(s.seq_scan, 0), COALESCE(s.idx_scan, 0), COALESCE(s.n_tup_ins, 0),
		COALESCE(s.n_tup_upd, 0), COALESCE(s.n_tup_del, 0), COALESCE(s.n_live_tup, 0),
		COALESCE(s.n_dead_tup, 0)
	FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	LEFT JOIN pg_class toast ON toast.oid = c.reltoastrelid
	LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
	WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND `+userNamespaces+`
	  AND `+notExtensionMember("pg_class", "c.oid"))
	if err != nil {
		return err
	}
	defer rows.Close()
	kinds := map[string]RelKind{"r": KindTable, "p": KindPartitioned, "v": KindView, "m": KindMatView, "f": KindForeign}
	for rows.Next() {
		var oid uint32
		var schema, name, relkind string
		var viewdef, partkey, bound *string
		st := &TableStats{}
		if err := rows.Scan(&oid, &schema, &name, &relkind, &viewdef, &partkey, &bound,
			&st.RowEstimate, &st.Pages, &st.SizeBytes, &st.SeqScans, &st.IdxScans,
			&st.Inserts, &st.Updates, &st.Deletes, &st.LiveTuples, &st.DeadTuples); err != nil {
			return err
		}
		t := &Table{Schema: schema, Name: name, Kind: kinds[relkind], Stats: st}
		if viewdef != nil {
			t.ViewQuery = *viewdef
			if q, err := sqlparse.CanonicalQuery(*viewdef); err == nil {
				t.ViewQuery = q
			}
		}
		if partkey != nil {
			t.PartitionKey = canonicalPartKey(*partkey)
		}
		if bound != nil {
			t.PartitionBound = *bound
		}
		r.rels[oid] = t
		r.c.Tables[t.Key()] = t
	}
	return rows.Err()
}

// canonicalPartKey puts a pg_get_partkeydef text in the form the DDL
// parser gives PARTITION BY.
func canonicalPartKey(def string) string {
	ops, err := sqlparse.ParseDDL("CREATE TABLE x () PARTITION BY " + def)
	if err != nil || len(ops) != 1 {
		return def
	}
	if ct, ok := ops[0].(*sqlparse.CreateTable); ok && ct.PartitionBy != "" {
		return ct.PartitionBy
	}
	return def
}

// inheritance reads partition parents, INHERITS parents and the parents
// of partition indexes.
func (r *dbReader) inheritance(ctx context.Context) error {
	rows, err := r.tx.Query(ctx, `SELECT i.inhrelid, pn.nspname, p.relname, c.relispartition, c.relkind
	FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
	JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = p.relnamespace
	ORDER BY i.inhrelid, i.inhseqno`)
	if err != nil {
		return err
	}
	defer rows.Close()
	r.idx = map[uint32]*Index{}
	for rows.Next() {
		var oid uint32
		var schema, name, relkind string
		var isPartition bool
		if err := rows.Scan(&oid, &schema, &name, &isPartition, &relkind); err != nil {
			return err
		}
		if relkind == "i" || relkind == "I" {
			// Index partitions: recorded once indexes are read.
			r.idx[oid] = &Index{Parent: Key(schema, name)}
			continue
		}
		t := r.rels[oid]
		if t == nil {
			continue
		}
		if isPartition {
			t.PartitionOf = Key(schema, name)
		} else {
			t.Inherits = append(t.Inherits, Key(schema, name))
			r.c.inherits = true
		}
	}
	return rows.Err()
}

// columns reads the columns of the relations, in attnum order.
func (r *dbReader) columns(ctx context.Context) error {
	rows, err := r.tx.Query(ctx, `SELECT a.attrelid, a.attname, format_type(a.atttypid, a.atttypmod),
		a.attnotnull, CASE WHEN NOT `+lockedByOther("d.adrelid")+` THEN pg_get_expr(d.adbin, d.adrelid) END, a.attgenerated::text, a.attidentity::text,
		CASE WHEN a.attcollation <> t.typcollation AND a.attcollation <> 0 THEN
			CASE WHEN cn.nspname IN ('pg_catalog', 'public') THEN quote_ident(co.collname)
			ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END END
	FROM pg_attribute a
	JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
	JOIN pg_type t ON t.oid = a.atttypid
	LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
	LEFT JOIN pg_collation co ON co.oid = a.attcollation
	LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
	WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
	  AND `+userNamespaces+`
	ORDER BY a.attrelid, a.attnum`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var oid uint32
		var name, typ, generated, identity string
		var notNull bool
		var def, coll *string
		if err := rows.Scan(&oid, &name, &typ, &notNull, &def, &generated, &identity, &coll); err != nil {
			return err
		}
		t := r.rels[oid]
		if t == nil {
			continue
		}
		col := &Column{Name: name, Type: typ, NotNull: notNull, Identity: identity != ""}
		if coll != nil {
			col.Collation = *coll
		}
		if def != nil {
			text := canonicalExpr(*def)
			if generated != "" {
				col.Generated = text
			} else {
				col.Default = text
			}
		}
		t.Columns = append(t.Columns, col)
	}
	return rows.Err()
}

// canonicalExpr returns the canonical text of a server-printed expression
// (unchanged if it does not parse).
func canonicalExpr(expr string) string {
	if s, err := sqlparse.CanonicalExpr(expr); err == nil && s != "" {
		return s
	}
	return expr
}

// indexes reads every index of the relations from pg_index, with
// pg_get_indexdef parsed as DDL to get keys, INCLUDE and predicate in the
// same form as DDL files give.
func (r *dbReader) indexes(ctx context.Context) error {
	rows, err := r.tx.Query(ctx, `SELECT i.indexrelid, i.indrelid, n.nspname, ic.relname,
		i.indisunique, i.indisprimary, i.indisvalid,
		CASE WHEN NOT `+lockedByOther("i.indrelid")+` AND NOT `+lockedByOther("i.indexrelid")+`
			THEN pg_get_indexdef(i.indexrelid) END,
		ic.relpages::int8 * current_setting('block_size')::int8, s.idx_scan,
		(SELECT con.conname FROM pg_constraint con WHERE con.conindid = i.indexrelid
			AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x'))
	FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
	JOIN pg_namespace n ON n.oid = ic.relnamespace
	LEFT JOIN pg_stat_user_indexes s ON s.indexrelid = i.indexrelid
	WHERE `+userNamespaces+`
	ORDER BY n.nspname, ic.relname`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var oid, relid uint32
		var schema, name string
		var def *string
		var unique, primary, valid bool
		var size int64
		var scans *int64
		var con *string
		if err := rows.Scan(&oid, &relid, &schema, &name, &unique, &primary, &valid, &def, &size, &scans, &con); err != nil {
			return err
		}
		t := r.rels[relid]
		if t == nil {
			continue
		}
		if def == nil {
			r.c.Errors = append(r.c.Errors, &LoadError{File: "--db", Message: fmt.Sprintf(
				"index %s.%s not read: another session holds or awaits an exclusive lock on it or its table", schema, name)})
			continue
		}
		ix := &Index{Schema: schema, Name: name, Table: t.Key(), Unique: unique, Primary: primary,
			Valid: valid, Definition: *def, SizeBytes: size, Scans: -1}
		if scans != nil {
			ix.Scans = *scans
		}
		if con != nil {
			ix.Constraint = *con
		}
		if p := r.idx[oid]; p != nil {
			ix.Parent = p.Parent
		}
		ops, err := sqlparse.ParseDDL(*def)
		if err != nil || len(ops) != 1 {
			return fmt.Errorf("parse definition of index %s: %q: %v", ix.Key(), *def, err)
		}
		ci, ok := ops[0].(*sqlparse.CreateIndex)
		if !ok {
			return fmt.Errorf("parse definition of index %s: %q is not CREATE INDEX", ix.Key(), *def)
		}
		ix.Method, ix.Include, ix.NullsNotDistinct = ci.Method, ci.Include, ci.NullsNotDistinct
		for _, k := range ci.Keys {
			ix.Keys = append(ix.Keys, r.c.indexKey(t, k))
		}
		if ci.Where != "" {
			ix.Predicate = ci.Where
			ix.Where = predicatesFor(ci.Where, t)
		}
		r.c.Indexes[ix.Key()] = ix
		t.Indexes = append(t.Indexes, ix)
	}
	return rows.Err()
}

// constraints reads primary key, unique, check, exclusion and foreign
// key constraints.
func (r *dbReader) constraints(ctx context.Context) error {
	rows, err := r.tx.Query(ctx, `SELECT con.conrelid, con.conname, con.contype::text,
		ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(num, ord)
			JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.ord),
		fn.nspname, fc.relname,
		ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(num, ord)
			JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.ord),
		con.confupdtype::text, con.confdeltype::text, con.confmatchtype::text,
		con.condeferrable, con.convalidated, con.connoinherit,
		CASE WHEN con.contype = 'c' AND NOT `+lockedByOther("con.conrelid")+` THEN pg_get_expr(con.conbin, con.conrelid) END,
		inn.nspname, ic.relname
	FROM pg_constraint con
	JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
	LEFT JOIN pg_class fc ON fc.oid = con.confrelid LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
	LEFT JOIN pg_class ic ON ic.oid = con.conindid AND con.contype IN ('p', 'u', 'x')
	LEFT JOIN pg_namespace inn ON inn.oid = ic.relnamespace
	WHERE con.contype IN ('p', 'u', 'c', 'f', 'x') AND `+userNamespaces+`
	ORDER BY con.conrelid, con.conname`)
	if err != nil {
		return err
	}
	defer rows.Close()
	actions := map[string]string{"a": "", "r": "restrict", "c": "cascade", "n": "set null", "d": "set default"}
	for rows.Next() {
		var relid uint32
		var name, contype, updType, delType, matchType string
		var cols, refCols []string
		var refSchema, refName, check, ixSchema, ixName *string
		var deferrable, validated, noInherit bool
		if err := rows.Scan(&relid, &name, &contype, &cols, &refSchema, &refName, &refCols,
			&updType, &delType, &matchType, &deferrable, &validated, &noInherit, &check, &ixSchema, &ixName); err != nil {
			return err
		}
		t := r.rels[relid]
		if t == nil {
			continue
		}
		con := &Constraint{Name: name, Columns: cols}
		if ixName != nil {
			con.Index = Key(*ixSchema, *ixName)
		}
		switch contype {
		case "p":
			con.Kind = ConPrimary
			t.PrimaryKey = con
		case "u":
			con.Kind = ConUnique
			t.Uniques = append(t.Uniques, con)
		case "x":
			con.Kind = ConExclude
			t.Excludes = append(t.Excludes, con)
		case "c":
			con.Kind = ConCheck
			con.NoInherit = noInherit
			if check != nil {
				con.Expr = canonicalExpr(*check)
			}
			t.Checks = append(t.Checks, con)
		case "f":
			fk := &ForeignKey{Name: name, Columns: cols, RefColumns: refCols,
				OnUpdate: actions[updType], OnDelete: actions[delType],
				Match:      map[string]string{"f": "full", "p": "partial"}[matchType],
				Deferrable: deferrable, NotValid: !validated}
			if refName != nil {
				fk.RefTable = Key(*refSchema, *refName)
			}
			t.ForeignKeys = append(t.ForeignKeys, fk)
		}
	}
	return rows.Err()
}

// viewDeps reads the relations each view and materialized view reads,
// from the dependencies of its rewrite rule.
func (r *dbReader) viewDeps(ctx context.Context) error {
	rows, err := r.tx.Query(ctx, `SELECT DISTINCT rw.ev_class, dn.nspname, dc.relname
	FROM pg_rewrite rw
	JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = rw.oid AND d.refclassid = 'pg_class'::regclass
	JOIN pg_class dc ON dc.oid = d.refobjid JOIN pg_namespace dn ON dn.oid = dc.relnamespace
	JOIN pg_class vc ON vc.oid = rw.ev_class
	WHERE vc.relkind IN ('v', 'm') AND d.refobjid <> rw.ev_class AND dc.relkind IN ('r', 'p', 'v', 'm', 'f')
	ORDER BY 1, 2, 3`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var oid uint32
		var schema, name string
		if err := rows.Scan(&oid, &schema, &name); err != nil {
			return err
		}
		if v := r.rels[oid]; v != nil {
			v.DependsOn = append(v.DependsOn, Key(schema, name))
		}
	}
	return rows.Err()
}

// stats reads pg_stats for every column of the relations: the
// non-inherited row where there is one (a partitioned table has only
// inherited rows).
func (r *dbReader) stats(ctx context.Context) error {
	rows, err := r.tx.Query(ctx, `SELECT s.schemaname::text, s.tablename::text, s.attname::text,
		s.null_frac::float8, s.n_distinct::float8, s.correlation::float8, s.avg_width,
		s.most_common_vals::text::text[], s.most_common_freqs::float8[], s.histogram_bounds::text::text[]
	FROM pg_stats s
	WHERE s.schemaname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
	ORDER BY s.schemaname, s.tablename, s.attname, s.inherited`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var schema, table, col string
		var corr *float64
		st := &ColumnStats{}
		if err := rows.Scan(&schema, &table, &col, &st.NullFrac, &st.NDistinct, &corr, &st.AvgWidth,
			&st.MostCommon, &st.MostFreqs, &st.Histogram); err != nil {
			return err
		}
		if corr != nil {
			st.Correlation = *corr
		}
		t := r.c.Tables[Key(schema, table)]
		if t == nil {
			continue
		}
		if c := t.Column(col); c != nil && c.Stats == nil {
			c.Stats = st
		}
	}
	return rows.Err()
}
