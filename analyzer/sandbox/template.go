package sandbox

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// initdb is the slowest part of starting a sandbox (about 1.5 s, much
// more on a busy machine), and its result depends only on the binaries
// and the arguments. So the first Start keeps a copy of the fresh data
// directory in the user's cache directory, and later ones copy it
// instead of running initdb again (about 0.1 s).

// templateComplete marks a finished template; a template directory is
// renamed into place with it, so readers never see a partial copy.
const templateComplete = "complete"

// templateDir returns the cache directory of the template for these
// binaries, initdb arguments and account, or "" when there is no cache
// directory.
func templateDir(bin BinDir, args []string, acct *account) string {
	if os.Getenv("PGADVISOR_SANDBOX_CACHE") == "off" {
		return ""
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	h := sha256.New()
	uid := -1
	if acct != nil {
		uid = acct.uid
	}
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%d", bin.Path, bin.Version, strings.Join(args, "\x00"), uid)
	return filepath.Join(cache, "pgadvisor", "initdb", fmt.Sprintf("pg%d-%s", bin.Major, hex.EncodeToString(h.Sum(nil))[:16]))
}

// copyTemplate copies the cached data directory to dataDir, owned by
// acct; ok is false when there is no complete template.
func copyTemplate(tmpl, dataDir string, acct *account) (ok bool, err error) {
	if tmpl == "" {
		return false, nil
	}
	if _, err := os.Stat(filepath.Join(tmpl, templateComplete)); err != nil {
		return false, nil
	}
	if err := copyTree(filepath.Join(tmpl, "data"), dataDir, acct); err != nil {
		os.RemoveAll(dataDir)
		return false, fmt.Errorf("copy cached data directory %s: %w", tmpl, err)
	}
	return true, nil
}

// saveTemplate stores a copy of a fresh data directory in the cache,
// unless another process did meanwhile. Failures only cost the next
// Start an initdb, so they are ignored.
func saveTemplate(tmpl, dataDir string) {
	if tmpl == "" {
		return
	}
	if _, err := os.Stat(filepath.Join(tmpl, templateComplete)); err == nil {
		return
	}
	staged := stageTemplate(tmpl, dataDir)
	if staged == "" {
		return
	}
	// If another process saved the same template meanwhile, the
	// rename fails and ours is dropped.
	if err := os.Rename(staged, tmpl); err != nil {
		os.RemoveAll(staged)
	}
}

// stageTemplate copies a fresh data directory next to the template's
// place and returns the copy, or "" on failure.
func stageTemplate(tmpl, dataDir string) string {
	if tmpl == "" {
		return ""
	}
	parent := filepath.Dir(tmpl)
	if err := os.MkdirAll(parent, 0o700); err != nil {
		return ""
	}
	tmp, err := os.MkdirTemp(parent, "tmp-")
	if err != nil {
		return ""
	}
	if copyTree(dataDir, filepath.Join(tmp, "data"), nil) != nil ||
		os.WriteFile(filepath.Join(tmp, templateComplete), nil, 0o600) != nil {
		os.RemoveAll(tmp)
		return ""
	}
	return tmp
}

// replaceTemplate puts a staged template in the place of a broken one.
func replaceTemplate(tmpl, staged string) {
	if tmpl == "" || staged == "" {
		return
	}
	dropTemplate(tmpl)
	if err := os.Rename(staged, tmpl); err != nil {
		os.RemoveAll(staged)
	}
}

// dropTemplate removes a template that cannot be copied or started.
func dropTemplate(tmpl string) {
	if tmpl == "" {
		return
	}
	// Rename first so that no other process copies a half-removed
	// template.
	trash := tmpl + ".trash-" + strconv.Itoa(os.Getpid())
	if os.Rename(tmpl, trash) == nil {
		os.RemoveAll(trash)
	}
}

// copyTree copies a directory of regular files, directories and
// symbolic links, keeping permissions, and gives the copies to acct
// (nil: the current user).
func copyTree(src, dst string, acct *account) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			if err := os.Mkdir(target, info.Mode().Perm()); err != nil {
				return err
			}
			// Mkdir applies the umask; PostgreSQL checks the modes.
			if err := os.Chmod(target, info.Mode().Perm()); err != nil {
				return err
			}
		case d.Type()&fs.ModeSymlink != 0:
			link, err := os.Readlink(path)
			if err != nil {
				return err
			}
			if err := os.Symlink(link, target); err != nil {
				return err
			}
			if acct != nil {
				return os.Lchown(target, acct.uid, acct.gid)
			}
			return nil
		case d.Type().IsRegular():
			if err := copyFile(path, target, info.Mode().Perm()); err != nil {
				return err
			}
		default:
			return fmt.Errorf("%s: unexpected file type %v", path, d.Type())
		}
		return chown(target, acct)
	})
}

func copyFile(src, dst string, perm fs.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Chmod(dst, perm)
}
