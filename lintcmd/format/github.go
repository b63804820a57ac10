package format

import (
	"fmt"
	"github.com/archform/archform/analyze"
	"io"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// WriteGitHub writes one GitHub Actions workflow command per unsuppressed
// finding (and per design diagnostic):
//
//	::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=RULE::message
//
// Warnings become ::warning and infos ::notice. Values are escaped as the
// runner expects: % \r \n everywhere, and also : and , in properties.
// File paths are relative to the repository root (the nearest directory
// above the design holding .git, else the working directory), as GitHub
// wants them.
func WriteGitHub(w io.Writer, r *analyze.Report) error { return writeGitHub(w, r, "") }

// writeGitHub is WriteGitHub with paths relative to root ("" finds it).
func writeGitHub(w io.Writer, r *analyze.Report, root string) error {
	ew := &errWriter{w: w}
	paths := &uriMaker{root: root}
	for _, d := range r.Diagnostics {
		cmd := "error"
		if d.Severity == hcl.DiagWarning {
			cmd = "warning"
		}
		var rng hcl.Range
		if d.Subject != nil {
			rng = *d.Subject
		}
		ew.write(githubCommand(cmd, paths.relPath(rng.Filename), rng, "invalid design", joinNonEmpty(d.Summary, d.Detail, ": ")))
	}
	for _, f := range r.Findings {
		if f.Suppressed != nil {
			continue
		}
		cmd := "notice"
		switch f.Severity {
		case analyze.Error:
			cmd = "error"
		case analyze.Warning:
			cmd = "warning"
		}
		ew.write(githubCommand(cmd, paths.relPath(f.Range.Filename), f.Range, f.Rule, joinNonEmpty(f.Message, joinNonEmpty(f.Detail, groupedText(&f), "\n\n"), "\n\n")))
	}
	return ew.err
}

func githubCommand(cmd, file string, rng hcl.Range, title, message string) string {
	var props []string
	if file != "" {
		props = append(props, "file="+escapeProperty(file))
		if rng.Start.Line > 0 {
			props = append(props,
				fmt.Sprintf("line=%d", rng.Start.Line),
				fmt.Sprintf("col=%d", rng.Start.Column),
				fmt.Sprintf("endLine=%d", max(rng.End.Line, rng.Start.Line)),
				fmt.Sprintf("endColumn=%d", max(rng.End.Column, 1)))
		}
	}
	props = append(props, "title="+escapeProperty(title))
	return "::" + cmd + " " + strings.Join(props, ",") + "::" + escapeData(message) + "\n"
}

// escapeData escapes a workflow command's message (toCommandValue in
// actions/toolkit's command.ts).
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a workflow command's property value.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
