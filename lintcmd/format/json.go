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
	"strconv"

	"github.com/hashicorp/hcl/v2"
)

// The JSON format's objects. Fields are in alphabetical order so that every
// object's keys are sorted, as maps' are (the results' view, ComponentJSON
// and FlowJSON, keeps its own order).
type (
	jsonFinding struct {
		Cause         string             `json:"cause,omitempty"`
		Data          map[string]any     `json:"data"`
		Detail        string             `json:"detail"`
		Fingerprint   string             `json:"fingerprint"`
		Grouped       []jsonFinding      `json:"grouped,omitempty"`
		Justification string             `json:"justification,omitempty"`
		Message       string             `json:"message"`
		Range         *analyze.RangeJSON `json:"range"`
		Related       []jsonRelated      `json:"related,omitempty"`
		Rule          string             `json:"rule"`
		Severity      string             `json:"severity"`
		Subject       string             `json:"subject"`
		Suppressed    bool               `json:"suppressed,omitempty"`
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
// {"version": 2, "findings": [...], "components": {...}, "flows": {...}},
// with "diagnostics" for an invalid design and "baseline" when one was
// applied. Suppressed findings are included with their justification.
// Non-finite numbers are written as null. applied is what a baseline did
// (nil: none was applied).
//
// The report streams: each finding, component and flow is built as its
// turn to be written comes, so that a design of 10,000 components never
// has its whole report in memory, as objects or as bytes. Each finding,
// diagnostic, component and flow is one line: indented, their keys and
// figures would make most of the report's bytes, and a line per object
// still reads and diffs well.
func WriteJSON(w io.Writer, r *analyze.Report, applied *baseline.Applied) error {
	var diags []jsonDiag
	for _, d := range r.Diagnostics {
		jd := jsonDiag{Severity: "error", Summary: d.Summary, Detail: d.Detail}
		if d.Severity == hcl.DiagWarning {
			jd.Severity = "warning"
		}
		if d.Subject != nil {
			jd.Range = analyze.NewRangeJSON(*d.Subject)
		}
		diags = append(diags, jd)
	}
	var res *analyze.Results
	if !r.Invalid() && r.Design != nil {
		var err error
		if res, err = r.Results(); err != nil {
			return err
		}
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	e := &jsonStream{w: bw}
	e.enc = json.NewEncoder(&e.buf)
	e.enc.SetEscapeHTML(false)
	bw.WriteString("{")
	if applied != nil && (len(applied.Matched) > 0 || len(applied.Stale) > 0) {
		e.field("baseline")
		e.value(&jsonBaseline{Matched: len(applied.Matched), Stale: append([]baseline.Entry{}, applied.Stale...)}, "  ")
	}
	e.field("components")
	var components, flows []string
	if res != nil {
		components, flows = slices.Sorted(maps.Keys(res.Components)), slices.Sorted(maps.Keys(res.Flows))
	}
	e.entries(components, func(k string) any { return res.ComponentJSON(k) })
	if diags != nil {
		e.field("diagnostics")
		e.array(len(diags), func(i int) any { return diags[i] })
	}
	e.field("findings")
	fps := groupFingerprints(r.Findings)
	e.array(len(r.Findings), func(i int) any {
		f := &r.Findings[i]
		jf := newJSONFinding(f, fps.heads[i])
		for j := range f.Grouped {
			jf.Grouped = append(jf.Grouped, newJSONFinding(&f.Grouped[j], fps.members[i][j]))
		}
		return jf
	})
	e.field("flows")
	e.entries(flows, func(k string) any { return res.FlowJSON(k) })
	e.field("version")
	e.value(analyze.JSONVersion, "  ")
	bw.WriteString("\n}\n")
	if e.err != nil {
		return e.err
	}
	return bw.Flush()
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

// jsonStream writes the report's top-level object a field at a time, as
// encodeJSON would indent it, except that the elements of its arrays and
// maps are one line each. The first error stops it (err).
type jsonStream struct {
	w     *bufio.Writer
	buf   bytes.Buffer
	enc   *json.Encoder
	first bool // a field was written
	err   error
}

// value writes v, indented as if it were at the depth whose lines start
// with prefix ("" for one line).
func (e *jsonStream) value(v any, prefix string) {
	if e.err != nil {
		return
	}
	e.buf.Reset()
	if prefix != "" {
		e.enc.SetIndent(prefix, "  ")
	} else {
		e.enc.SetIndent("", "")
	}
	if e.err = e.enc.Encode(v); e.err == nil {
		_, e.err = e.w.Write(bytes.TrimSuffix(e.buf.Bytes(), []byte("\n")))
	}
}

// field starts the top-level field name.
func (e *jsonStream) field(name string) {
	if e.first {
		e.w.WriteString(",")
	}
	e.first = true
	e.w.WriteString("\n  " + strconv.Quote(name) + ": ")
}

// entries writes a map's entries in the order of keys, one line each, the
// value of each built by at when written.
func (e *jsonStream) entries(keys []string, at func(string) any) {
	if len(keys) == 0 {
		e.w.WriteString("{}")
		return
	}
	e.w.WriteString("{")
	for i, k := range keys {
		if i > 0 {
			e.w.WriteString(",")
		}
		e.w.WriteString("\n    ")
		e.value(k, "")
		e.w.WriteString(": ")
		e.value(at(k), "")
	}
	e.w.WriteString("\n  }")
}

// array writes an array of n elements as a field's value, one line each,
// each element built by at when written.
func (e *jsonStream) array(n int, at func(int) any) {
	if n == 0 {
		e.w.WriteString("[]")
		return
	}
	e.w.WriteString("[")
	for i := range n {
		if i > 0 {
			e.w.WriteString(",")
		}
		e.w.WriteString("\n    ")
		e.value(at(i), "")
	}
	e.w.WriteString("\n  ]")
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
