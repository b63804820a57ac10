// Package quorum is the rule that checks quorum stores: read and write
// quorums that do not overlap where a flow needs more than eventual reads
// (with the PBS stale-read probability), write quorums that are not a
// majority, and members placed so that losing one zone loses the quorum.
package quorum

import (
	_ "embed"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
)

//go:embed doc.md
var doc string

// Analyzer is the quorum rule.
var Analyzer = &analyze.Analyzer{
	ID:       "quorum",
	Summary:  "r + w ≤ n where a flow needs more than eventual reads; w ≤ n/2; a quorum that does not survive the loss of one zone",
	Problem:  analyze.Noun{One: "quorum problem", Many: "quorum problems"},
	Doc:      doc,
	Severity: analyze.Error,
	Run:      run,
}

func run(pass *analyze.Pass) error {
	d := pass.Design
	for _, s := range pass.Results().Traces().Shortfalls(analyze.MechWeakQuorum, analyze.MechSloppyQuorum) {
		f := s.Finding()
		c := s.Guarantee.Component
		q := c.Quorum
		f.Data["n"], f.Data["r"], f.Data["w"] = q.N, q.R, q.W
		if s.Guarantee.Mechanism == analyze.MechSloppyQuorum {
			f.Message = fmt.Sprintf("flow %q needs %s, but %s is a sloppy quorum: r + w = %d + %d > n = %d, yet writes acknowledged by stand-ins outside the n members can be missed by every read quorum",
				s.Flow.Name, s.Step.Need.Describe(), c.Addr, q.R, q.W, q.N)
			pass.Report(f)
			continue
		}
		if p := s.Guarantee.StaleRead; p != nil {
			f.Message = fmt.Sprintf("flow %q needs %s, but %s has r + w = %d + %d = %d ≤ n = %d: P(stale read) = C(n−w, r)/C(n, r) = C(%d, %d)/C(%d, %d) = %s right after a write (worst case, before anti-entropy)",
				s.Flow.Name, s.Step.Need.Describe(), c.Addr, q.R, q.W, q.R+q.W, q.N, q.N-q.W, q.R, q.N, q.R, p.RatString())
		} else {
			f.Message = fmt.Sprintf("flow %q needs %s, but %s has r + w = %d + %d = %d ≤ n = %d: a read quorum can miss every member with the latest write (replicas are not chosen uniformly, so no PBS probability; worst case, before anti-entropy)",
				s.Flow.Name, s.Step.Need.Describe(), c.Addr, q.R, q.W, q.R+q.W, q.N)
		}
		if 2*q.W <= q.N {
			f.Detail = strings.Replace(f.Detail, "\nSmallest fix:", fmt.Sprintf(" w = %d is not a majority of n = %d either: two writes can both succeed on members that do not overlap.\nSmallest fix:", q.W, q.N), 1)
		}
		pass.Report(f)
	}
	needs := strongNeeds(pass.Results().Traces())
	for _, c := range d.Components {
		if c.Quorum == nil {
			continue
		}
		if n, ok := needs[c]; ok {
			minorityWrites(pass, c, n)
		}
		zoneLoss(pass, c)
	}
	return nil
}

// flowNeed is a flow and what it needs at one tier.
type flowNeed struct {
	flow *lang.Flow
	need analyze.Need
}

// strongNeeds maps each quorum store that a flow needing more than eventual
// reaches to the first such flow (in source order) and its need there.
func strongNeeds(t *analyze.Traces) map[*lang.Component]flowNeed {
	out := map[*lang.Component]flowNeed{}
	for i, f := range t.Flows {
		for _, s := range t.Steps[i] {
			c := s.Component
			if _, done := out[c]; done || c.Quorum == nil || !s.Need.Stated() || s.Need.Level == lang.Eventual {
				continue
			}
			out[c] = flowNeed{f, s.Need}
		}
	}
	return out
}

// minorityWrites reports w ≤ n/2 on a store whose reads are otherwise strong
// (r + w > n) and that a flow needing more than eventual reaches: two write
// quorums need not overlap, so two conflicting writes can both be
// acknowledged. With r + w ≤ n the stale-read finding already says it.
func minorityWrites(pass *analyze.Pass, c *lang.Component, fn flowNeed) {
	q := c.Quorum
	if 2*q.W > q.N || q.R+q.W <= q.N {
		return
	}
	f, need := fn.flow, fn.need
	maj := q.N/2 + 1
	attr := "quorum.w"
	if !c.Has(attr) {
		attr = "quorum"
	}
	pass.Report(analyze.Finding{
		Message: fmt.Sprintf("%s has w = %d ≤ n/2 = %d/2: two writes can both be acknowledged by members that do not overlap (2w = %d ≤ n = %d), and flow %q needs %s",
			c.Addr, q.W, q.N, 2*q.W, q.N, f.Name, need.Describe()),
		Detail: fmt.Sprintf("Write quorums overlap only when 2w > n. With w = %d of n = %d, two clients (or the two sides of a partition) can each get a write acknowledged without either seeing the other, and one of them is later overwritten.\nSmallest fix: quorum { w = %d }.",
			q.W, q.N, maj),
		Subject: c.Addr,
		Key:     "w not a majority",
		Range:   c.Range(attr),
		Related: []analyze.Related{{Message: fmt.Sprintf("%s needs %s here", need.Source(), need.Describe()), Range: need.Range()}},
		Data:    map[string]any{"n": q.N, "r": q.R, "w": q.W, "flow": f.Name, "needed": string(need.Level), "fixes": []string{fmt.Sprintf("quorum { w = %d }", maj)}},
	})
}

// zoneLoss reports a quorum whose members are placed so that losing the zone
// holding the most of them leaves fewer than r or w members in some shard.
// One finding per store: the first shard that fails, and the other zones
// whose loss breaks a shard too.
func zoneLoss(pass *analyze.Pass, c *lang.Component) {
	q := c.Quorum
	need, what := q.W, "writes"
	if q.R > q.W {
		need, what = q.R, "reads"
	} else if q.R == q.W {
		what = "reads and writes"
	}
	members := shards(c)
	var first *analyze.Finding
	var others []string
	for shard, ms := range members {
		counts := map[string]int{}
		for _, in := range ms {
			counts[in.Zone]++
		}
		if _, unplaced := counts[""]; unplaced || len(ms) == 0 {
			return
		}
		zone, most := worstZone(counts)
		left := len(ms) - most
		if left >= need {
			continue
		}
		if first != nil {
			if z := "zone " + zone; !slices.Contains(others, z) && first.Data["zone"] != zone {
				others = append(others, z)
			}
			continue
		}
		where := c.Addr
		if len(members) > 1 {
			where = fmt.Sprintf("shard %d of %s", shard, c.Addr)
		}
		first = &analyze.Finding{
			Message: fmt.Sprintf("losing zone %s leaves %s with %d of %d members (placed %s), fewer than the %d its %s need: the store stops answering them until the zone returns",
				zone, where, left, len(ms), describePlacement(counts), need, what),
			Detail: fmt.Sprintf("A quorum survives the loss of a zone only when no zone holds more than n − q = %d − %d = %d of its members.\n%s",
				len(ms), need, len(ms)-need, spreadFix(pass.Design, len(ms), need)),
			Subject: c.Addr,
			Key:     "quorum lost with a zone",
			Range:   c.Range("zones"),
			Data: map[string]any{"zone": zone, "shard": shard, "members_left": left, "n": len(ms), "quorum": need,
				"placement": counts},
		}
	}
	if first == nil {
		return
	}
	if len(others) > 0 {
		first.Message += fmt.Sprintf(" (also %s)", strings.Join(others, ", "))
	}
	pass.Report(*first)
}

// shards groups c's quorum members by shard, in shard order. Where the
// decoder did not place instances, it places n members over c.Zones evenly
// in order, as docs/language.md says.
func shards(c *lang.Component) [][]*lang.Instance {
	var out [][]*lang.Instance
	for _, in := range c.Instances {
		for len(out) <= in.Shard {
			out = append(out, nil)
		}
		out[in.Shard] = append(out[in.Shard], in)
	}
	if len(out) > 0 || len(c.Zones) == 0 {
		return out
	}
	members := make([]*lang.Instance, c.Quorum.N)
	for i := range members {
		members[i] = &lang.Instance{Component: c, Index: i, Zone: c.Zones[i%len(c.Zones)], Role: lang.RoleMember}
	}
	return [][]*lang.Instance{members}
}

// worstZone is the zone holding the most members (the first by name on a tie).
func worstZone(counts map[string]int) (string, int) {
	zone, most := "", -1
	for _, z := range sortedKeys(counts) {
		if counts[z] > most {
			zone, most = z, counts[z]
		}
	}
	return zone, most
}

func describePlacement(counts map[string]int) string {
	var parts []string
	for _, z := range sortedKeys(counts) {
		parts = append(parts, fmt.Sprintf("%s: %d", z, counts[z]))
	}
	return strings.Join(parts, ", ")
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// spreadFix names the smallest number of zones over which n members, spread
// evenly, survive the loss of any one zone, and the design's zones to use.
func spreadFix(d *lang.Design, n, need int) string {
	for z := 2; z <= n; z++ {
		if n-(n+z-1)/z < need {
			continue
		}
		if len(d.Zones) < z {
			return fmt.Sprintf("Smallest fix: place the %d members over %d zones (the design declares %d).", n, z, len(d.Zones))
		}
		var names []string
		for _, zone := range d.Zones[:z] {
			names = append(names, fmt.Sprintf("%q", zone.Name))
		}
		return fmt.Sprintf("Smallest fix: zones = [%s].", strings.Join(names, ", "))
	}
	return fmt.Sprintf("No spread of %d members survives a zone loss with a quorum of %d: add members (n = %d over 3 zones survives with a majority).", n, need, 2*need-1)
}
