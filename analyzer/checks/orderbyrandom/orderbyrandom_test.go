package orderbyrandom_test

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/checks/checktest"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/orderbyrandom"
)

func TestOrderByRandom(t *testing.T) {
	checktest.Run(t, "testdata", orderbyrandom.Check)
}
