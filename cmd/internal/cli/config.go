package cli

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/source"
	"go.yaml.in/yaml/v3"
)

// ConfigFile is the name of the configuration file `pgadvisor check`
// finds by itself: in the current directory, or the nearest parent up to
// the repository's root (the directory holding .git).
const ConfigFile = "pgadvisor.yaml"

// maxConfigSize bounds the configuration file.
const maxConfigSize = 1 << 20

// checkConfig is pgadvisor.yaml. Command-line flags win over it.
type checkConfig struct {
	// Migrations are the migration files or folders to check when none
	// are given as arguments.
	Migrations []string `yaml:"migrations"`
	// Schema are DDL files describing the schema before the migrations.
	Schema []string `yaml:"schema"`
	// Workload are SQL files or logs of the application's queries.
	Workload []string `yaml:"workload"`
	// InTransaction says the migration tool wraps each file in a
	// transaction.
	InTransaction *bool `yaml:"in_transaction"`
	// FailOn and Format are --fail-on and --format.
	FailOn string `yaml:"fail_on"`
	Format string `yaml:"format"`
	// MaxRegression is --max-regression, in percent.
	MaxRegression *float64     `yaml:"max_regression"`
	Checks        checksConfig `yaml:"checks"`
	// dir is the directory of the file: relative paths in it are
	// relative to it.
	dir string
}

// checksConfig is the checks: section of pgadvisor.yaml.
type checksConfig struct {
	// Enable runs only these checks; Disable leaves these out.
	Enable  []string `yaml:"enable"`
	Disable []string `yaml:"disable"`
	// Severity overrides checks' default severities.
	Severity map[string]string `yaml:"severity"`
}

// yamlUnknownField is yaml.v3's message for a key KnownFields rejects.
var yamlUnknownField = regexp.MustCompile(`field (\S+) not found in type \S+`)

// loadConfig reads the configuration named by --config, or else the
// pgadvisor.yaml found from the current directory up to the
// repository's root; no file gives the zero configuration.
func loadConfig(ctx context.Context, name string) (*checkConfig, string, error) {
	if name == "" {
		name = findConfig()
		if name == "" {
			return &checkConfig{}, "", nil
		}
	}
	b, err := source.ReadAll(ctx, name, nil, maxConfigSize, "a configuration file")
	if err != nil {
		return nil, name, usageErrorf("--config: %v", err)
	}
	cfg := &checkConfig{dir: filepath.Dir(name)}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil && !errors.Is(err, io.EOF) {
		msg := yamlUnknownField.ReplaceAllString(err.Error(), "unknown key $1")
		return nil, name, usageErrorf("config %s: %s", name, strings.ReplaceAll(msg, "\n ", ""))
	}
	for _, list := range []*[]string{&cfg.Migrations, &cfg.Schema, &cfg.Workload} {
		for i, p := range *list {
			if !filepath.IsAbs(p) && cfg.dir != "." {
				(*list)[i] = filepath.Join(cfg.dir, p)
			}
		}
	}
	return cfg, name, nil
}

// findConfig looks for pgadvisor.yaml from the current directory up to
// the repository root; "" when there is none.
func findConfig() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for rel := "."; ; {
		if _, err := os.Stat(filepath.Join(dir, ConfigFile)); err == nil {
			return filepath.Join(rel, ConfigFile)
		}
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
			return ""
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir, rel = parent, filepath.Join(rel, "..")
	}
}
