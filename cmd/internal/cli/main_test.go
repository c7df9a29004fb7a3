package cli

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/pgtest"
)

// TestMain stops the sandbox clusters the database tests start.
func TestMain(m *testing.M) { pgtest.Main(m) }
