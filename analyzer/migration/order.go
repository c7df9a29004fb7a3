// Package migration reads sets of SQL migrations: it finds their files
// and puts them in the order migration tools apply them, and applies
// them statement by statement to a catalog, so that each statement is
// checked against the schema as it stands when it runs.
package migration

import (
	"bufio"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Collect expands paths, files or directories of migrations, into the
// migration files to apply, in order. A file named on the command line
// is taken as it is, in the place given. A directory contributes its .sql
// files (subdirectories too) sorted by name with numbers compared as
// numbers, which orders every common layout: NNN_name.sql,
// NNN_name.up.sql (golang-migrate, whose .down.sql files are skipped),
// timestamped 20240101120000_name.sql, and Flyway's V1__name.sql and
// V1.1__name.sql (versions compared part by part, repeatable R__ scripts
// after them, undo U scripts skipped). A sqitch project (a directory with
// sqitch.plan, or with a deploy/ folder) contributes deploy/<change>.sql
// in the plan's order (revert/ and verify/ are skipped).
func Collect(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("read migrations %q: %w", p, err)
		}
		if !info.IsDir() {
			out = append(out, p)
			continue
		}
		files, err := collectDir(p)
		if err != nil {
			return nil, err
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("read migrations %q: no .sql files in the directory", p)
		}
		out = append(out, files...)
	}
	return out, nil
}

// collectDir lists one directory's migrations in order.
func collectDir(dir string) ([]string, error) {
	if plan := filepath.Join(dir, "sqitch.plan"); exists(plan) {
		return sqitchPlan(dir, plan)
	}
	if deploy := filepath.Join(dir, "deploy"); isDir(deploy) {
		dir = deploy
	}
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != dir && (name == "revert" || name == "verify" || name == "down" || strings.HasPrefix(name, ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if skipped(name) {
			return nil
		}
		files = append(files, path)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read migrations %q: %w", dir, err)
	}
	slices.SortStableFunc(files, func(a, b string) int {
		return cmp.Or(Compare(filepath.Base(a), filepath.Base(b)), Compare(a, b))
	})
	return files, nil
}

// skipped reports whether a file in a migration directory is not a
// migration to apply: not .sql, a down migration, or a Flyway undo.
func skipped(name string) bool {
	lower := strings.ToLower(name)
	if !strings.HasSuffix(lower, ".sql") {
		return true
	}
	if strings.HasSuffix(lower, ".down.sql") || strings.HasSuffix(lower, "_down.sql") {
		return true
	}
	_, _, ok := flyway(name)
	return ok && (name[0] == 'U' || name[0] == 'u')
}

// sqitchPlan returns deploy/<change>.sql of each change of a sqitch
// plan, in the plan's order.
func sqitchPlan(dir, plan string) ([]string, error) {
	f, err := os.Open(plan)
	if err != nil {
		return nil, fmt.Errorf("read sqitch plan: %w", err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '%' || line[0] == '#' || line[0] == '@' {
			continue
		}
		name := strings.Fields(line)[0]
		path := filepath.Join(dir, "deploy", name+".sql")
		if !exists(path) {
			return nil, fmt.Errorf("sqitch plan %q: change %q has no %s", plan, name, path)
		}
		out = append(out, path)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read sqitch plan: %w", err)
	}
	return out, nil
}

// Compare orders migration file names: Flyway versioned scripts by
// version (V1 < V1.1 < V1.10 < V2), then repeatable R__ scripts by
// description; other names naturally, runs of digits compared as
// numbers.
func Compare(a, b string) int {
	va, ra, fa := flyway(a)
	vb, rb, fb := flyway(b)
	if fa && fb {
		if ra != rb {
			if ra {
				return 1
			}
			return -1
		}
		if c := slices.CompareFunc(va, vb, compareDigits); c != 0 {
			return c
		}
	}
	return Natural(a, b)
}

// flyway reads a Flyway script name: V<version>__desc.sql (U for undo)
// or R__desc.sql, returning the version's parts and whether it is
// repeatable.
func flyway(name string) (version []string, repeatable, ok bool) {
	if len(name) < 3 {
		return nil, false, false
	}
	switch name[0] {
	case 'R', 'r':
		return nil, true, strings.HasPrefix(name[1:], "__")
	case 'V', 'v', 'U', 'u':
	default:
		return nil, false, false
	}
	v, _, found := strings.Cut(name[1:], "__")
	if !found || v == "" {
		return nil, false, false
	}
	parts := strings.FieldsFunc(v, func(r rune) bool { return r == '.' || r == '_' })
	for _, p := range parts {
		if strings.Trim(p, "0123456789") != "" {
			return nil, false, false
		}
	}
	return parts, false, len(parts) > 0
}

// Natural compares two strings with runs of digits compared as numbers:
// 2_b.sql < 10_a.sql.
func Natural(a, b string) int {
	for a != "" && b != "" {
		ca, cb := chunk(a), chunk(b)
		var c int
		if isDigit(ca[0]) && isDigit(cb[0]) {
			c = compareDigits(ca, cb)
		} else {
			c = strings.Compare(ca, cb)
		}
		if c != 0 {
			return c
		}
		a, b = a[len(ca):], b[len(cb):]
	}
	return cmp.Compare(len(a), len(b))
}

// chunk returns the leading run of digits, or of non-digits, of s.
func chunk(s string) string {
	d := isDigit(s[0])
	i := 1
	for i < len(s) && isDigit(s[i]) == d {
		i++
	}
	return s[:i]
}

// compareDigits compares two runs of digits as numbers (of any length).
func compareDigits(a, b string) int {
	a, b = strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
	return cmp.Or(cmp.Compare(len(a), len(b)), strings.Compare(a, b))
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func exists(path string) bool {
	_, err := os.Stat(path)
	return !errors.Is(err, fs.ErrNotExist)
}

func isDir(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.IsDir()
}
