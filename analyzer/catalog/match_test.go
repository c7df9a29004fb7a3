package catalog

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pgadvisor/pgadvisor/analyzer/query"
	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
)

// matchSchema is the schema the match tests run against; the indexes are
// written as pg_dump writes them (lower((email)::text)) and as people do.
const matchSchema = `
CREATE TABLE users (id bigint PRIMARY KEY, email varchar(255), org_id int, created_at timestamptz,
	deleted_at timestamptz, status text, score int);
CREATE INDEX users_lower_email ON public.users USING btree (lower((email)::text));
CREATE INDEX users_org_created ON users (org_id, created_at DESC);
CREATE INDEX users_live_created ON users (created_at) WHERE deleted_at IS NULL;
CREATE INDEX users_active ON users (org_id) WHERE status = 'active';
CREATE INDEX users_score_hash ON users USING hash (score);
CREATE INDEX users_day ON users (((created_at AT TIME ZONE 'UTC')::date));
`

// access returns the access to table users of a query's main block.
func access(t *testing.T, c *Catalog, sql string) query.Access {
	t.Helper()
	st, err := sqlparse.Analyze(sql, c)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range st.Accesses() {
		if a.Table.Name == "users" {
			return a
		}
	}
	t.Fatalf("no access to users in %q", sql)
	return query.Access{}
}

// filterExprs returns the column sides of an access's filters.
func filterExprs(a query.Access) []query.Expr {
	var out []query.Expr
	for _, p := range a.Filters {
		out = append(out, p.Left)
	}
	return out
}

func TestLeadingMatchAndApplies(t *testing.T) {
	c, errs := applyFiles(matchSchema)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	tests := []struct {
		sql string
		// want maps index name to LeadingMatch (of the filters' column
		// sides) and Applies (to the filters) as "n/applies".
		want map[string]string
	}{
		{
			sql: "SELECT * FROM users WHERE lower(email) = $1",
			want: map[string]string{"users_lower_email": "1/true", "users_org_created": "0/true", "users_live_created": "0/false",
				"users_active": "0/false", "users_pkey": "0/true", "users_score_hash": "0/true", "users_day": "0/true"},
		},
		{
			sql: "SELECT * FROM users WHERE created_at > now() - interval '1 day' AND org_id = 3",
			want: map[string]string{"users_lower_email": "0/true", "users_org_created": "2/true", "users_live_created": "1/false",
				"users_active": "1/false", "users_pkey": "0/true", "users_score_hash": "0/true", "users_day": "0/true"},
		},
		{
			sql: "SELECT id FROM users WHERE deleted_at IS NULL AND created_at >= $1",
			want: map[string]string{"users_lower_email": "0/true", "users_org_created": "0/true", "users_live_created": "1/true",
				"users_active": "0/false", "users_pkey": "0/true", "users_score_hash": "0/true", "users_day": "0/true"},
		},
		{
			sql: "SELECT id FROM users WHERE status = 'active' AND org_id IN (1, 2)",
			want: map[string]string{"users_lower_email": "0/true", "users_org_created": "1/true", "users_live_created": "0/false",
				"users_active": "1/true", "users_pkey": "0/true", "users_score_hash": "0/true", "users_day": "0/true"},
		},
		{
			sql: "SELECT id FROM users WHERE (created_at AT TIME ZONE 'UTC')::date = $1 AND score = 4",
			want: map[string]string{"users_lower_email": "0/true", "users_org_created": "0/true", "users_live_created": "0/false",
				"users_active": "0/false", "users_pkey": "0/true", "users_score_hash": "1/true", "users_day": "1/true"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.sql, func(t *testing.T) {
			a := access(t, c, tt.sql)
			exprs := filterExprs(a)
			got := map[string]string{}
			for _, ix := range c.IndexesOn(a.Table) {
				got[ix.Name] = strings.Join([]string{itoa(ix.LeadingMatch(exprs)), boolStr(ix.Applies(a.Filters))}, "/")
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("LeadingMatch/Applies (-want +got):\n%s", diff)
			}
		})
	}
}

func itoa(n int) string { return string(rune('0' + n)) }

func boolStr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func TestForeignKeyIndex(t *testing.T) {
	c, errs := applyFiles(`CREATE TABLE p (a int, b int, PRIMARY KEY (a, b));
CREATE TABLE c1 (id int, pa int, pb int, FOREIGN KEY (pa, pb) REFERENCES p);
CREATE INDEX c1_pb_pa ON c1 (pb, pa, id);
CREATE TABLE c2 (pa int, pb int, FOREIGN KEY (pa, pb) REFERENCES p);
CREATE INDEX c2_pa ON c2 (pa);
CREATE INDEX c2_part ON c2 (pa, pb) WHERE pa > 0;
CREATE INDEX c2_expr ON c2 ((pa + 0), pb);
CREATE TABLE c3 (pa int REFERENCES p (a), x int);
CREATE INDEX c3_hash ON c3 USING hash (pa);
CREATE TABLE c4 (pa int, pb int, FOREIGN KEY (pa, pb) REFERENCES p);
CREATE INDEX c4_gin ON c4 USING brin (pa, pb);`)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	want := map[string]string{"c1": "c1_pb_pa", "c2": "", "c3": "c3_hash", "c4": ""}
	got := map[string]string{}
	for _, name := range []string{"c1", "c2", "c3", "c4"} {
		tb := c.Table(query.TableName{Name: name})
		if ix := tb.ForeignKeyIndex(tb.ForeignKeys[0]); ix != nil {
			got[name] = ix.Name
		} else {
			got[name] = ""
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ForeignKeyIndex (-want +got):\n%s", diff)
	}
}

func TestDuplicatesAndRedundancy(t *testing.T) {
	c, errs := applyFiles(`CREATE TABLE t (a int, b int, c text, d int);
CREATE INDEX t_a ON t (a);
CREATE INDEX t_a_again ON t USING btree (a ASC NULLS LAST);
CREATE UNIQUE INDEX t_a_unique ON t (a);
CREATE INDEX t_a_b ON t (a, b);
CREATE INDEX t_a_desc ON t (a DESC);
CREATE INDEX t_b_desc_c ON t (b DESC, c);
CREATE INDEX t_b ON t (b);
CREATE INDEX t_b_asc_c_desc ON t (b, c DESC);
CREATE INDEX t_c_partial ON t (c) WHERE d > 0;
CREATE INDEX t_c_d_partial ON t (c, d) WHERE d > 0;
CREATE INDEX t_c_d_partial2 ON t (c, d) WHERE (d > 0);
CREATE INDEX t_c_ops ON t (c text_pattern_ops);
CREATE INDEX t_c_d ON t (c, d);
CREATE INDEX t_d_inc ON t (d) INCLUDE (a);
CREATE INDEX t_d_a ON t (d, a);
CREATE INDEX t_d_hash ON t USING hash (d);
CREATE INDEX t_lower_c ON t (lower(c));
CREATE INDEX t_lower_c2 ON t (lower(c::text));
CREATE TABLE u (a int PRIMARY KEY, b int);
CREATE INDEX u_a_b ON u (a, b);
-- Reversed keys: NULLS placement decides. (x DESC) is (x) backwards;
-- (x DESC NULLS LAST) is not, it is (x NULLS FIRST) backwards.
CREATE TABLE n (x int, y int, z int);
CREATE INDEX n_x ON n (x, y);
CREATE INDEX n_x_desc_nulls_last ON n (x DESC NULLS LAST, y DESC NULLS LAST);
CREATE INDEX n_x_nulls_first ON n (x NULLS FIRST, y NULLS FIRST);
CREATE INDEX n_x_y_z ON n (x, y, z);
CREATE INDEX n_x_desc_nl ON n (x DESC NULLS LAST);
CREATE INDEX n_z_desc ON n (z DESC);
CREATE INDEX n_z_nf ON n (z NULLS FIRST);
CREATE INDEX n_z_y ON n (z, y);
-- A unique index reversed still duplicates; it is not redundant to a
-- wider index (it enforces uniqueness).
CREATE TABLE w (k int, v int);
CREATE UNIQUE INDEX w_k_key ON w (k);
CREATE INDEX w_k_desc ON w (k DESC);
CREATE UNIQUE INDEX w_k_desc_key ON w (k DESC);
CREATE INDEX w_k_v ON w (k, v);
-- Other methods have no direction to reverse.
CREATE INDEX w_v_brin ON w USING brin (v);
CREATE INDEX w_v_hash ON w USING hash (v);
-- The index of a partition attached to its parent's cannot be dropped
-- alone: never redundant on its own.
CREATE TABLE p (id int, at date) PARTITION BY RANGE (at);
CREATE INDEX p_at ON p (at);
CREATE TABLE p1 PARTITION OF p FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE INDEX p1_at_id ON p1 (at, id);`)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var groups [][]string
	for _, g := range c.DuplicateGroups() {
		var names []string
		for _, ix := range g {
			names = append(names, ix.Name)
		}
		groups = append(groups, names)
	}
	wantGroups := [][]string{
		{"n_x_desc_nulls_last", "n_x_nulls_first"},
		{"t_a", "t_a_again", "t_a_desc", "t_a_unique"},
		{"t_b_asc_c_desc", "t_b_desc_c"},
		{"t_c_d_partial", "t_c_d_partial2"},
		{"t_lower_c", "t_lower_c2"},
		{"w_k_desc", "w_k_desc_key", "w_k_key"},
	}
	if diff := cmp.Diff(wantGroups, groups); diff != "" {
		t.Errorf("DuplicateGroups (-want +got):\n%s", diff)
	}
	var red []string
	for _, r := range c.RedundantIndexes() {
		red = append(red, r.Index.Name+" < "+r.By.Name)
	}
	wantRed := []string{
		"n_x < n_x_y_z",
		"n_x_desc_nl < n_x_desc_nulls_last",
		"n_z_desc < n_z_y",
		"t_a < t_a_b",
		"t_a_again < t_a_b",
		"t_a_desc < t_a_b",
		"t_b < t_b_asc_c_desc",
		"t_c_partial < t_c_d_partial",
		"t_d_inc < t_d_a",
		"w_k_desc < w_k_v",
	}
	if diff := cmp.Diff(wantRed, red); diff != "" {
		t.Errorf("RedundantIndexes (-want +got):\n%s", diff)
	}
}

func TestMatchKeys(t *testing.T) {
	// The same expression index from a hand-written schema and from
	// pg_dump output matches the same query expression.
	for _, ddl := range []string{
		"CREATE TABLE users (email varchar(255)); CREATE INDEX i ON users (lower(email));",
		"CREATE TABLE public.users (email character varying(255)); CREATE INDEX i ON public.users USING btree (lower((email)::text));",
	} {
		c, errs := applyFiles(ddl)
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		a := access(t, c, "SELECT 1 FROM users WHERE lower(email) = 'x'")
		k := c.Index(query.TableName{Name: "i"}).Keys[0]
		if !k.Matches(a.Filters[0].Left) {
			t.Errorf("%s: key %+v does not match %+v", ddl, k, a.Filters[0].Left)
		}
		if k.Matches(query.Expr{Kind: query.ExprColumn, Column: &query.ColumnRef{Column: "email"}}) {
			t.Errorf("%s: expression key matches the bare column", ddl)
		}
		if diff := cmp.Diff([]string{"email"}, k.Columns); diff != "" {
			t.Errorf("key columns (-want +got):\n%s", diff)
		}
	}
}

// TestAppliesImplication checks that a partial index applies to a query
// whose filters imply its predicate, even when written differently or
// stronger, and only then.
func TestAppliesImplication(t *testing.T) {
	c, errs := applyFiles(`CREATE TABLE users (id bigint PRIMARY KEY, x int, status text, deleted_at timestamptz, active boolean);
CREATE INDEX users_x_gt3 ON users (id) WHERE x > 3;
CREATE INDEX users_status_ab ON users (id) WHERE status IN ('a', 'b');
CREATE INDEX users_live ON users (id) WHERE deleted_at IS NULL AND active;`)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	tests := []struct {
		where string
		// want lists the partial indexes that apply.
		want []string
	}{
		{"x > 3", []string{"users_x_gt3"}},
		{"3 < x", []string{"users_x_gt3"}},
		{"x = 5", []string{"users_x_gt3"}},
		{"x > 10 AND x < 20", []string{"users_x_gt3"}},
		{"x BETWEEN 4 AND 9", []string{"users_x_gt3"}},
		{"x IN (4, 7)", []string{"users_x_gt3"}},
		{"x = 3", nil},
		{"x >= 3", nil},
		{"x > 2", nil},
		{"x = $1", nil},
		{"x IN (2, 7)", nil},
		{"x > 3 OR id = 1", nil},
		{"status IN ('a')", []string{"users_status_ab"}},
		{"status = 'b'", []string{"users_status_ab"}},
		{"status IN ('b', 'a')", []string{"users_status_ab"}},
		{"status IN ('a', 'c')", nil},
		{"status = $1", nil},
		{"status <> 'c'", nil},
		{"deleted_at IS NULL AND active", []string{"users_live"}},
		{"active AND deleted_at IS NULL AND x = 9", []string{"users_live", "users_x_gt3"}},
		{"deleted_at IS NULL", nil},
		{"active IS TRUE AND deleted_at IS NULL", []string{"users_live"}},
	}
	for _, tt := range tests {
		t.Run(tt.where, func(t *testing.T) {
			a := access(t, c, "SELECT id FROM users WHERE "+tt.where)
			var got []string
			for _, ix := range c.IndexesOn(a.Table) {
				if ix.Partial() && ix.Applies(a.Filters) {
					got = append(got, ix.Name)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("partial indexes that apply (-want +got):\n%s", diff)
			}
		})
	}
}
