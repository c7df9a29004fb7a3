package sqlparse

import "testing"

// TestFingerprintNumberedRelations checks that statements on tables whose
// names differ only in digit runs (pg_query's fingerprint ignores them)
// get different fingerprints, and that constants and aliases still do
// not make a difference.
func TestFingerprintNumberedRelations(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"SELECT * FROM t10 WHERE id = 1", "SELECT * FROM t11 WHERE id = 1", false},
		{"SELECT * FROM orders_2023 o WHERE o.id = 1", "SELECT * FROM orders_2024 o WHERE o.id = 1", false},
		{"SELECT * FROM s10.t WHERE id = 1", "SELECT * FROM s11.t WHERE id = 1", false},
		{"UPDATE t10 SET v = 1 WHERE id = 2", "UPDATE t11 SET v = 1 WHERE id = 2", false},
		{"SELECT * FROM t10 WHERE id = 1", "SELECT * FROM t10 WHERE id = 2", true},
		{"SELECT * FROM t10 a JOIN t20 b ON a.id = b.id", "SELECT * FROM t10 x JOIN t20 y ON x.id = y.id", false},
		{"SELECT * FROM t10 a JOIN t20 b ON a.id = b.id", "select * from t10 a join t20 b on a.id = b.id", true},
		// Aliases name no table.
		{"SELECT a FROM t x10", "SELECT a FROM t x11", true},
		{"SELECT * FROM t1 WHERE id = 1", "SELECT * FROM t1 WHERE id = 5", true},
	} {
		t.Run(tc.a+" | "+tc.b, func(t *testing.T) {
			fa, err := Fingerprint(tc.a)
			if err != nil {
				t.Fatal(err)
			}
			fb, err := Fingerprint(tc.b)
			if err != nil {
				t.Fatal(err)
			}
			if (fa == fb) != tc.same {
				t.Errorf("fingerprints %s, %s: same = %v, want %v", fa, fb, fa == fb, tc.same)
			}
			if len(fa) != 16 {
				t.Errorf("fingerprint %q is not 16 hex digits", fa)
			}
		})
	}
}
