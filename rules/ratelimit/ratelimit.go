// Package ratelimit is the rule that checks a rate_limit against the design:
// a limit above what the tiers behind it carry protects nothing, and a limit
// below the declared traffic sheds part of it.
package ratelimit

import (
	_ "embed"
	"fmt"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/rules/internal/formula"
)

//go:embed doc.md
var doc string

// Analyzer is the rate-limit rule.
var Analyzer = &analyze.Analyzer{
	ID:       "rate-limit",
	Summary:  "a rate_limit above what the tiers behind it carry protects nothing; one below the declared traffic sheds 1 − limit ÷ traffic of it",
	Problem:  analyze.Noun{One: "mis-sized rate limit", Many: "mis-sized rate limits"},
	Doc:      doc,
	Severity: analyze.Warning,
	Run:      run,
}

// Shed is the share of traffic a limit refuses: 1 − limit ÷ traffic, 0 when
// the traffic fits.
func Shed(limit, traffic float64) float64 {
	if traffic <= limit || traffic <= 0 {
		return 0
	}
	return 1 - limit/traffic
}

// Carry is the rate into the limited component at which a tier behind it
// reaches utilization 1, when all of the tier's load comes through it and
// grows in proportion: traffic ÷ utilization. 8000 rps reaching a tier at
// utilization 0.8 gives 10000 rps.
func Carry(traffic, utilization float64) float64 { return traffic / utilization }

// limit is a rate_limit's total rate where it can be known, with its terms.
type limit struct {
	rate    float64
	clients int    // 0 for a global limit
	unit    string // "client" or "ip"
}

// textAs is text with the total written as total (digits chosen by the
// caller) instead of formula.Num's.
func (l limit) textAs(rl *lang.RateLimit, total string) string {
	if l.clients == 0 {
		return fmt.Sprintf("rate_limit %s rps (global)", total)
	}
	who := map[string]string{"client": "clients", "ip": "IPs"}[l.unit]
	return fmt.Sprintf("rate_limit %s × %d %s (per %s) = %s rps", formula.Rate(rl.Rate), l.clients, who, l.unit, total)
}

func (l limit) text(rl *lang.RateLimit) string {
	if l.clients == 0 {
		return fmt.Sprintf("rate_limit %s (global)", formula.Rate(rl.Rate))
	}
	who := map[string]string{"client": "clients", "ip": "IPs"}[l.unit]
	return fmt.Sprintf("rate_limit %s × %d %s (per %s) = %s", formula.Rate(rl.Rate), l.clients, who, l.unit, formula.Rate(l.rate))
}

// total is the limit over every caller: the rate itself for per = "global";
// for per = "client" the rate × the calling components, for per = "ip" ×
// their instances, when every caller is an internal component (a client
// block, CDN, load balancer or gateway in front forwards an unknown number
// of outside clients).
func total(d *lang.Design, c *lang.Component) (limit, bool) {
	rl := c.RateLimit
	if rl.Per == "global" {
		return limit{rate: rl.Rate}, true
	}
	callers, instances := map[*lang.Component]bool{}, 0
	for _, in := range d.Incoming(c) {
		switch in.From.Kind {
		case lang.KindClient, lang.KindCDN, lang.KindLoadBalancer, lang.KindGateway:
			return limit{}, false
		}
		if !callers[in.From] {
			callers[in.From] = true
			instances += max(len(in.From.Instances), 1)
		}
	}
	n := len(callers)
	if rl.Per == "ip" {
		n = instances
	}
	if n == 0 {
		return limit{}, false
	}
	return limit{rate: rl.Rate * float64(n), clients: n, unit: rl.Per}, true
}

func run(pass *analyze.Pass) error {
	r := pass.Results()
	if r == nil || r.Nominal == nil {
		return nil
	}
	d := pass.Design
	for _, c := range d.Components {
		if c.RateLimit == nil || c.RateLimit.Rate <= 0 {
			continue
		}
		l := r.Nominal.Load[c.Addr]
		lim, ok := total(d, c)
		if !ok || l == nil || l.Total() <= 0 {
			continue
		}
		traffic := l.Total()
		// Above what the tier carries by more than rounding: a limit equal
		// to it is not above it.
		if t, carry, ok := weakest(d, r.Nominal, c, traffic); ok && lim.rate > carry*(1+1e-9) {
			tl := r.Nominal.Load[t.Addr]
			limText, carryText := formula.Apart(lim.rate, ">", carry, formula.Num)
			util := formula.Factor(tl.Utilization, func(x float64) bool { return formula.Num(traffic/x) == carryText })
			pass.Report(analyze.Finding{
				Message: fmt.Sprintf("%s > %s rps = %s / %s, the rate at which %s behind it reaches utilization 1: the limit does not protect it",
					lim.textAs(c.RateLimit, limText), carryText, formula.Rate(traffic), util, t.Addr),
				Detail: fmt.Sprintf("At the declared %s into %s, %s is at utilization %s, and all of its load comes through %s: at the limit's %s it would be at %s. "+
					"Lower the limit to at most %s (%s keeps %s at its max_utilization %s), or add capacity behind it.",
					formula.Rate(traffic), c.Addr, t.Addr, formula.Ratio(tl.Utilization), c.Addr, formula.Rate(lim.rate), formula.Ratio(tl.Utilization*lim.rate/traffic),
					formula.Rate(carry), formula.Rate(carry*t.MaxUtilization), t.Addr, formula.Num(t.MaxUtilization)),
				Subject: c.Addr,
				Key:     "limit above what " + t.Addr + " carries",
				Range:   c.Range("rate_limit.rate"),
				Related: []analyze.Related{{Message: "the tier it does not protect", Range: t.Range("capacity_rps")}},
				Data: map[string]any{"limit_rps": lim.rate, "traffic_rps": traffic, "tier": t.Addr,
					"tier_utilization": tl.Utilization, "carry_rps": carry},
			})
		}
		if s := Shed(lim.rate, traffic); s > 0 {
			pass.Report(analyze.Finding{
				Message: fmt.Sprintf("%s < %s arriving at %s: it sheds 1 − %s / %s = %s of requests",
					lim.text(c.RateLimit), formula.Rate(traffic), c.Addr, formula.Num(lim.rate), formula.Num(traffic), percent(s)),
				Detail: fmt.Sprintf("The declared traffic (%s) is more than the limit lets through: %s of requests (%s) are refused in normal operation. "+
					"If that is the intent, lower the clients' declared rps to what passes; otherwise raise the limit to at least %s.",
					formula.Rate(traffic), percent(s), formula.Rate(traffic-lim.rate), formula.Rate(traffic)),
				Subject: c.Addr,
				Key:     "limit below the traffic",
				Range:   c.Range("rate_limit.rate"),
				Data:    map[string]any{"limit_rps": lim.rate, "traffic_rps": traffic, "shed": s},
			})
		}
	}
	return nil
}

func percent(s float64) string { return formula.Num(100*s) + "%" }

// weakest is the tier behind c (c itself when it is a service, and what it
// reaches through sync calls and caches' origins) with declared capacity
// whose load comes only through c, that reaches utilization 1 at the lowest
// rate into c.
func weakest(d *lang.Design, nominal *analyze.Scenario, c *lang.Component, traffic float64) (*lang.Component, float64, bool) {
	elsewhere := reachableAvoiding(d, c)
	var best *lang.Component
	bestCarry := 0.0
	for _, t := range behind(c) {
		l := nominal.Load[t.Addr]
		if t.CapacityRPS <= 0 || l == nil || l.Utilization <= 0 || elsewhere[t] {
			continue
		}
		if carry := Carry(traffic, l.Utilization); best == nil || carry < bestCarry {
			best, bestCarry = t, carry
		}
	}
	return best, bestCarry, best != nil
}

// behind lists the tiers c's limit stands in front of, in breadth-first order.
func behind(c *lang.Component) []*lang.Component {
	seen := map[*lang.Component]bool{c: true}
	var out []*lang.Component
	if c.Kind == lang.KindService {
		out = append(out, c)
	}
	queue := []*lang.Component{c}
	for len(queue) > 0 {
		x := queue[0]
		queue = queue[1:]
		var next []*lang.Component
		for _, call := range x.Calls {
			if call.Sync() && call.To != nil {
				next = append(next, call.To)
			}
		}
		if x.Origin != nil {
			next = append(next, x.Origin)
		}
		for _, y := range next {
			if !seen[y] {
				seen[y] = true
				out = append(out, y)
				queue = append(queue, y)
			}
		}
	}
	return out
}

// reachableAvoiding is every component that traffic reaches from the
// design's clients without passing through c: along calls (either mode, and
// their fallbacks), caches' origins, and queues to their consumers.
func reachableAvoiding(d *lang.Design, c *lang.Component) map[*lang.Component]bool {
	seen := map[*lang.Component]bool{}
	var stack []*lang.Component
	push := func(x *lang.Component) {
		if x != nil && x != c && !seen[x] {
			seen[x] = true
			stack = append(stack, x)
		}
	}
	for _, x := range d.Components {
		if x.Kind == lang.KindClient {
			push(x)
		}
	}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, call := range x.Calls {
			push(call.To)
			push(call.Fallback)
		}
		push(x.Origin)
		if x.Kind == lang.KindQueue {
			for _, cs := range d.Consumers(x) {
				push(cs.Consumer)
			}
		}
	}
	return seen
}
