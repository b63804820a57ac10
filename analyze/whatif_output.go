package analyze

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
)

// overloaded reports whether a utilization is 1 or more (with a relative
// slack of 1e-9, so that 0.9999999999999998 from a sum of shares counts as
// the 1 it is: an M/M/c queue at utilization 1 is not stable).
func overloaded(u float64) bool { return u >= 1-1e-9 }

// Overloaded reports whether the tier is at utilization 1 or more.
func (t *TierFigures) Overloaded() bool { return t.HasCapacity && overloaded(t.Utilization) }

// WriteWhatIfText writes the scenario's figures as tables for people: the
// rows the scenario changes are marked "*", with the nominal figure in
// brackets. Availabilities are written with their nines, as lint's text
// writes them (Nines): 0.99999999 reads "99.9999990%", never "1".
func WriteWhatIfText(w io.Writer, r *WhatIfResult) error {
	var b strings.Builder
	fmt.Fprintf(&b, "scenario: %s\n", r.Scenario.Name())
	b.WriteString("(* marks what the scenario changes; [nominal figures] in brackets)\n\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  tier\tup\tload rps\tutilization\theadroom rps\tbreaks at")
	for _, t := range r.Tiers {
		mark := " "
		if t.Changed {
			mark = "*"
		}
		up := fmt.Sprintf("%d/%d", t.Up, t.Instances)
		load, util, head, brk := num(t.Load, 0), "-", "-", "-"
		switch {
		case t.Down:
			load, up = "down", fmt.Sprintf("0/%d", t.Instances)
		case t.Rerouted != "":
			load = "down " + t.Rerouted
		}
		if t.HasCapacity && !t.Down && t.Rerouted == "" {
			util, head = num(t.Utilization, 3), num(t.Headroom, 0)
			if t.Overloaded() {
				util += " OVER"
			}
			if !math.IsInf(t.BreakScale, 1) {
				brk = "x" + num(t.BreakScale, 2)
				if t.BreakApprox {
					brk = "~" + brk
				}
			}
		}
		if t.Changed {
			load += " [" + num(t.Nominal.Load, 0) + "]"
			if t.HasCapacity && util != "-" {
				util += " [" + num(t.Nominal.Utilization, 3) + "]"
				head += " [" + num(t.Nominal.Headroom, 0) + "]"
			}
		}
		fmt.Fprintf(tw, "%s %s\t%s\t%s\t%s\t%s\t%s\n", mark, t.Addr, up, load, util, head, brk)
	}
	tw.Flush()
	if r.BreaksFirst != "" {
		for _, t := range r.Tiers {
			if t.Addr == r.BreaksFirst {
				if overloaded(t.Utilization) {
					fmt.Fprintf(&b, "\nbreaks first: %s, already at utilization %s in this scenario\n", t.Addr, num(t.Utilization, 3))
				} else {
					fmt.Fprintf(&b, "\nbreaks first as traffic grows: %s, at x%s the scenario's traffic (utilization 1 = 1 / %s)\n",
						t.Addr, num(t.BreakScale, 2), num(t.Utilization, 3))
				}
			}
		}
	}
	b.WriteString("\n")
	tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  flow\tavailability\tlatency mean ms\tlatency p99 ms\tSLO")
	for _, f := range r.Flows {
		mark := " "
		if f.Changed {
			mark = "*"
		}
		avail, mean, p99 := Nines(f.Availability), num(f.LatencyMean, 2), num(f.LatencyP99, 2)
		if len(f.Fails) > 0 {
			mean, p99 = "-", "-"
		}
		if f.Changed {
			avail += " [" + Nines(f.Nominal.Availability) + "]"
			mean += " [" + num(f.Nominal.LatencyMean, 2) + "]"
			p99 += " [" + num(f.Nominal.LatencyP99, 2) + "]"
		}
		fmt.Fprintf(tw, "%s %s\t%s\t%s\t%s\t%s\n", mark, f.Name, avail, mean, p99, sloVerdicts(f))
	}
	tw.Flush()
	for _, f := range r.Flows {
		if len(f.Fails) > 0 {
			fmt.Fprintf(&b, "  flow %s fails: %s\n", f.Name, strings.Join(f.Fails, "; "))
		}
	}
	if len(r.Findings) > 0 {
		b.WriteString("\nfindings the scenario causes:\n")
		for _, f := range r.Findings {
			fmt.Fprintf(&b, "  %s %s %s: %s\n", f.Severity, f.Rule, f.Subject, f.Message)
		}
	} else {
		b.WriteString("\nfindings the scenario causes: none\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func sloVerdicts(f *FlowFigures) string {
	var parts []string
	word := func(ok *bool) string {
		if *ok {
			return "met"
		}
		return "MISSED"
	}
	if f.AvailabilityOK != nil {
		parts = append(parts, fmt.Sprintf("availability >= %s %s", Nines(f.SLO.Availability), word(f.AvailabilityOK)))
	}
	if f.LatencyP99OK != nil {
		parts = append(parts, fmt.Sprintf("p99 <= %s %s", f.SLO.LatencyP99, word(f.LatencyP99OK)))
	}
	if f.LatencyMeanOK != nil {
		parts = append(parts, fmt.Sprintf("mean <= %s %s", f.SLO.LatencyMean, word(f.LatencyMeanOK)))
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, ", ")
}

// num prints v with at most prec decimals, trailing zeros dropped; "inf"
// for +Inf.
func num(v float64, prec int) string {
	switch {
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	case math.IsNaN(v):
		return "-"
	}
	if math.Abs(v) < 0.5*math.Pow(10, -float64(prec)) {
		v = 0 // no "-0"
	}
	s := fmt.Sprintf("%.*f", prec, v)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// The JSON objects of `archform whatif --format json` (keys in alphabetical
// order, as the lint report's).
type (
	whatIfJSON struct {
		BreaksFirst *breakJSON          `json:"breaks_first"`
		Fail        []string            `json:"fail"`
		Findings    []whatIfFindingJSON `json:"findings"`
		Flows       []whatIfFlowJSON    `json:"flows"`
		Scale       []string            `json:"scale"`
		Scenario    string              `json:"scenario"`
		Tiers       []whatIfTierJSON    `json:"tiers"`
		Version     int                 `json:"version"`
	}
	breakJSON struct {
		Component string `json:"component"`
		Scale     any    `json:"scale"`
	}
	whatIfTierJSON struct {
		BreakScale  any             `json:"break_scale"`
		BreakApprox bool            `json:"break_scale_approximate,omitempty"`
		Changed     bool            `json:"changed"`
		Component   string          `json:"component"`
		Down        bool            `json:"down"`
		Headroom    any             `json:"headroom_rps"`
		Instances   int             `json:"instances"`
		Load        any             `json:"load_rps"`
		Nominal     whatIfTierNomJS `json:"nominal"`
		Overloaded  bool            `json:"overloaded"`
		ReroutedTo  string          `json:"rerouted_to,omitempty"`
		Up          int             `json:"up"`
		Utilization any             `json:"utilization"`
	}
	whatIfTierNomJS struct {
		Headroom    any `json:"headroom_rps"`
		Load        any `json:"load_rps"`
		Up          int `json:"up"`
		Utilization any `json:"utilization"`
	}
	whatIfFlowJSON struct {
		Availability any             `json:"availability"`
		Changed      bool            `json:"changed"`
		Fails        []string        `json:"fails"`
		LatencyMean  any             `json:"latency_mean"`
		LatencyP99   any             `json:"latency_p99"`
		Name         string          `json:"name"`
		Nominal      whatIfFlowNomJS `json:"nominal"`
		SLO          map[string]any  `json:"slo"`
		SLOMet       map[string]bool `json:"slo_met"`
	}
	whatIfFlowNomJS struct {
		Availability any `json:"availability"`
		LatencyMean  any `json:"latency_mean"`
		LatencyP99   any `json:"latency_p99"`
	}
	whatIfFindingJSON struct {
		Message  string     `json:"message"`
		Range    *RangeJSON `json:"range"`
		Rule     string     `json:"rule"`
		Severity string     `json:"severity"`
		Subject  string     `json:"subject"`
	}
)

// WriteWhatIfJSON writes the scenario's figures for tools. Latencies are
// in milliseconds; non-finite numbers are null; a figure that means nothing
// (the utilization of a tier without capacity_rps, the latency of a flow
// that fails) is null.
func WriteWhatIfJSON(w io.Writer, r *WhatIfResult) error {
	out := whatIfJSON{Version: JSONVersion, Scenario: r.Scenario.Name(), Fail: []string{}, Scale: []string{},
		Findings: []whatIfFindingJSON{}, Flows: []whatIfFlowJSON{}, Tiers: []whatIfTierJSON{}}
	if r.Scenario != nil {
		for _, f := range r.Scenario.Fails {
			out.Fail = append(out.Fail, f.Spec)
		}
		for _, s := range r.Scenario.Scales {
			out.Scale = append(out.Scale, s.Spec)
		}
	}
	capOnly := func(has bool, v float64) any {
		if !has {
			return nil
		}
		return jsonFinite(v)
	}
	for _, t := range r.Tiers {
		live := !t.Down && t.Rerouted == ""
		jt := whatIfTierJSON{Component: t.Addr, Instances: t.Instances, Up: t.Up, Down: t.Down || t.Rerouted != "",
			ReroutedTo: strings.TrimPrefix(t.Rerouted, "→ "), Changed: t.Changed, Overloaded: live && t.Overloaded(),
			Load: capOnly(live, t.Load), Utilization: capOnly(live && t.HasCapacity, t.Utilization),
			Headroom: capOnly(live && t.HasCapacity, t.Headroom), BreakScale: capOnly(live && t.HasCapacity, t.BreakScale), BreakApprox: t.BreakApprox,
			Nominal: whatIfTierNomJS{Up: t.Nominal.Up, Load: jsonFinite(t.Nominal.Load),
				Utilization: capOnly(t.HasCapacity, t.Nominal.Utilization), Headroom: capOnly(t.HasCapacity, t.Nominal.Headroom)}}
		out.Tiers = append(out.Tiers, jt)
		if t.Addr == r.BreaksFirst {
			out.BreaksFirst = &breakJSON{Component: t.Addr, Scale: jsonFinite(t.BreakScale)}
		}
	}
	for _, f := range r.Flows {
		jf := whatIfFlowJSON{Name: f.Name, Availability: jsonFinite(f.Availability), Changed: f.Changed,
			Fails: append([]string{}, f.Fails...), SLO: map[string]any{}, SLOMet: map[string]bool{},
			Nominal: whatIfFlowNomJS{jsonFinite(f.Nominal.Availability), jsonFinite(f.Nominal.LatencyMean), jsonFinite(f.Nominal.LatencyP99)}}
		if len(f.Fails) == 0 {
			jf.LatencyMean, jf.LatencyP99 = jsonFinite(f.LatencyMean), jsonFinite(f.LatencyP99)
		}
		if f.AvailabilityOK != nil {
			jf.SLO["availability"], jf.SLOMet["availability"] = jsonFinite(f.SLO.Availability), *f.AvailabilityOK
		}
		if f.LatencyP99OK != nil {
			jf.SLO["latency_p99"], jf.SLOMet["latency_p99"] = jsonFinite(1000*f.SLO.LatencyP99.Seconds()), *f.LatencyP99OK
		}
		if f.LatencyMeanOK != nil {
			jf.SLO["latency_mean"], jf.SLOMet["latency_mean"] = jsonFinite(1000*f.SLO.LatencyMean.Seconds()), *f.LatencyMeanOK
		}
		out.Flows = append(out.Flows, jf)
	}
	for _, f := range r.Findings {
		out.Findings = append(out.Findings, whatIfFindingJSON{Rule: f.Rule, Severity: f.Severity.String(),
			Subject: f.Subject, Message: f.Message, Range: NewRangeJSON(f.Range)})
	}
	return encodeJSON(w, out)
}
