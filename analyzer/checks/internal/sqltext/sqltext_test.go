package sqltext

import "testing"

func TestFirstToken(t *testing.T) {
	tests := []struct {
		text string
		from int
		want int
	}{
		{"SELECT 1", 0, 0},
		{"  \n\tSELECT 1", 0, 4},
		{"-- c\nSELECT", 0, 5},
		{"/* a /* nested */ b */ x", 0, 23},
		{"-- only a comment", 0, 17},
		{"a  b", 1, 3},
		{"", 0, 0},
	}
	for _, tt := range tests {
		if got := FirstToken(tt.text, tt.from); got != tt.want {
			t.Errorf("FirstToken(%q, %d) = %d, want %d", tt.text, tt.from, got, tt.want)
		}
	}
}

func TestFind(t *testing.T) {
	tests := []struct {
		name, text string
		from       int
		word       string
		want       int
	}{
		{"keyword", "SELECT a FROM t OFFSET 5", 0, "offset", 16},
		{"case", "select a from t offset 5", 0, "OFFSET", 16},
		{"not inside identifier", "SELECT offset_x, y offset 3", 0, "offset", 19},
		{"not in string", "SELECT 'offset' OFFSET 3", 0, "offset", 16},
		{"not in quoted identifier", `SELECT "offset" OFFSET 3`, 0, "offset", 16},
		{"not in comment", "SELECT 1 -- offset\nOFFSET 2", 0, "offset", 19},
		{"not in block comment", "SELECT /* offset */ 1 OFFSET 2", 0, "offset", 22},
		{"not in dollar quote", "SELECT $x$ offset $x$ OFFSET 2", 0, "offset", 22},
		{"param is not a dollar quote", "SELECT $1 OFFSET $2", 0, "offset", 10},
		{"doubled quote", "SELECT 'it''s offset' OFFSET 1", 0, "offset", 22},
		{"symbol", "SELECT 2 * 3, * FROM t", 0, "*", 9},
		{"from", "SELECT * FROM (SELECT * FROM t)", 10, "*", 22},
		{"missing", "SELECT 1", 0, "offset", -1},
		{"unterminated dollar", "SELECT $a$ offset", 0, "offset", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Find(tt.text, tt.from, tt.word); got != tt.want {
				t.Errorf("Find(%q, %d, %q) = %d, want %d", tt.text, tt.from, tt.word, got, tt.want)
			}
		})
	}
}

func TestFindBefore(t *testing.T) {
	text := "WITH d AS (DELETE FROM q) DELETE FROM t"
	if got := FindBefore(text, 38, "delete"); got != 26 {
		t.Errorf("FindBefore = %d, want 26", got)
	}
	if got := FindBefore(text, 20, "delete"); got != 11 {
		t.Errorf("FindBefore = %d, want 11", got)
	}
	if got := FindBefore(text, 5, "delete"); got != -1 {
		t.Errorf("FindBefore = %d, want -1", got)
	}
}

func TestExprStart(t *testing.T) {
	tests := []struct {
		text string
		at   int
		want int
	}{
		{"WHERE lower(email) = $1", 12, 6},
		{"WHERE lower( trim(email)) = $1", 18, 6},
		{"WHERE pg_catalog.lower(email) = $1", 23, 6},
		{"WHERE (a + b) > 1", 7, 6},
		{"WHERE(a) > 1", 6, 5},
		{"WHERE a = 1", 6, 6},
		{"AND coalesce(x, 0) = 1", 13, 4},
	}
	for _, tt := range tests {
		if got := ExprStart(tt.text, tt.at); got != tt.want {
			t.Errorf("ExprStart(%q, %d) = %d, want %d", tt.text, tt.at, got, tt.want)
		}
	}
}
