package nplusone

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
)

// burst returns the calls of an extended-protocol burst of sql, one per
// row of values ($1, $2, ...).
func burst(sql string, rows ...[]string) []Call {
	var out []Call
	for _, r := range rows {
		c := Call{Text: sql, Params: []*string{}}
		for _, v := range r {
			c.Params = append(c.Params, &v)
		}
		out = append(out, c)
	}
	return out
}

func TestBuild(t *testing.T) {
	ids := [][]string{{"1"}, {"2"}, {"3"}}
	for _, tc := range []struct {
		name   string
		loop   string
		parent string
		calls  [][]string
		want   Rewrite
	}{
		{
			name:  "key already selected",
			loop:  "SELECT id, name FROM users WHERE id = $1",
			calls: ids,
			want:  Rewrite{Form: "any", SQL: "SELECT id, name FROM users WHERE id = ANY($1)", Param: 1, Column: "id"},
		},
		{
			name:  "key added to the select list",
			loop:  "SELECT name FROM users WHERE id = $1",
			calls: ids,
			want:  Rewrite{Form: "any", SQL: "SELECT id, name FROM users WHERE id = ANY($1)", Param: 1, Column: "id", Added: 1},
		},
		{
			name:  "aggregate grouped by the key",
			loop:  "SELECT count(*) FROM comments WHERE post_id = $1",
			calls: ids,
			want: Rewrite{Form: "any-group-by", SQL: "SELECT post_id, count(*) FROM comments WHERE post_id = ANY($1) GROUP BY post_id",
				Param: 1, Column: "post_id", Added: 1, Note: "a value without rows gives no row (the loop's aggregate over no rows, e.g. count 0)"},
		},
		{
			name:  "GROUP BY before ORDER BY, qualified key",
			loop:  "SELECT sum(c.likes) FROM comments c JOIN posts p ON p.id = c.post_id WHERE p.published AND c.post_id = $1 ORDER BY 1",
			calls: ids,
			want: Rewrite{Form: "any-group-by", SQL: "SELECT c.post_id, sum(c.likes) FROM comments c JOIN posts p ON p.id = c.post_id WHERE p.published AND c.post_id = ANY($1) GROUP BY c.post_id ORDER BY 1",
				Param: 1, Column: "post_id", Added: 1, Note: "a value without rows gives no row (the loop's aggregate over no rows, e.g. count 0)"},
		},
		{
			name:  "the varying parameter is the second one",
			loop:  "SELECT id FROM comments WHERE deleted = $1 AND post_id = $2",
			calls: [][]string{{"false", "1"}, {"false", "2"}},
			want:  Rewrite{Form: "any", SQL: "SELECT post_id, id FROM comments WHERE deleted = $1 AND post_id = ANY($2)", Param: 2, Column: "post_id", Added: 1},
		},
		{
			name:  "LIMIT per value: lateral, with text values",
			loop:  "SELECT id FROM posts WHERE slug = $1 ORDER BY id DESC LIMIT 2",
			calls: [][]string{{"a"}, {"b"}},
			want: Rewrite{Form: "lateral", Param: 1, Column: "slug", Added: 1,
				SQL: "SELECT batch_values.value AS slug, batch_rows.* FROM unnest($1::text[]) AS batch_values(value) CROSS JOIN LATERAL (SELECT id FROM posts WHERE slug = batch_values.value ORDER BY id DESC LIMIT 2) AS batch_rows"},
		},
		{
			name:   "joined with the parent that selects the key",
			loop:   "SELECT body FROM comments WHERE post_id = $1 LIMIT $2",
			parent: "SELECT id, title FROM posts WHERE blog_id = $1",
			calls:  [][]string{{"1", "3"}, {"2", "3"}},
			want: Rewrite{Form: "lateral", Param: 1, Column: "post_id", Added: 1,
				SQL:        "SELECT batch_values.value AS post_id, batch_rows.* FROM unnest($1::bigint[]) AS batch_values(value) CROSS JOIN LATERAL (SELECT body FROM comments WHERE post_id = batch_values.value LIMIT $2) AS batch_rows",
				Join:       "SELECT parent.id, batch_rows.* FROM (SELECT id, title FROM posts WHERE blog_id = $1) AS parent CROSS JOIN LATERAL (SELECT body FROM comments WHERE post_id = parent.id LIMIT $3) AS batch_rows",
				JoinColumn: "id"},
		},
		{
			name:   "joined through the parent's foreign key",
			loop:   "SELECT id, name FROM users WHERE id = $1",
			parent: "SELECT id, author_id, title FROM posts WHERE blog_id = $1",
			calls:  ids,
			want: Rewrite{Form: "any", SQL: "SELECT id, name FROM users WHERE id = ANY($1)", Param: 1, Column: "id",
				Join:       "SELECT parent.author_id, batch_rows.* FROM (SELECT id, author_id, title FROM posts WHERE blog_id = $1) AS parent CROSS JOIN LATERAL (SELECT id, name FROM users WHERE id = parent.author_id) AS batch_rows",
				JoinColumn: "author_id"},
		},
		{
			name:   "no join when the parent's columns do not say",
			loop:   "SELECT id, name FROM users WHERE id = $1",
			parent: "SELECT a_id, b_id FROM pairs",
			calls:  ids,
			want:   Rewrite{Form: "any", SQL: "SELECT id, name FROM users WHERE id = ANY($1)", Param: 1, Column: "id"},
		},
		{
			name:  "batched update",
			loop:  "UPDATE counters SET hits = hits + 1 WHERE id = $1",
			calls: ids,
			want: Rewrite{Form: "any", SQL: "UPDATE counters SET hits = hits + 1 WHERE id = ANY($1)", Param: 1, Column: "id",
				Note: "each value once: a value passed twice by the loop is written once"},
		},
		{
			name:  "batched insert",
			loop:  "INSERT INTO events (counter_id, note) VALUES ($1, $2)",
			calls: [][]string{{"1", "a"}, {"2", "b"}},
			want: Rewrite{Form: "unnest-insert", SQL: "INSERT INTO events (counter_id, note) SELECT * FROM unnest($1::bigint[], $2::text[])", Param: 1,
				Note: "each parameter takes the array of its values, in the same order"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := &Loop{Kind: KindLoop, Normalized: tc.loop, Example: burst(tc.loop, tc.calls...)}
			if tc.parent != "" {
				l.ParentNormalized = tc.parent
				l.Parent = &burst(tc.parent, []string{"1"})[0]
			}
			got, err := Build(l)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, *got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			for _, sql := range []string{got.SQL, got.Join} {
				if sql == "" {
					continue
				}
				if _, err := sqlparse.Analyze(sql, nil); err != nil {
					t.Errorf("does not parse: %v\n%s", err, sql)
				}
			}
		})
	}
}

func TestBuildErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		loop string
		rows [][]string
	}{
		{"nothing varies and no equality", "SELECT value FROM settings WHERE key LIKE $1", [][]string{{"a"}, {"a"}}},
		{"no query", "not sql at all", [][]string{{"1"}, {"2"}}},
		{"an update whose other values vary", "UPDATE t SET x = $1 WHERE id = $2", [][]string{{"1", "1"}, {"2", "2"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := &Loop{Normalized: tc.loop, Example: burst(tc.loop, tc.rows...)}
			if rw, err := Build(l); err == nil {
				t.Errorf("want an error, got %+v", rw)
			}
		})
	}
}

func TestValues(t *testing.T) {
	s := func(v string) *string { return &v }
	for _, tc := range []struct {
		text string
		want []*string
	}{
		{"SELECT a FROM t WHERE b = 'it''s' AND c = -5 AND d IS NULL LIMIT 10", []*string{s("it's"), s("-5"), nil, s("10")}},
		{"SELECT x - 1 FROM t WHERE y = E'a' /* 7 */", []*string{s("1"), s("a")}},
	} {
		t.Run(tc.text, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, Values(Call{Text: tc.text})); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
