package migration

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCompare(t *testing.T) {
	names := []string{
		"V2__later.sql", "V1.10__ten.sql", "V1__init.sql", "R__views.sql", "V1.1__one.sql", "V1.2__two.sql",
	}
	slices.SortFunc(names, Compare)
	want := []string{"V1__init.sql", "V1.1__one.sql", "V1.2__two.sql", "V1.10__ten.sql", "V2__later.sql", "R__views.sql"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("Flyway order (-want +got):\n%s", diff)
	}
	names = []string{"10_c.up.sql", "2_b.up.sql", "001_a.up.sql", "20240101120000_x.sql", "20231231235959_y.sql"}
	slices.SortFunc(names, Compare)
	want = []string{"001_a.up.sql", "2_b.up.sql", "10_c.up.sql", "20231231235959_y.sql", "20240101120000_x.sql"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("natural order (-want +got):\n%s", diff)
	}
}

func TestCollect(t *testing.T) {
	tests := []struct {
		name  string
		files []string
		plan  string
		want  []string
	}{
		{
			name:  "golang-migrate",
			files: []string{"10_c.up.sql", "10_c.down.sql", "2_b.up.sql", "2_b.down.sql", "1_a.up.sql", "README.md"},
			want:  []string{"1_a.up.sql", "2_b.up.sql", "10_c.up.sql"},
		},
		{
			name:  "flyway",
			files: []string{"V1__init.sql", "V1.1__more.sql", "U1.1__more.sql", "V2__last.sql", "R__views.sql"},
			want:  []string{"V1__init.sql", "V1.1__more.sql", "V2__last.sql", "R__views.sql"},
		},
		{
			name:  "subfolders",
			files: []string{"2024/20240301000000_b.sql", "2023/20231201000000_a.sql"},
			want:  []string{"2023/20231201000000_a.sql", "2024/20240301000000_b.sql"},
		},
		{
			name:  "sqitch plan",
			files: []string{"deploy/users.sql", "deploy/appschema.sql", "revert/users.sql", "verify/users.sql"},
			plan:  "%syntax-version=1.0.0\n%project=app\n\nappschema 2024-01-01T00:00:00Z A <a@b> # schema\nusers [appschema] 2024-01-02T00:00:00Z A <a@b> # users\n@v1.0 2024-01-03T00:00:00Z A <a@b> # tag\n",
			want:  []string{"deploy/appschema.sql", "deploy/users.sql"},
		},
		{
			name:  "sqitch without plan",
			files: []string{"deploy/b.sql", "deploy/a.sql", "revert/a.sql"},
			want:  []string{"deploy/a.sql", "deploy/b.sql"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, f := range tt.files {
				p := filepath.Join(dir, f)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte("SELECT 1;\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if tt.plan != "" {
				if err := os.WriteFile(filepath.Join(dir, "sqitch.plan"), []byte(tt.plan), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			got, err := Collect([]string{dir})
			if err != nil {
				t.Fatal(err)
			}
			for i := range got {
				got[i], _ = filepath.Rel(dir, got[i])
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("order (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("missing", func(t *testing.T) {
		if _, err := Collect([]string{filepath.Join(t.TempDir(), "nope")}); err == nil {
			t.Error("no error for a missing path")
		}
	})
}
