// Package circuitbreaker is the rule that finds a required synchronous
// call to a tier a flow could do without (a search, a recommendation, a
// third party it only reads from) that has neither a circuit breaker nor a
// fallback: its failure cascades up the call path and takes the flow down.
package circuitbreaker

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/rules/internal/formula"
)

//go:embed doc.md
var doc string

// Analyzer is the circuit-breaker rule.
var Analyzer = &analyze.Analyzer{
	ID:       "circuit-breaker",
	Summary:  "a required sync call to a tier a flow could degrade without (search, recommendations, a third party read) with no circuit_breaker or fallback: its failure takes the flow down",
	Problem:  analyze.Noun{One: "call with no circuit breaker or fallback", Many: "calls with no circuit breaker or fallback"},
	Doc:      doc,
	Severity: analyze.Warning,
	Run:      run,
}

// degradableNames are words in a component's name that mark what a page
// can show without: recommendations, suggestions, ads, reviews, ratings.
var degradableNames = []string{"recommend", "reco", "suggest", "personaliz", "personalis", "ads", "advert", "review", "rating", "related", "trending"}

// degradable reports whether a flow could answer without the call's target,
// and why: a search index, a third party read from, or a component whose
// name says it is an enhancement. Writes are never degradable: the flow
// exists to make them.
func degradable(c *lang.Call) (string, bool) {
	t := c.To
	if t == nil || c.Op != lang.OpRead {
		return "", false
	}
	switch t.Kind {
	case lang.KindSearch:
		return "a search", true
	case lang.KindExternal:
		return "a third party read from", true
	case lang.KindService:
		name := strings.ToLower(t.Name)
		for _, w := range degradableNames {
			if strings.Contains(name, w) {
				return fmt.Sprintf("an enhancement (its name has %q)", w), true
			}
		}
	}
	return "", false
}

// protected reports whether the caller already survives the target's
// failure: a breaker, a fallback, or the call marked not required.
func protected(c *lang.Call) bool { return c.CircuitBreaker || c.Fallback != nil || !c.Required }

// hit is one flow a call takes down.
type hit struct {
	fr       *analyze.FlowResult
	path     []string
	a, given float64 // the flow's availability, and with the call degradable
}

func run(pass *analyze.Pass) error {
	r := pass.Results()
	if r == nil {
		return nil
	}
	byCall := map[*lang.Call][]hit{}
	var calls []*lang.Call
	for _, name := range r.FlowOrder {
		fr := r.Flows[name]
		if fr == nil {
			continue
		}
		for _, h := range fr.Hops {
			c := h.Via
			if c == nil || !h.Required || !c.Sync() || protected(c) {
				continue
			}
			if _, ok := degradable(c); !ok {
				continue
			}
			if slices.ContainsFunc(byCall[c], func(x hit) bool { return x.fr == fr }) {
				continue
			}
			if byCall[c] == nil {
				calls = append(calls, c)
			}
			byCall[c] = append(byCall[c], hit{fr: fr, path: path(fr, h), a: fr.Availability, given: givenBack(fr, c)})
		}
	}
	for _, c := range calls {
		pass.Report(finding(c, byCall[c]))
	}
	return nil
}

// path is the cascade: the tiers from the flow's entry to the hop, by the
// calls that first reach each.
func path(fr *analyze.FlowResult, h *analyze.Hop) []string {
	first := map[*lang.Component]*analyze.Hop{}
	for _, x := range fr.Hops {
		if first[x.Component] == nil {
			first[x.Component] = x
		}
	}
	out := []string{h.Component.Addr}
	seen := map[*lang.Component]bool{h.Component: true}
	for cur := h; cur.Via != nil && cur.Via.From != nil; {
		prev := cur.Via.From
		if seen[prev] {
			break
		}
		seen[prev] = true
		out = append(out, prev.Addr)
		next := first[prev]
		if next == nil {
			break
		}
		cur = next
	}
	slices.Reverse(out)
	return out
}

// givenBack is the flow's availability with the call made optional: the
// independent factors (availability groups) whose every tier the flow then
// no longer needs are taken out of the product. A tier is still needed if
// the entry reaches it through required sync calls other than c (or a
// cache's origin).
func givenBack(fr *analyze.FlowResult, c *lang.Call) float64 {
	on := map[*lang.Component]bool{}
	for _, h := range fr.Hops {
		on[h.Component] = true
	}
	reached := map[*lang.Component]bool{fr.Entry: true}
	queue := []*lang.Component{fr.Entry}
	for i := 0; i < len(queue); i++ {
		x := queue[i]
		next := func(t *lang.Component) {
			if t != nil && on[t] && !reached[t] {
				reached[t] = true
				queue = append(queue, t)
			}
		}
		for _, call := range x.Calls {
			if call != c && call.Required && call.Sync() {
				next(call.To)
			}
		}
		if x.Kind == lang.KindCache {
			next(x.Origin)
		}
	}
	a := fr.Availability
	for _, g := range fr.Groups {
		free := len(g.Tiers) > 0
		for _, t := range g.Tiers {
			if reached[componentOf(fr, t)] {
				free = false
				break
			}
		}
		if free && g.Availability > 0 {
			a /= g.Availability
		}
	}
	return min(a, 1)
}

func componentOf(fr *analyze.FlowResult, addr string) *lang.Component {
	for _, h := range fr.Hops {
		if h.Component.Addr == addr {
			return h.Component
		}
	}
	return nil
}

func flowName(fr *analyze.FlowResult) string {
	if fr.Flow == nil {
		return fr.Subject() + "'s flow"
	}
	return fmt.Sprintf("flow %q", fr.Name)
}

func finding(c *lang.Call, hits []hit) analyze.Finding {
	why, _ := degradable(c)
	h := hits[0]
	var others []string
	for _, x := range hits[1:] {
		others = append(others, fmt.Sprintf("%s: %s → %s", flowName(x.fr), formula.Availability(x.a), formula.Availability(x.given)))
	}
	more := ""
	if len(others) > 0 {
		more = "; also " + strings.Join(others, ", ")
	}
	flows := make([]string, len(hits))
	for i, x := range hits {
		flows[i] = x.fr.Name
	}
	return analyze.Finding{
		Message: fmt.Sprintf("%s calls %s (%s) synchronously, required, with no circuit_breaker or fallback: its failure takes down %s along %s; degrading instead gives back availability %s → %s%s",
			c.From.Addr, c.To.Addr, why, flowName(h.fr), strings.Join(h.path, " → "), formula.Availability(h.a), formula.Availability(h.given), more),
		Detail: fmt.Sprintf("When %s fails or slows down, every request waits on it (up to its timeout, with its retries), the caller's workers fill, and the failure moves up the path to the entry: a cascade. "+
			"The flow could answer without it (an empty result, a cached or default answer). Set circuit_breaker = true on the call (stop calling a failing target for a while and fail fast), "+
			"and required = false or a fallback = COMPONENT that answers instead; the availability after the arrow is the flow's without the tiers only this call needs.", c.To.Addr),
		Subject: c.From.Addr,
		Key:     "no breaker on the call to " + c.To.Addr,
		Range:   c.DeclRange,
		Related: []analyze.Related{{Message: "the flow it takes down", Range: h.fr.DeclRange()}},
		Data:    map[string]any{"target": c.To.Addr, "flows": flows, "path": h.path, "availability": h.a, "availability_degraded": h.given},
	}
}
