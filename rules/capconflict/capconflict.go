// Package capconflict is the rule that finds what the CAP theorem rules out:
// a flow that needs linearizable or sequential reads and must stay available
// in a partition, an available flow whose path needs a store that refuses in
// a partition, and a store claimed both consistent and available across zones.
package capconflict

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
)

//go:embed doc.md
var doc string

// Analyzer is the cap-conflict rule.
var Analyzer = &analyze.Analyzer{
	ID:       "cap-conflict",
	Summary:  "consistency and availability that cannot both hold in a network partition (Gilbert and Lynch)",
	Problem:  analyze.Noun{One: "CAP conflict", Many: "CAP conflicts"},
	Doc:      doc,
	Severity: analyze.Error,
	Run:      run,
}

func run(pass *analyze.Pass) error {
	t := pass.Results().Traces()
	for i, f := range t.Flows {
		if f.Partition != analyze.PartitionAvailable {
			continue
		}
		if f.Consistency == lang.Linearizable || f.Consistency == lang.Sequential {
			impossibleFlow(pass, f)
			continue // the flow's own need is the cause; its stores follow from it
		}
		if f.Consistency == lang.BoundedStaleness {
			unboundedFlow(pass, f)
			continue
		}
		refusingStores(pass, f, t.Steps[i])
	}
	for _, c := range pass.Design.Components {
		claimedBoth(pass, c)
	}
	return nil
}

// impossibleFlow: linearizable (and sequential) consistency cannot be
// totally available in a partition (Gilbert and Lynch 2002 for linearizable
// registers; the Jepsen consistency map marks sequential unavailable too).
func impossibleFlow(pass *analyze.Pass, f *lang.Flow) {
	pass.Report(analyze.Finding{
		Message: fmt.Sprintf("flow %q needs %s and partition = \"available\": no system can give both while a network partition lasts (Gilbert and Lynch)", f.Name, f.Consistency),
		Detail: fmt.Sprintf("In a partition, a replica that cannot reach the others must either answer (and may miss writes made on the other side, which %s forbids) or refuse (which \"available\" forbids). Gilbert and Lynch proved this for linearizable reads and writes; sequential consistency is ruled out the same way.\nSmallest fix: partition = \"consistent\" (the flow refuses on the minority side); or consistency = \"causal\", the strongest level that can stay available to clients that stick to one replica.",
			f.Consistency),
		Subject: "flow." + f.Name,
		Key:     "consistent and available",
		Range:   f.Range("partition"),
		Related: []analyze.Related{{Message: fmt.Sprintf("flow %q needs %s here", f.Name, f.Consistency), Range: f.Range("consistency")}},
		Data: map[string]any{"flow": f.Name, "needed": string(f.Consistency), "partition": f.Partition,
			"fixes": []string{`partition = "consistent"`, `consistency = "causal"`}},
	})
}

// unboundedFlow: a staleness bound cannot hold on the side of a partition
// that keeps answering. A replica cut off from the writes for longer than
// max_staleness must refuse (not available) or serve data older than the
// bound; Elasticsearch's minority side, for one, keeps serving reads (Jepsen,
// "Elasticsearch 1.1.0"; issue 23 case 9).
func unboundedFlow(pass *analyze.Pass, f *lang.Flow) {
	bound := lang.FormatDuration(f.MaxStaleness)
	pass.Report(analyze.Finding{
		Message: fmt.Sprintf("flow %q needs bounded_staleness (%s) and partition = \"available\": a side of a network partition that keeps answering serves data older than %s once the partition outlasts it",
			f.Name, bound, bound),
		Detail:  fmt.Sprintf("In a partition, a replica that cannot receive writes either refuses reads (not available) or answers with what it has, which is as old as the partition is long: no bound holds for partitions longer than max_staleness = %s. Elasticsearch's minority side, for one, keeps serving reads (Jepsen, \"Elasticsearch 1.1.0\").\nSmallest fix: partition = \"consistent\" (the flow refuses when its data may be too old); or consistency = \"eventual\" if answering matters more than the bound.", bound),
		Subject: "flow." + f.Name,
		Key:     "bounded and available",
		Range:   f.Range("partition"),
		Related: []analyze.Related{{Message: fmt.Sprintf("flow %q needs bounded_staleness (%s) here", f.Name, bound), Range: f.Range("consistency")}},
		Data: map[string]any{"flow": f.Name, "needed": string(f.Consistency), "max_staleness_s": f.MaxStaleness.Seconds(), "partition": f.Partition,
			"fixes": []string{`partition = "consistent"`, `consistency = "eventual"`}},
	})
}

// refusingStores reports each tier the available flow needs that refuses
// its class of traffic in a partition.
func refusingStores(pass *analyze.Pass, f *lang.Flow, steps []*analyze.Step) {
	seen := map[*lang.Component]bool{}
	for _, s := range steps {
		c := s.Component
		if !s.Required || seen[c] || c == f.Entry {
			continue
		}
		p := analyze.PartitionBehaviour(c, s.Class)
		if p.Mode != analyze.PartitionConsistent {
			continue
		}
		seen[c] = true
		class := "reads"
		if s.Class == lang.OpWrite {
			class = "writes"
		}
		fixes := []string{fmt.Sprintf("partition = %q on flow %q", analyze.PartitionConsistent, f.Name)}
		if s.Class == lang.OpRead && c.Replication.Replicas > 0 && c.Quorum == nil {
			fixes = append([]string{`replication.read_from = "replicas"` + " (stale reads stay available)"}, fixes...)
		}
		pass.Report(analyze.Finding{
			Message: fmt.Sprintf("flow %q must stay available in a partition, but %s refuses its %s there: %s", f.Name, c.Addr, class, p.Reason),
			Detail: fmt.Sprintf("The flow says partition = \"available\": it must answer on every side of a network partition. Its %s need %s, which chooses consistency: %s.\nSmallest fix: %s.",
				class, c.Addr, p.Reason, strings.Join(fixes, "; or ")),
			Subject: c.Addr,
			Key:     fmt.Sprintf("flow %s: %s refused", f.Name, class),
			Range:   c.Range(p.Attr),
			Related: []analyze.Related{{Message: fmt.Sprintf("flow %q must stay available here", f.Name), Range: f.Range("partition")}},
			Data:    map[string]any{"flow": f.Name, "class": string(s.Class), "partition_mode": p.Mode, "fixes": fixes},
		})
	}
}

// claimedBoth reports a store that says partition_mode = "available" while
// its own configuration gives linearizable or sequential reads and its
// members span zones: across a partition between those zones it cannot be
// both.
func claimedBoth(pass *analyze.Pass, c *lang.Component) {
	if !c.Has("partition_mode") || c.PartitionMode != analyze.PartitionAvailable {
		return
	}
	zones := memberZones(c)
	if len(zones) < 2 {
		return
	}
	for _, g := range analyze.ReadGuarantees(c, analyze.ReadHop{}) {
		if g.Level != lang.Linearizable && g.Level != lang.Sequential {
			continue
		}
		pass.Report(analyze.Finding{
			Message: fmt.Sprintf("%s claims partition_mode = \"available\", but its reads are %s (%s) and its members span zones %s: across a partition between them it cannot be both",
				c.Addr, g.Level, g.Reason, strings.Join(zones, ", ")),
			Detail: fmt.Sprintf("%s. A partition between its zones leaves some members unable to reach the others: they must refuse (consistent) or answer possibly stale (available), not both.\nSmallest fix: partition_mode = \"consistent\", which is what this configuration does; or weaken the reads (replicas, or a quorum that is not a majority) if availability is what you need.",
				g.Reason),
			Subject: c.Addr,
			Key:     "claimed available",
			Range:   c.Range("partition_mode"),
			Related: []analyze.Related{{Message: fmt.Sprintf("%s reads are %s because of this", c.Addr, g.Level), Range: g.Range()}},
			Data:    map[string]any{"provided": string(g.Level), "zones": zones, "fixes": []string{`partition_mode = "consistent"`}},
		})
		return
	}
}

// memberZones lists the zones c's instances occupy (its declared zones
// where the decoder placed none), sorted.
func memberZones(c *lang.Component) []string {
	set := map[string]bool{}
	for _, in := range c.Instances {
		if in.Zone != "" {
			set[in.Zone] = true
		}
	}
	if len(c.Instances) == 0 {
		for _, z := range c.Zones {
			set[z] = true
		}
	}
	out := make([]string, 0, len(set))
	for z := range set {
		out = append(out, z)
	}
	sort.Strings(out)
	return out
}
