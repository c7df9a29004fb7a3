// Package checks is the registry of every pgadvisor check. Each check is
// its own package under analyzer/checks/<name>; this package only lists
// them.
package checks

import (
	"slices"
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/check"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/altercolumntype"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/charcolumn"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/concurrentlyintx"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/constraintnotvalid"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/deletewithoutwhere"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/duplicateindex"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/implicitcrossjoin"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/indexconcurrently"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/intkey"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/locktimeout"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/missingfkindex"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/missingindex"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/nonsargable"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/notinsubquery"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/nplusone"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/offsetpagination"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/orderbyrandom"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/parseerror"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/plancoldcache"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/planheapfetches"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/planhotnode"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/planindexfilter"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/planjit"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/planlossybitmap"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/planmisestimate"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/plannestedloop"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/planplanningtime"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/planseqscan"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/planspill"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/plantempblocks"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/planworkers"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/redundantindex"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/robuststatements"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/selectstar"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/setnotnull"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/timestampwithouttz"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/tracedlock"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/tracedrewrite"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/uniquewithoutindex"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/unusedignore"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/updatewithoutwhere"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/usedbyworkload"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/vacuumfull"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/volatiledefault"
	"github.com/pgadvisor/pgadvisor/analyzer/checks/workloadregression"
)

// registered lists every check. Add a new check here.
var registered = []*check.Check{
	deletewithoutwhere.Check,
	duplicateindex.Check,
	implicitcrossjoin.Check,
	missingfkindex.Check,
	missingindex.Check,
	nonsargable.Check,
	notinsubquery.Check,
	nplusone.Check,
	offsetpagination.Check,
	orderbyrandom.Check,
	parseerror.Check,
	plancoldcache.Check,
	planheapfetches.Check,
	planhotnode.Check,
	planindexfilter.Check,
	planjit.Check,
	planlossybitmap.Check,
	planmisestimate.Check,
	plannestedloop.Check,
	planplanningtime.Check,
	planseqscan.Check,
	planspill.Check,
	plantempblocks.Check,
	planworkers.Check,
	redundantindex.Check,
	robuststatements.Check,
	selectstar.Check,
	updatewithoutwhere.Check,
	altercolumntype.Check,
	charcolumn.Check,
	concurrentlyintx.Check,
	constraintnotvalid.Check,
	indexconcurrently.Check,
	intkey.Check,
	locktimeout.Check,
	setnotnull.Check,
	timestampwithouttz.Check,
	uniquewithoutindex.Check,
	tracedlock.Check,
	tracedrewrite.Check,
	unusedignore.Check,
	usedbyworkload.Check,
	vacuumfull.Check,
	volatiledefault.Check,
	workloadregression.Check,
}

// All returns every check, sorted by name.
func All() []*check.Check {
	out := slices.Clone(registered)
	slices.SortFunc(out, func(a, b *check.Check) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// Lookup returns the check with the given name, or nil.
func Lookup(name string) *check.Check {
	for _, c := range registered {
		if c.Name == name {
			return c
		}
	}
	return nil
}
