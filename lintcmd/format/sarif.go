package format

import (
	"cmp"
	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lintcmd/config"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// SARIF constants.
const (
	sarifVersion        = "2.1.0"
	sarifSchema         = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifSrcRoot        = "%SRCROOT%"
	sarifFingerprintKey = "archform/v2"
	// InformationURI is archform's home page, named in SARIF.
	InformationURI = "https://github.com/archform/archform"
)

// SARIFOptions control the SARIF format.
type SARIFOptions struct {
	// SrcRoot is the directory URIs are relative to (%SRCROOT%). Empty: the
	// repository root (the nearest parent directory of the design holding
	// .git), else the working directory.
	SrcRoot string
	// ToolVersion is tool.driver.version (default Version).
	ToolVersion string
}

type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool        sarifTool         `json:"tool"`
		Invocations []sarifInvocation `json:"invocations"`
		ColumnKind  string            `json:"columnKind"`
		Results     []sarifResult     `json:"results"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		Version        string      `json:"version"`
		InformationURI string      `json:"informationUri"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID                   string          `json:"id"`
		Name                 string          `json:"name"`
		ShortDescription     sarifText       `json:"shortDescription"`
		FullDescription      sarifText       `json:"fullDescription"`
		Help                 sarifHelp       `json:"help"`
		DefaultConfiguration sarifRuleConfig `json:"defaultConfiguration"`
	}
	sarifText struct {
		Text string `json:"text"`
	}
	sarifHelp struct {
		Text     string `json:"text"`
		Markdown string `json:"markdown"`
	}
	sarifRuleConfig struct {
		Level string `json:"level"`
	}
	sarifInvocation struct {
		ExecutionSuccessful        bool                `json:"executionSuccessful"`
		ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
	}
	sarifNotification struct {
		Level     string          `json:"level"`
		Message   sarifText       `json:"message"`
		Locations []sarifLocation `json:"locations,omitempty"`
	}
	sarifResult struct {
		RuleID              string            `json:"ruleId"`
		RuleIndex           int               `json:"ruleIndex"`
		Level               string            `json:"level"`
		Message             sarifText         `json:"message"`
		Locations           []sarifLocation   `json:"locations"`
		RelatedLocations    []sarifLocation   `json:"relatedLocations,omitempty"`
		PartialFingerprints map[string]string `json:"partialFingerprints"`
		Suppressions        []sarifSuppr      `json:"suppressions,omitempty"`
		Properties          map[string]any    `json:"properties,omitempty"`
	}
	sarifLocation struct {
		ID               *int          `json:"id,omitempty"`
		PhysicalLocation sarifPhysical `json:"physicalLocation"`
		Message          *sarifText    `json:"message,omitempty"`
	}
	sarifPhysical struct {
		ArtifactLocation sarifArtifact `json:"artifactLocation"`
		Region           *sarifRegion  `json:"region,omitempty"`
	}
	sarifArtifact struct {
		URI       string `json:"uri"`
		URIBaseID string `json:"uriBaseId,omitempty"`
	}
	sarifRegion struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn"`
		EndLine     int `json:"endLine"`
		EndColumn   int `json:"endColumn"`
	}
	sarifSuppr struct {
		Kind          string `json:"kind"`
		Justification string `json:"justification"`
	}
)

func sarifLevel(s analyze.Severity) string {
	switch s {
	case analyze.Error:
		return "error"
	case analyze.Warning:
		return "warning"
	}
	return "note"
}

// WriteSARIF writes the report as a SARIF 2.1.0 log with exactly one run:
// every rule of the suite in tool.driver.rules; each finding a result with a
// repository-relative URI, a full region, related locations, a partial
// fingerprint that does not change when lines move, and its suppression;
// the design's diagnostics and internal errors as tool execution
// notifications (executionSuccessful false when there are errors).
func WriteSARIF(w io.Writer, r *analyze.Report, opts SARIFOptions) error {
	version := opts.ToolVersion
	if version == "" {
		version = config.Version
	}
	uris := &uriMaker{root: opts.SrcRoot}
	driver := sarifDriver{Name: "archform", Version: version, InformationURI: InformationURI, Rules: []sarifRule{}}
	index := map[string]int{}
	for _, a := range r.Suite {
		index[a.ID] = len(driver.Rules)
		driver.Rules = append(driver.Rules, sarifRule{
			ID:                   a.ID,
			Name:                 pascalCase(a.ID),
			ShortDescription:     sarifText{Text: cmp.Or(a.Summary, a.ID)},
			FullDescription:      sarifText{Text: docParagraph(a.Doc, a.Summary)},
			Help:                 sarifHelp{Text: cmp.Or(a.Doc, a.Summary, a.ID), Markdown: cmp.Or(a.Doc, a.Summary, a.ID)},
			DefaultConfiguration: sarifRuleConfig{Level: sarifLevel(a.Severity)},
		})
	}
	inv := sarifInvocation{ExecutionSuccessful: !r.Invalid() && len(r.Errors) == 0}
	for _, d := range r.Diagnostics {
		n := sarifNotification{Level: "error", Message: sarifText{Text: joinNonEmpty(d.Summary, d.Detail, ": ")}}
		if d.Severity == hcl.DiagWarning {
			n.Level = "warning"
		}
		if d.Subject != nil {
			if loc, ok := uris.location(*d.Subject); ok {
				n.Locations = []sarifLocation{loc}
			}
		}
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, n)
	}
	for _, err := range r.Errors {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{Level: "error", Message: sarifText{Text: err.Error()}})
	}
	results := []sarifResult{}
	fps := groupFingerprints(r.Findings)
	for i, f := range r.Findings {
		idx, ok := index[f.Rule]
		if !ok {
			// A finding of a rule the suite does not list: list it, so that
			// ruleIndex stays valid.
			idx = len(driver.Rules)
			index[f.Rule] = idx
			driver.Rules = append(driver.Rules, sarifRule{ID: f.Rule, Name: pascalCase(f.Rule),
				ShortDescription: sarifText{Text: f.Rule}, FullDescription: sarifText{Text: f.Rule},
				Help: sarifHelp{Text: f.Rule, Markdown: f.Rule}, DefaultConfiguration: sarifRuleConfig{Level: sarifLevel(f.Severity)}})
		}
		res := sarifResult{
			RuleID:              f.Rule,
			RuleIndex:           idx,
			Level:               sarifLevel(f.Severity),
			Message:             sarifText{Text: joinNonEmpty(f.Message, joinNonEmpty(f.Detail, groupedText(&f), "\n\n"), "\n\n")},
			Locations:           []sarifLocation{},
			PartialFingerprints: map[string]string{sarifFingerprintKey: fps.heads[i]},
		}
		if loc, ok := uris.location(f.Range); ok {
			res.Locations = append(res.Locations, loc)
		} else if loc, ok := uris.location(designStart(r)); ok {
			// A finding about the design as a whole: code scanning needs a
			// location, so it points at the start of the design's first file.
			res.Locations = append(res.Locations, loc)
		}
		for j, rel := range f.Related {
			if loc, ok := uris.location(rel.Range); ok {
				id := j + 1
				loc.ID = &id
				loc.Message = &sarifText{Text: rel.Message}
				res.RelatedLocations = append(res.RelatedLocations, loc)
			}
		}
		var grouped []map[string]any
		for j := range f.Grouped {
			m := &f.Grouped[j]
			if loc, ok := uris.location(m.Range); ok {
				id := len(res.RelatedLocations) + 1
				loc.ID = &id
				loc.Message = &sarifText{Text: memberLabel(&f, m) + " (" + m.Rule + "): " + m.Message}
				res.RelatedLocations = append(res.RelatedLocations, loc)
			}
			grouped = append(grouped, map[string]any{"rule": m.Rule, "subject": m.Subject, "message": m.Message, "fingerprint": fps.members[i][j]})
		}
		if f.Suppressed != nil {
			res.Suppressions = []sarifSuppr{{Kind: "inSource", Justification: f.Suppressed.Reason}}
		}
		props := map[string]any{}
		if f.Subject != "" {
			props["subject"] = f.Subject
		}
		if f.Cause != "" {
			props["cause"] = f.Cause
		}
		if len(grouped) > 0 {
			props["grouped"] = grouped
		}
		if len(f.Data) > 0 {
			props["data"] = analyze.FiniteJSON(f.Data)
		}
		if len(props) > 0 {
			res.Properties = props
		}
		results = append(results, res)
	}
	log := sarifLog{
		Schema:  sarifSchema,
		Version: sarifVersion,
		Runs: []sarifRun{{
			Tool:        sarifTool{Driver: driver},
			Invocations: []sarifInvocation{inv},
			ColumnKind:  "unicodeCodePoints",
			Results:     results,
		}},
	}
	return encodeJSON(w, log)
}

func joinNonEmpty(a, b, sep string) string {
	if b == "" {
		return a
	}
	return a + sep + b
}

// uriMaker turns filenames into %SRCROOT%-relative URIs.
type uriMaker struct {
	root     string
	resolved bool
}

func (u *uriMaker) uri(filename string) (string, string) {
	rel, ok := u.rel(filename)
	if ok {
		return escapeURIPath(rel), sarifSrcRoot
	}
	abs, err := filepath.Abs(filename)
	if err != nil {
		return escapeURIPath(filepath.ToSlash(filename)), ""
	}
	return "file://" + escapeURIPath(filepath.ToSlash(abs)), ""
}

// relPath is filename relative to the root with forward slashes, or as
// given when it is outside the root ("" stays "").
func (u *uriMaker) relPath(filename string) string {
	if filename == "" {
		return ""
	}
	if rel, ok := u.rel(filename); ok {
		return rel
	}
	return filepath.ToSlash(filename)
}

// rel returns filename relative to the root, with forward slashes, when it
// lies inside the root.
func (u *uriMaker) rel(filename string) (string, bool) {
	abs, err := filepath.Abs(filename)
	if err != nil {
		return "", false
	}
	if !u.resolved {
		u.resolved = true
		if u.root == "" {
			u.root = repoRoot(filepath.Dir(abs))
		}
		if u.root != "" {
			u.root, _ = filepath.Abs(u.root)
		}
	}
	if u.root != "" {
		if rel, err := filepath.Rel(u.root, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return filepath.ToSlash(rel), true
		}
	}
	return "", false
}

// repoRoot returns the nearest directory from dir upwards that holds .git,
// or the working directory when there is none.
func repoRoot(dir string) string {
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	wd, _ := os.Getwd()
	return wd
}

// escapeURIPath percent-encodes what may not appear in a URI path.
func escapeURIPath(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		if ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9') || strings.IndexByte("-._~/!$&'()*+,;=:@", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteString("%" + strings.ToUpper(hexByte(c)))
	}
	return b.String()
}

func hexByte(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&15]})
}

func (u *uriMaker) location(rng hcl.Range) (sarifLocation, bool) {
	if rng.Filename == "" {
		return sarifLocation{}, false
	}
	uri, base := u.uri(rng.Filename)
	loc := sarifLocation{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: uri, URIBaseID: base}}}
	if rng.Start.Line >= 1 {
		reg := &sarifRegion{StartLine: rng.Start.Line, StartColumn: max(rng.Start.Column, 1), EndLine: rng.End.Line, EndColumn: rng.End.Column}
		if reg.EndLine < reg.StartLine || (reg.EndLine == reg.StartLine && reg.EndColumn < reg.StartColumn) {
			reg.EndLine, reg.EndColumn = reg.StartLine, reg.StartColumn
		}
		loc.PhysicalLocation.Region = reg
	}
	return loc, true
}

// pascalCase turns a rule ID into a SARIF rule name: "capacity-gap" → "CapacityGap".
func pascalCase(id string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(id, func(r rune) bool { return r == '-' || r == '_' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

// docParagraph returns the first paragraph of a rule's Markdown doc that is
// not a heading, joined into one line; fallback when there is none.
func docParagraph(doc, fallback string) string {
	var para []string
	for _, line := range strings.Split(doc, "\n") {
		t := strings.TrimSpace(line)
		switch {
		case t == "" && len(para) > 0:
			return strings.Join(para, " ")
		case t == "", strings.HasPrefix(t, "#"):
			continue
		case strings.HasPrefix(t, "```"):
			if len(para) > 0 {
				return strings.Join(para, " ")
			}
			continue
		}
		para = append(para, t)
	}
	if len(para) > 0 {
		return strings.Join(para, " ")
	}
	return fallback
}

// designStart is the first position of the design's first file (in name
// order), or an empty range when there is none.
func designStart(r *analyze.Report) hcl.Range {
	if r.Design == nil || len(r.Design.Files) == 0 {
		return hcl.Range{}
	}
	names := make([]string, 0, len(r.Design.Files))
	for n := range r.Design.Files {
		names = append(names, n)
	}
	sort.Strings(names)
	return hcl.Range{Filename: names[0], Start: hcl.InitialPos, End: hcl.InitialPos}
}
