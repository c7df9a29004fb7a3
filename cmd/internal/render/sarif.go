package render

import (
	"fmt"
	"io"
	"slices"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/pgadvisor/pgadvisor/analyzer/report"
)

// informationURI is where SARIF consumers link the tool's name.
const informationURI = "https://github.com/pgadvisor/pgadvisor"

// writeSARIF writes a SARIF 2.1.0 log with one run: a rule per check that
// reported (with its documentation) and a result per finding.
func writeSARIF(w io.Writer, rep *report.Report, opts Options) error {
	run := sarif.NewRunWithInformationURI("pgadvisor", informationURI)
	if opts.ToolVersion != "" {
		run.Tool.Driver.WithVersion(opts.ToolVersion)
	}
	rules := map[string]Rule{}
	for _, r := range opts.Rules {
		rules[r.Name] = r
	}
	var used []string
	for _, f := range rep.Findings {
		if !slices.Contains(used, f.Check) {
			used = append(used, f.Check)
		}
	}
	slices.Sort(used)
	for _, name := range used {
		rule := run.AddRule(name).WithName(name)
		if r, ok := rules[name]; ok {
			rule.WithDescription(r.Summary).WithMarkdownHelp(r.Doc)
			rule.WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(sarifLevel(r.Severity)))
		}
	}
	for _, f := range rep.Findings {
		msg := f.Message
		if f.Query != "" {
			msg += " (query: " + f.Query + ")"
		}
		if f.Help != "" {
			msg += " " + f.Help
		}
		res := run.CreateResultForRule(f.Check).
			WithLevel(sarifLevel(f.Severity)).
			WithMessage(sarif.NewTextMessage(msg))
		// Code scanning needs a uri: a finding on the database itself
		// (pg_stat_statements) names that source.
		uri := f.File
		if uri == "" {
			uri = "database"
		}
		loc := sarif.NewPhysicalLocation().WithArtifactLocation(sarif.NewSimpleArtifactLocation(uri))
		if f.Line > 0 {
			region := sarif.NewRegion().WithStartLine(f.Line)
			if f.Column > 0 {
				region.WithStartColumn(f.Column)
			}
			loc.WithRegion(region)
		}
		res.AddLocation(sarif.NewLocationWithPhysicalLocation(loc))
		if f.Fingerprint != "" {
			res.WithPartialFingerprints(map[string]string{"queryFingerprint/v1": f.Fingerprint})
		}
		if f.Fix != "" {
			// SARIF fixes must be byte-level file edits; DDL to run is
			// not one, so it travels as a property.
			props := sarif.NewPropertyBag().Add("fix", f.Fix)
			if f.Proposal != "" {
				props.Add("proposal", f.Proposal)
			}
			res.WithProperties(props)
		}
	}
	run.WithResults(nonNil(run.Results))
	doc := sarif.NewReport()
	doc.AddRun(run)
	if err := doc.PrettyWrite(w); err != nil {
		return fmt.Errorf("write sarif report: %w", err)
	}
	return nil
}

// nonNil makes an empty result list serialize as [] (GitHub requires it).
func nonNil(rs []*sarif.Result) []*sarif.Result {
	if rs == nil {
		return []*sarif.Result{}
	}
	return rs
}

// sarifLevel maps a severity to SARIF's levels.
func sarifLevel(severity string) string {
	switch severity {
	case "error":
		return "error"
	case "warning":
		return "warning"
	}
	return "note"
}
