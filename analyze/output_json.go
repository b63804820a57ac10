package analyze

import (
	"io"
	"math"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"

	"github.com/hashicorp/hcl/v2"
)

// JSONVersion is the version of the JSON output format.
const JSONVersion = 1

// The JSON format's objects. Fields are in alphabetical order so that every
// object's keys are sorted, as maps' are (the results' view, ComponentJSON
// and FlowJSON, keeps its own order).
type (
	jsonReport struct {
		Baseline    *jsonBaseline            `json:"baseline,omitempty"`
		Components  map[string]ComponentJSON `json:"components"`
		Diagnostics []jsonDiag               `json:"diagnostics,omitempty"`
		Findings    []jsonFinding            `json:"findings"`
		Flows       map[string]FlowJSON      `json:"flows"`
		Version     int                      `json:"version"`
	}
	jsonFinding struct {
		Data          map[string]any `json:"data"`
		Detail        string         `json:"detail"`
		Fingerprint   string         `json:"fingerprint"`
		Justification string         `json:"justification,omitempty"`
		Message       string         `json:"message"`
		Range         *jsonRange     `json:"range"`
		Related       []jsonRelated  `json:"related"`
		Rule          string         `json:"rule"`
		Severity      string         `json:"severity"`
		Subject       string         `json:"subject"`
		Suppressed    bool           `json:"suppressed"`
	}
	jsonRelated struct {
		Message string     `json:"message"`
		Range   *jsonRange `json:"range"`
	}
	jsonRange struct {
		End      jsonPos `json:"end"`
		Filename string  `json:"filename"`
		Start    jsonPos `json:"start"`
	}
	jsonPos struct {
		Column int `json:"column"`
		Line   int `json:"line"`
	}
	jsonDiag struct {
		Detail   string     `json:"detail"`
		Range    *jsonRange `json:"range"`
		Severity string     `json:"severity"`
		Summary  string     `json:"summary"`
	}
	jsonBaseline struct {
		Matched int             `json:"matched"`
		Stale   []BaselineEntry `json:"stale"`
	}
)

func toJSONRange(r hcl.Range) *jsonRange {
	if r.Filename == "" {
		return nil
	}
	return &jsonRange{
		Filename: filepath.ToSlash(r.Filename),
		Start:    jsonPos{Line: r.Start.Line, Column: r.Start.Column},
		End:      jsonPos{Line: r.End.Line, Column: r.End.Column},
	}
}

// WriteJSON writes the report as LANGUAGE.md specifies:
// {"version": 1, "findings": [...], "components": {...}, "flows": {...}},
// with "diagnostics" for an invalid design and "baseline" when one was
// applied. Suppressed findings are included with their justification.
// Non-finite numbers are written as null.
func WriteJSON(w io.Writer, r *Report) error {
	out := jsonReport{
		Version:    JSONVersion,
		Findings:   []jsonFinding{},
		Components: map[string]ComponentJSON{},
		Flows:      map[string]FlowJSON{},
	}
	for _, d := range r.Diagnostics {
		jd := jsonDiag{Severity: "error", Summary: d.Summary, Detail: d.Detail}
		if d.Severity == hcl.DiagWarning {
			jd.Severity = "warning"
		}
		if d.Subject != nil {
			jd.Range = toJSONRange(*d.Subject)
		}
		out.Diagnostics = append(out.Diagnostics, jd)
	}
	fps := fingerprints(r.Findings)
	for i, f := range r.Findings {
		jf := jsonFinding{
			Rule:        f.Rule,
			Severity:    f.Severity.String(),
			Message:     f.Message,
			Detail:      f.Detail,
			Subject:     f.Subject,
			Range:       toJSONRange(f.Range),
			Related:     []jsonRelated{},
			Data:        map[string]any{},
			Fingerprint: fps[i],
		}
		for _, rel := range f.Related {
			jf.Related = append(jf.Related, jsonRelated{Message: rel.Message, Range: toJSONRange(rel.Range)})
		}
		for k, v := range f.Data {
			jf.Data[k] = finiteJSON(v)
		}
		if f.Suppressed != nil {
			jf.Suppressed = true
			jf.Justification = f.Suppressed.Reason
		}
		out.Findings = append(out.Findings, jf)
	}
	if len(r.Baselined) > 0 || len(r.Stale) > 0 {
		out.Baseline = &jsonBaseline{Matched: len(r.Baselined), Stale: append([]BaselineEntry{}, r.Stale...)}
	}
	if !r.Invalid() && r.Design != nil {
		res, err := r.Results()
		if err != nil {
			return err
		}
		out.Components, out.Flows = res.ComponentsJSON(), res.FlowsJSON()
	}
	return encodeJSON(w, out)
}

// fingerprints returns each finding's Fingerprint with ":N", N counting the
// findings with the same fingerprint in order, so that equal problems of one
// subject stay distinct.
func fingerprints(fs []Finding) []string {
	seen := map[string]int{}
	out := make([]string, len(fs))
	for i := range fs {
		fp := Fingerprint(&fs[i])
		seen[fp]++
		out[i] = fp + ":" + strconv.Itoa(seen[fp])
	}
	return out
}

// jsonFinite returns v rounded to 12 significant digits (so that float noise
// such as 999.9999999999998 reads 1000 and does not differ between
// platforms), or nil (JSON null) when v is NaN or infinite.
func jsonFinite(v float64) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
	if err != nil {
		return v
	}
	return r
}

// finiteJSON replaces non-finite floats anywhere in a finding's data value
// (maps, slices, plain floats) with nil.
func finiteJSON(v any) any {
	switch x := v.(type) {
	case float64:
		return jsonFinite(x)
	case float32:
		return jsonFinite(float64(x))
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = finiteJSON(e)
		}
		return m
	case []any:
		s := make([]any, len(x))
		for i, e := range x {
			s[i] = finiteJSON(e)
		}
		return s
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Slice && rv.Type().Elem().Kind() == reflect.Float64 {
		s := make([]any, rv.Len())
		for i := range s {
			s[i] = jsonFinite(rv.Index(i).Float())
		}
		return s
	}
	if rv.Kind() == reflect.Map && rv.Type().Key().Kind() == reflect.String && rv.Type().Elem().Kind() == reflect.Float64 {
		m := make(map[string]any, rv.Len())
		keys := rv.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		for _, k := range keys {
			m[k.String()] = jsonFinite(rv.MapIndex(k).Float())
		}
		return m
	}
	return v
}
