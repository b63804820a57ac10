package format

import (
	"bufio"
	"bytes"
	"encoding/json"
	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lintcmd/baseline"
	"io"
	"maps"
	"slices"
	"sort"
	"strconv"

	"github.com/hashicorp/hcl/v2"
)

// The JSON format's objects. Fields are in alphabetical order so that every
// object's keys are sorted, as maps' are (the results' view, ComponentJSON
// and FlowJSON, keeps its own order).
type (
	jsonReport struct {
		Baseline    *jsonBaseline                    `json:"baseline,omitempty"`
		Components  map[string]analyze.ComponentJSON `json:"components"`
		Diagnostics []jsonDiag                       `json:"diagnostics,omitempty"`
		Findings    []jsonFinding                    `json:"findings"`
		Flows       map[string]analyze.FlowJSON      `json:"flows"`
		Version     int                              `json:"version"`
	}
	jsonFinding struct {
		Cause         string             `json:"cause,omitempty"`
		Data          map[string]any     `json:"data"`
		Detail        string             `json:"detail"`
		Fingerprint   string             `json:"fingerprint"`
		Grouped       []jsonFinding      `json:"grouped,omitempty"`
		Justification string             `json:"justification,omitempty"`
		Message       string             `json:"message"`
		Range         *analyze.RangeJSON `json:"range"`
		Related       []jsonRelated      `json:"related"`
		Rule          string             `json:"rule"`
		Severity      string             `json:"severity"`
		Subject       string             `json:"subject"`
		Suppressed    bool               `json:"suppressed"`
	}
	jsonRelated struct {
		Message string             `json:"message"`
		Range   *analyze.RangeJSON `json:"range"`
	}
	jsonDiag struct {
		Detail   string             `json:"detail"`
		Range    *analyze.RangeJSON `json:"range"`
		Severity string             `json:"severity"`
		Summary  string             `json:"summary"`
	}
	jsonBaseline struct {
		Matched int              `json:"matched"`
		Stale   []baseline.Entry `json:"stale"`
	}
)

// WriteJSON writes the report as docs/lint.md specifies:
// {"version": 1, "findings": [...], "components": {...}, "flows": {...}},
// with "diagnostics" for an invalid design and "baseline" when one was
// applied. Suppressed findings are included with their justification.
// Non-finite numbers are written as null. applied is what a baseline did
// (nil: none was applied).
func WriteJSON(w io.Writer, r *analyze.Report, applied *baseline.Applied) error {
	out := jsonReport{
		Version:    analyze.JSONVersion,
		Findings:   []jsonFinding{},
		Components: map[string]analyze.ComponentJSON{},
		Flows:      map[string]analyze.FlowJSON{},
	}
	for _, d := range r.Diagnostics {
		jd := jsonDiag{Severity: "error", Summary: d.Summary, Detail: d.Detail}
		if d.Severity == hcl.DiagWarning {
			jd.Severity = "warning"
		}
		if d.Subject != nil {
			jd.Range = analyze.NewRangeJSON(*d.Subject)
		}
		out.Diagnostics = append(out.Diagnostics, jd)
	}
	fps := groupFingerprints(r.Findings)
	for i, f := range r.Findings {
		jf := newJSONFinding(&f, fps.heads[i])
		for j := range f.Grouped {
			jf.Grouped = append(jf.Grouped, newJSONFinding(&f.Grouped[j], fps.members[i][j]))
		}
		out.Findings = append(out.Findings, jf)
	}
	if applied != nil && (len(applied.Matched) > 0 || len(applied.Stale) > 0) {
		out.Baseline = &jsonBaseline{Matched: len(applied.Matched), Stale: append([]baseline.Entry{}, applied.Stale...)}
	}
	if !r.Invalid() && r.Design != nil {
		res, err := r.Results()
		if err != nil {
			return err
		}
		out.Components, out.Flows = res.ComponentsJSON(), res.FlowsJSON()
	}
	return encodeReport(w, out)
}

// newJSONFinding is one finding's object, without its grouped findings.
func newJSONFinding(f *analyze.Finding, fingerprint string) jsonFinding {
	jf := jsonFinding{
		Rule:        f.Rule,
		Severity:    f.Severity.String(),
		Message:     f.Message,
		Detail:      f.Detail,
		Subject:     f.Subject,
		Cause:       f.Cause,
		Range:       analyze.NewRangeJSON(f.Range),
		Related:     []jsonRelated{},
		Data:        map[string]any{},
		Fingerprint: fingerprint,
	}
	for _, rel := range f.Related {
		jf.Related = append(jf.Related, jsonRelated{Message: rel.Message, Range: analyze.NewRangeJSON(rel.Range)})
	}
	for k, v := range f.Data {
		jf.Data[k] = analyze.FiniteJSON(v)
	}
	if f.Suppressed != nil {
		jf.Suppressed = true
		jf.Justification = f.Suppressed.Reason
	}
	return jf
}

// encodeJSON writes v as indented JSON without HTML escaping (a message's
// "<" stays readable).
func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// encodeReport writes the report as encodeJSON would, except that the
// components and flows are one line each: a design of 10,000 components has
// as many entries of some thirty figures, which indented would make most of
// the report's bytes. It streams entry by entry, so that the report is never
// held in memory whole.
func encodeReport(w io.Writer, r jsonReport) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	// value writes v, indented as a field of the top-level object.
	value := func(v any, indent bool) error {
		buf.Reset()
		if indent {
			enc.SetIndent("  ", "  ")
		} else {
			enc.SetIndent("", "")
		}
		if err := enc.Encode(v); err != nil {
			return err
		}
		_, err := bw.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
		return err
	}
	first := true
	field := func(name string) {
		if !first {
			bw.WriteString(",")
		}
		first = false
		bw.WriteString("\n  " + strconv.Quote(name) + ": ")
	}
	// entries writes a map's entries in key order, one line each.
	entries := func(keys []string, at func(string) any) error {
		if len(keys) == 0 {
			bw.WriteString("{}")
			return nil
		}
		sort.Strings(keys)
		bw.WriteString("{")
		for i, k := range keys {
			if i > 0 {
				bw.WriteString(",")
			}
			bw.WriteString("\n    ")
			if err := value(k, false); err != nil {
				return err
			}
			bw.WriteString(": ")
			if err := value(at(k), false); err != nil {
				return err
			}
		}
		bw.WriteString("\n  }")
		return nil
	}
	bw.WriteString("{")
	if r.Baseline != nil {
		field("baseline")
		if err := value(r.Baseline, true); err != nil {
			return err
		}
	}
	field("components")
	if err := entries(slices.Collect(maps.Keys(r.Components)), func(k string) any { return r.Components[k] }); err != nil {
		return err
	}
	if r.Diagnostics != nil {
		field("diagnostics")
		if err := value(r.Diagnostics, true); err != nil {
			return err
		}
	}
	field("findings")
	if err := value(r.Findings, true); err != nil {
		return err
	}
	field("flows")
	if err := entries(slices.Collect(maps.Keys(r.Flows)), func(k string) any { return r.Flows[k] }); err != nil {
		return err
	}
	field("version")
	if err := value(r.Version, true); err != nil {
		return err
	}
	bw.WriteString("\n}\n")
	return bw.Flush()
}

// fingerprints returns each finding's Fingerprint with ":N", N counting the
// findings with the same fingerprint in order, so that equal problems of one
// subject stay distinct.
func fingerprints(fs []analyze.Finding) []string {
	seen := map[string]int{}
	out := make([]string, len(fs))
	for i := range fs {
		fp := analyze.Fingerprint(&fs[i])
		seen[fp]++
		out[i] = fp + ":" + strconv.Itoa(seen[fp])
	}
	return out
}
