// Package unusedignore documents the unused-ignore check: the
// -- pgadvisor:ignore comments that suppress nothing.
package unusedignore

import "github.com/pgadvisor/pgadvisor/analyzer/check"

// Check is the unused-ignore check. Its findings come from the driver
// (check.Run), the only place that sees every other check's findings;
// Run itself has nothing to inspect.
var Check = &check.Check{
	Name: check.UnusedIgnoreName,
	Doc: `-- pgadvisor:ignore comment that suppresses nothing, or gives no reason.

A comment

    -- pgadvisor:ignore CHECK[,CHECK...] reason

suppresses the findings of the named checks on the statement it sits in
(a comment at the end of a statement's line), or else on the statement
that follows it. This check reports such comments that name no check,
that give no reason, or that suppressed no finding of a named check that
ran (the statement was fixed, or the comment sits in the wrong place).

Why it matters: a stale suppression hides the next real problem on that
statement; a suppression without a reason leaves the next reader unable
to tell whether it still holds.

How to fix: remove the comment, move it to the statement with the
finding, or say why the finding does not apply.

Severity: info.`,
	Severity: check.Info,
	Run:      func(*check.Pass) error { return nil },
}
