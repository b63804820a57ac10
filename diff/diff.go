// Package diff compares two versions of a design, as a reviewer of a pull
// request would: what was added, removed and changed (components, calls,
// flows, settings), which findings the change introduces and resolves
// (matched by their fingerprints, which survive line moves), and which
// figures moved (each flow's availability and latencies, each tier's
// utilization and headroom, which flows survive the loss of each zone and
// region).
package diff

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
)

// Side is one version of the design, analysed.
type Side struct {
	// Label names the version for people: a path, or REV:PATH.
	Label   string
	Design  *lang.Design
	Report  *analyze.Report
	Results *analyze.Results
}

// NewSide runs the suite on a decoded design.
func NewSide(label string, d *lang.Design, suite []*analyze.Analyzer, cfg *analyze.Config) (*Side, error) {
	res, err := analyze.ComputeSafe(d)
	if err != nil {
		return nil, err
	}
	rep, err := analyze.RunWithResults(d, suite, cfg, res)
	if err != nil {
		return nil, err
	}
	return &Side{Label: label, Design: d, Report: rep, Results: res}, nil
}

// Op says what happened to an element.
type Op string

// Ops.
const (
	Added   Op = "added"
	Removed Op = "removed"
	Changed Op = "changed"
)

// Change is one structural change between the versions.
type Change struct {
	// Element is "component", "call", "consume", "flow", "region", "zone" or "system".
	Element string `json:"element"`
	Op      Op     `json:"op"`
	// Subject is the element's name: an address, "service.api -> database.users", a flow's name.
	Subject string `json:"subject"`
	// Setting is the attribute that changed (Changed only), e.g. "replicas" or "replication.mode".
	Setting string `json:"setting,omitempty"`
	Base    string `json:"base,omitempty"`
	Head    string `json:"head,omitempty"`
}

// FlowDelta is one flow's figures in both versions (nil where the flow does
// not exist).
type FlowDelta struct {
	Name string       `json:"name"`
	Base *FlowFigures `json:"base"`
	Head *FlowFigures `json:"head"`
	// Worse and Better say whether availability or a latency moved past the
	// noise (a relative 1e-6) in that direction.
	Worse  bool `json:"worse"`
	Better bool `json:"better"`
}

// FlowFigures are a flow's figures in one version.
type FlowFigures struct {
	Availability float64 `json:"availability"`
	// MinutesDownPerMonth is (1 − availability) × 43,200 (a 30-day month).
	MinutesDownPerMonth float64 `json:"minutes_down_per_month"`
	LatencyMean         float64 `json:"latency_mean_ms"`
	LatencyP99          float64 `json:"latency_p99_ms"`
}

// TierDelta is one tier's figures in both versions.
type TierDelta struct {
	Addr  string       `json:"component"`
	Base  *TierFigures `json:"base"`
	Head  *TierFigures `json:"head"`
	Worse bool         `json:"worse"`
}

// TierFigures are a tier's nominal figures in one version.
type TierFigures struct {
	Instances   int     `json:"instances"`
	Load        float64 `json:"load_rps"`
	Utilization float64 `json:"utilization"`
	// Headroom is how many more rps the tier takes before its hottest
	// instance reaches utilization 1 (negative: the excess).
	Headroom float64 `json:"headroom_rps"`
}

// Survival is, for the loss of one zone or region, the flows that cannot be
// served in each version.
type Survival struct {
	Scenario string   `json:"scenario"`
	Base     []string `json:"base_flows_down"`
	Head     []string `json:"head_flows_down"`
	// InBase and InHead say whether the zone or region exists in that version.
	InBase bool `json:"in_base"`
	InHead bool `json:"in_head"`
}

// FindingRef is a finding with its fingerprint.
type FindingRef struct {
	Fingerprint string          `json:"fingerprint"`
	Finding     analyze.Finding `json:"-"`
}

// Result is the comparison of two versions.
type Result struct {
	Base, Head *Side
	// Verdict is what the change does, most serious first, one sentence each.
	Verdict  []string
	Changes  []Change
	New      []FindingRef
	Resolved []FindingRef
	Flows    []FlowDelta
	Tiers    []TierDelta
	Survival []Survival
}

// Compare compares base with head.
func Compare(base, head *Side) *Result {
	r := &Result{Base: base, Head: head}
	r.Changes = designChanges(base.Design, head.Design)
	r.New, r.Resolved = findingChanges(base.Report, head.Report)
	r.Flows = flowDeltas(base, head)
	r.Tiers = tierDeltas(base, head)
	r.Survival = survival(base, head)
	r.Verdict = verdict(r)
	return r
}

// Worse reports whether the change introduces a finding at or above sev.
func (r *Result) Worse(sev analyze.Severity) bool {
	for _, f := range r.New {
		if f.Finding.Severity >= sev {
			return true
		}
	}
	return false
}

// AnyWorse reports whether anything got worse: a new finding of any
// severity, a flow's figure, a tier's headroom, or a flow lost in a zone or
// region failure that survived it before.
func (r *Result) AnyWorse() bool {
	if len(r.New) > 0 {
		return true
	}
	for _, f := range r.Flows {
		if f.Worse {
			return true
		}
	}
	for _, t := range r.Tiers {
		if t.Worse {
			return true
		}
	}
	for _, s := range r.Survival {
		if s.InBase && s.InHead && len(subtract(s.Head, s.Base)) > 0 {
			return true
		}
	}
	return false
}

// ---- findings

// unsuppressed lists the unsuppressed findings one by one (a finding
// grouped with others of its cause is compared on its own, so that a change
// of which finding heads a group is neither new nor resolved).
func unsuppressed(rep *analyze.Report) []analyze.Finding {
	var out []analyze.Finding
	for _, f := range analyze.Ungroup(rep.Findings) {
		if f.Suppressed == nil {
			out = append(out, f)
		}
	}
	return out
}

func findingChanges(base, head *analyze.Report) (added, resolved []FindingRef) {
	count := func(fs []analyze.Finding) map[string]int {
		m := map[string]int{}
		for i := range fs {
			m[analyze.Fingerprint(&fs[i])]++
		}
		return m
	}
	bf, hf := unsuppressed(base), unsuppressed(head)
	bc, hc := count(bf), count(hf)
	// A fingerprint present n times in base and m times in head: the
	// surplus is new (or resolved); the first ones in the sorted order are
	// taken as the old ones.
	seen := map[string]int{}
	for i := range hf {
		fp := analyze.Fingerprint(&hf[i])
		seen[fp]++
		if seen[fp] > bc[fp] {
			added = append(added, FindingRef{Fingerprint: fp, Finding: hf[i]})
		}
	}
	seen = map[string]int{}
	for i := range bf {
		fp := analyze.Fingerprint(&bf[i])
		seen[fp]++
		if seen[fp] > hc[fp] {
			resolved = append(resolved, FindingRef{Fingerprint: fp, Finding: bf[i]})
		}
	}
	return added, resolved
}

// ---- figures

func flowFigures(fr *analyze.FlowResult) *FlowFigures {
	return &FlowFigures{
		Availability:        fr.Availability,
		MinutesDownPerMonth: (1 - fr.Availability) * analyze.MinutesPerMonth,
		LatencyMean:         fr.LatencyMean,
		LatencyP99:          fr.LatencyP99,
	}
}

// moved reports whether b differs from a by more than the noise.
func moved(a, b float64) bool {
	if a == b || math.IsInf(a, 1) && math.IsInf(b, 1) {
		return false
	}
	return math.Abs(a-b) > 1e-6*math.Max(math.Abs(a), math.Abs(b))
}

func flowDeltas(base, head *Side) []FlowDelta {
	var out []FlowDelta
	names := union(base.Results.FlowOrder, head.Results.FlowOrder)
	for _, n := range names {
		d := FlowDelta{Name: n}
		if fr := base.Results.Flows[n]; fr != nil {
			d.Base = flowFigures(fr)
		}
		if fr := head.Results.Flows[n]; fr != nil {
			d.Head = flowFigures(fr)
		}
		if d.Base != nil && d.Head != nil {
			b, h := d.Base, d.Head
			if moved(b.Availability, h.Availability) {
				d.Worse = d.Worse || h.Availability < b.Availability
				d.Better = d.Better || h.Availability > b.Availability
			}
			for _, p := range [][2]float64{{b.LatencyMean, h.LatencyMean}, {b.LatencyP99, h.LatencyP99}} {
				if moved(p[0], p[1]) {
					d.Worse = d.Worse || p[1] > p[0]
					d.Better = d.Better || p[1] < p[0]
				}
			}
			if !d.Worse && !d.Better && !moved(b.Availability, h.Availability) &&
				!moved(b.LatencyMean, h.LatencyMean) && !moved(b.LatencyP99, h.LatencyP99) {
				continue // unchanged
			}
		}
		out = append(out, d)
	}
	return out
}

func tierFigures(cr *analyze.ComponentResult) *TierFigures {
	t := &TierFigures{Instances: len(cr.Component.Instances), Load: cr.Load.Total(), Utilization: cr.Load.Utilization}
	if t.Instances == 0 {
		t.Instances = cr.Component.Replicas
	}
	if t.Utilization > 0 {
		t.Headroom = t.Load * (1/t.Utilization - 1)
	} else {
		t.Headroom = math.Inf(1)
	}
	return t
}

func tierDeltas(base, head *Side) []TierDelta {
	var out []TierDelta
	for _, addr := range union(addrs(base.Design), addrs(head.Design)) {
		d := TierDelta{Addr: addr}
		if cr := base.Results.Components[addr]; cr != nil {
			d.Base = tierFigures(cr)
		}
		if cr := head.Results.Components[addr]; cr != nil {
			d.Head = tierFigures(cr)
		}
		if d.Base != nil && d.Head != nil {
			if d.Base.Instances == d.Head.Instances && !moved(d.Base.Load, d.Head.Load) &&
				!moved(d.Base.Utilization, d.Head.Utilization) {
				continue
			}
			d.Worse = d.Head.Utilization > d.Base.Utilization && moved(d.Base.Utilization, d.Head.Utilization)
		} else if d.Base == nil && d.Head == nil {
			continue
		}
		out = append(out, d)
	}
	return out
}

func addrs(d *lang.Design) []string {
	out := make([]string, 0, len(d.Components))
	for _, c := range d.Components {
		out = append(out, c.Addr)
	}
	return out
}

// flowsDown lists the flows that cannot be served under a zone or region
// loss (sorted), or nil and false when the design has no such zone or
// region.
func flowsDown(s *Side, kind, name string) ([]string, bool) {
	switch kind {
	case "zone":
		if s.Design.Zone(name) == nil {
			return nil, false
		}
	case "region":
		found := false
		for _, r := range s.Design.Regions {
			found = found || r.Name == name
		}
		if !found {
			return nil, false
		}
	}
	w, err := analyze.ParseWhatIf(s.Design, []string{kind + ":" + name}, nil)
	if err != nil {
		return nil, false
	}
	res := analyze.ComputeWhatIf(s.Design, w)
	var down []string
	for _, f := range res.Flows {
		if len(f.Fails) > 0 || f.Availability == 0 {
			down = append(down, f.Name)
		}
	}
	sort.Strings(down)
	return down, true
}

func survival(base, head *Side) []Survival {
	var out []Survival
	add := func(kind string, names []string) {
		for _, n := range names {
			s := Survival{Scenario: kind + " " + n + " lost"}
			s.Base, s.InBase = flowsDown(base, kind, n)
			s.Head, s.InHead = flowsDown(head, kind, n)
			if s.InBase && s.InHead && slices.Equal(s.Base, s.Head) {
				continue
			}
			if !s.InBase && !s.InHead {
				continue
			}
			out = append(out, s)
		}
	}
	zones := func(d *lang.Design) []string {
		var z []string
		for _, x := range d.Zones {
			z = append(z, x.Name)
		}
		return z
	}
	regions := func(d *lang.Design) []string {
		var z []string
		for _, x := range d.Regions {
			z = append(z, x.Name)
		}
		return z
	}
	add("zone", union(zones(base.Design), zones(head.Design)))
	if len(base.Design.Regions) > 1 || len(head.Design.Regions) > 1 {
		add("region", union(regions(base.Design), regions(head.Design)))
	}
	return out
}

// union is a's elements in order, then b's that a lacks, in order.
func union(a, b []string) []string {
	seen := make(map[string]bool, len(a)+len(b))
	var out []string
	for _, s := range append(append([]string{}, a...), b...) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func subtract(a, b []string) []string {
	var out []string
	for _, s := range a {
		if !slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}

// ---- verdict

// Ms formats milliseconds.
func Ms(v float64) string {
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return "unbounded"
	}
	return fmt.Sprintf("%.3g ms", v)
}

// flowsOf names the flows whose path reaches the component (sorted).
func flowsOf(s *Side, addr string) []string {
	var out []string
	for _, name := range s.Results.FlowOrder {
		fr := s.Results.Flows[name]
		for _, h := range fr.Hops {
			if h.Component != nil && h.Component.Addr == addr {
				out = append(out, name)
				break
			}
		}
	}
	return out
}

func verdict(r *Result) []string {
	var v []string
	spofs := map[string][]string{} // subject -> messages, in finding order
	var subjects []string
	for _, f := range r.New {
		if f.Finding.Rule != "spof" {
			continue
		}
		if _, ok := spofs[f.Finding.Subject]; !ok {
			subjects = append(subjects, f.Finding.Subject)
		}
		spofs[f.Finding.Subject] = append(spofs[f.Finding.Subject], f.Finding.Message)
	}
	for _, subj := range subjects {
		where := ""
		if flows := flowsOf(r.Head, subj); len(flows) > 0 {
			where = " to " + flowList(flows)
		}
		more := ""
		if n := len(spofs[subj]); n > 1 {
			more = fmt.Sprintf("; %d findings", n)
		}
		v = append(v, fmt.Sprintf("This change adds a single point of failure%s: %s (%s%s).", where, subj, spofs[subj][0], more))
	}
	for _, s := range r.Survival {
		if !s.InBase || !s.InHead {
			continue
		}
		if lost := subtract(s.Head, s.Base); len(lost) > 0 {
			verb := "no longer survives"
			if len(lost) > 1 {
				verb = "no longer survive"
			}
			v = append(v, fmt.Sprintf("With %s, %s %s.", s.Scenario, flowList(lost), verb))
		}
	}
	var errs, warns int
	for _, f := range r.New {
		switch {
		case f.Finding.Rule == "spof":
		case f.Finding.Severity >= analyze.Error:
			errs++
		case f.Finding.Severity == analyze.Warning:
			warns++
		}
	}
	if errs+warns > 0 {
		v = append(v, fmt.Sprintf("It introduces %s and %s.", plural(errs, "error"), plural(warns, "warning")))
	}
	for _, f := range r.Flows {
		switch {
		case f.Base == nil:
			v = append(v, fmt.Sprintf("It adds flow %s (%s, %s down).", f.Name, analyze.Nines(f.Head.Availability), analyze.Downtime(f.Head.Availability)))
		case f.Head == nil:
			v = append(v, fmt.Sprintf("It removes flow %s.", f.Name))
		case f.Head.Availability < f.Base.Availability && moved(f.Base.Availability, f.Head.Availability):
			v = append(v, fmt.Sprintf("Flow %s's availability falls from %s to %s (%s → %s down).", f.Name,
				analyze.Nines(f.Base.Availability), analyze.Nines(f.Head.Availability), analyze.Downtime(f.Base.Availability), analyze.Downtime(f.Head.Availability)))
		case f.Head.LatencyP99 > f.Base.LatencyP99 && moved(f.Base.LatencyP99, f.Head.LatencyP99):
			v = append(v, fmt.Sprintf("Flow %s's p99 latency grows from %s to %s.", f.Name, Ms(f.Base.LatencyP99), Ms(f.Head.LatencyP99)))
		}
	}
	if len(r.Resolved) > 0 {
		v = append(v, fmt.Sprintf("It resolves %s.", plural(len(r.Resolved), "finding")))
	}
	if len(v) == 0 {
		if len(r.Changes) == 0 {
			v = append(v, "No change to the architecture.")
		} else {
			v = append(v, fmt.Sprintf("No new findings and no figure got worse (%s).", plural(len(r.Changes), "change")))
		}
	}
	return v
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// flowList names flows: "flow browse", "flows browse and order".
func flowList(names []string) string {
	switch len(names) {
	case 0:
		return "no flow"
	case 1:
		return "flow " + names[0]
	}
	return "flows " + strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
