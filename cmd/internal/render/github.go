package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/pgadvisor/pgadvisor/analyzer/report"
)

// GitHub is the GitHub Actions workflow-command format: one annotation
// per finding, shown on the pull request's changed lines.
const GitHub Format = "github"

// writeGitHub writes each finding as a GitHub Actions annotation
// (::error file=...,line=...,col=...,title=...::message), errors as
// error, warnings as warning, info as notice, then the summary as a
// plain log line.
func writeGitHub(w io.Writer, rep *report.Report) error {
	var b strings.Builder
	for _, f := range rep.Findings {
		level := "notice"
		switch f.Severity {
		case "error":
			level = "error"
		case "warning":
			level = "warning"
		}
		var props []string
		if f.File != "" {
			props = append(props, "file="+ghProperty(f.File))
			if f.Line > 0 {
				props = append(props, fmt.Sprintf("line=%d", f.Line))
				if f.Column > 0 {
					props = append(props, fmt.Sprintf("col=%d", f.Column))
				}
			}
		}
		props = append(props, "title="+ghProperty("pgadvisor "+f.Check))
		msg := f.Message
		if f.Help != "" {
			msg += "\n" + f.Help
		}
		if f.Fix != "" {
			msg += "\nFix: " + f.Fix
		}
		fmt.Fprintf(&b, "::%s %s::%s\n", level, strings.Join(props, ","), ghData(msg))
	}
	fmt.Fprintf(&b, "pgadvisor: %s\n", summary(rep.Findings))
	_, err := io.WriteString(w, b.String())
	return err
}

// ghData escapes an annotation's message as the runner expects: %, CR
// and LF encoded, so that a message stays one workflow command.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(Escape(s))
}

// ghProperty escapes a property value: as ghData, plus : and , which
// separate properties.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(Escape(s))
}
