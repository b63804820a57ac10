// Package durability is the rule that finds where acknowledged writes can be
// lost against a flow's recovery point objective: a write_back cache in front
// of the data, async replication with automatic failover, and a cache that
// holds the only copy.
package durability

import (
	_ "embed"
	"fmt"
	"strings"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/hashicorp/hcl/v2"
)

//go:embed doc.md
var doc string

// Analyzer is the durability rule.
var Analyzer = &analyze.Analyzer{
	ID:       "durability",
	Summary:  "acknowledged writes that a failure can lose: write_back caches and async failover under the flow's rpo, caches holding the only copy",
	Problem:  analyze.Noun{One: "way to lose acknowledged writes", Many: "ways to lose acknowledged writes"},
	Doc:      doc,
	Severity: analyze.Error,
	Run:      run,
}

func run(pass *analyze.Pass) error {
	reported := map[*lang.Component]bool{} // caches found holding the only copy
	reportedQueue := map[flowQueue]bool{}
	t := pass.Results().Traces()
	for i, f := range t.Flows {
		if !f.SLO.HasRPO {
			continue
		}
		for _, s := range t.Steps[i] {
			if s.Class != lang.OpWrite {
				continue
			}
			c := s.Component
			switch {
			case c.Kind == lang.KindCache && c.Strategy == "write_back":
				writeBack(pass, f, c)
			case c.Kind == lang.KindCache && s.Via != nil && !reported[c]:
				reported[c] = onlyCopy(pass, f, s.Via, c)
			case c.Kind == lang.KindDatabase && f.SLO.RPO == 0:
				asyncFailover(pass, f, c)
			}
			if f.SLO.RPO == 0 {
				for _, call := range c.Calls {
					if q := call.To; q != nil && q.Kind == lang.KindQueue && call.Op.Matches(lang.OpWrite) && !reportedQueue[flowQueue{f, q}] {
						reportedQueue[flowQueue{f, q}] = true
						queueLoss(pass, f, q)
					}
				}
			}
		}
	}
	return nil
}

// rpo describes the flow's objective and where it is set.
func rpo(f *lang.Flow) (string, hcl.Range) {
	r, ok := f.SLO.Ranges["rpo"]
	if !ok {
		r = f.Range("slo")
	}
	return fmt.Sprintf("flow %q has rpo = %q", f.Name, lang.FormatDuration(f.SLO.RPO)), r
}

// writeBack reports a write_back cache whose flush interval (unbounded when
// not set) exceeds the flow's rpo: the cache acknowledges writes before the
// origin has them.
func writeBack(pass *analyze.Pass, f *lang.Flow, c *lang.Component) {
	lost := "the acknowledged writes"
	if c.FlushInterval > 0 {
		if c.FlushInterval <= f.SLO.RPO {
			return
		}
		lost = fmt.Sprintf("up to flush_interval = %s of acknowledged writes", lang.FormatDuration(c.FlushInterval))
	}
	origin := "its origin"
	if c.Origin != nil {
		origin = c.Origin.Addr
	}
	want, wantRange := rpo(f)
	detail := fmt.Sprintf("A write_back cache acknowledges a write when the cache has it and writes it to %s later: if the cache fails first, it loses %s not yet written. %s.", origin, lost, want)
	if c.Persistence == "aof" || c.Persistence == "snapshot" {
		detail += fmt.Sprintf(" persistence = %q narrows the window but does not close it: a lost cache node takes its unflushed writes with it.", c.Persistence)
	}
	detail += "\nSmallest fix: strategy = \"write_through\"."
	pass.Report(analyze.Finding{
		Message: fmt.Sprintf("%s is write_back: a cache failure loses %s not yet written to %s, but %s", c.Addr, lost, origin, want),
		Detail:  detail,
		Subject: c.Addr,
		Key:     "write_back under flow " + f.Name,
		Range:   c.Range("strategy"),
		Related: []analyze.Related{{Message: want, Range: wantRange}},
		Data: map[string]any{"flow": f.Name, "rpo_s": f.SLO.RPO.Seconds(), "flush_interval_s": c.FlushInterval.Seconds(),
			"fixes": []string{`strategy = "write_through"`}},
	})
}

// flowQueue is a queue a flow writes to.
type flowQueue struct {
	f *lang.Flow
	q *lang.Component
}

// asyncFailover reports a failover that can lose acknowledged writes under
// rpo = "0s": async replication, semi-sync that falls back to async after
// its timeout (MySQL's rpl_semi_sync_source_timeout), Redis replication
// with Sentinel (WAIT or not), each from its engine-table row.
func asyncFailover(pass *analyze.Pass, f *lang.Flow, c *lang.Component) {
	losses, _ := analyze.DatabaseWriteLosses(c)
	want, wantRange := rpo(f)
	rep := c.Replication
	for _, l := range losses {
		pass.Report(analyze.Finding{
			Message: fmt.Sprintf("%s %s with failover = \"automatic\": a failover promotes a replica that can lack writes the primary acknowledged, but %s", c.Addr, l.Setup, want),
			Detail: fmt.Sprintf("%s. %s: no acknowledged write may be lost. (Source: %s.)\nSmallest fix: %s.",
				capitalize(l.Reason), want, l.Row.Source, strings.Join(l.Fixes, "; or ")),
			Subject: c.Addr,
			Key:     "async automatic failover under flow " + f.Name,
			Range:   c.Range(l.Attr),
			Related: []analyze.Related{
				{Message: want, Range: wantRange},
				{Message: "automatic failover here", Range: c.Range("replication.failover")},
			},
			Data: map[string]any{"flow": f.Name, "rpo_s": 0.0, "replication": rep.Mode, "failover": rep.Failover,
				"engine_table_row": string(l.Row.ID), "fixes": l.Fixes},
		})
	}
}

// queueLoss reports a queue the flow writes to that can lose messages it
// acknowledged, under rpo = "0s" (Kafka's acks, min.insync.replicas and
// unclean leader election).
func queueLoss(pass *analyze.Pass, f *lang.Flow, q *lang.Component) {
	losses, _ := analyze.QueueWriteLosses(q)
	want, wantRange := rpo(f)
	for _, l := range losses {
		pass.Report(analyze.Finding{
			Message: fmt.Sprintf("%s can lose acknowledged messages (%s), but %s", q.Addr, l.Setup, want),
			Detail: fmt.Sprintf("%s. %s: no acknowledged write may be lost. (Source: %s.)\nSmallest fix: %s.",
				capitalize(l.Reason), want, l.Row.Source, strings.Join(l.Fixes, "; or ")),
			Subject: q.Addr,
			Key:     fmt.Sprintf("%s under flow %s", l.Row.ID, f.Name),
			Range:   q.Range(l.Attr),
			Related: []analyze.Related{{Message: want, Range: wantRange}},
			Data:    map[string]any{"flow": f.Name, "rpo_s": 0.0, "engine_table_row": string(l.Row.ID), "fixes": l.Fixes},
		})
	}
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// onlyCopy reports a cache on a flow's write path that has no origin and
// keeps nothing on disk, when the component writing to it sends those writes
// nowhere else: the cache holds the only copy of data that has an rpo.
func onlyCopy(pass *analyze.Pass, f *lang.Flow, via *lang.Call, c *lang.Component) bool {
	w := via.From
	if c.Origin != nil || (c.Persistence != "" && c.Persistence != "none") || writesElsewhere(w, c) {
		return false
	}
	want, wantRange := rpo(f)
	pass.Report(analyze.Finding{
		Message: fmt.Sprintf("%s receives writes from %s but has no origin and persistence = \"none\": it holds the only copy, which a restart or eviction loses, but %s", c.Addr, w.Addr, want),
		Detail: fmt.Sprintf("%s writes to %s and to no other store, and the cache neither writes through to an origin nor persists to disk. A cache restart, failover or eviction loses the data for good.\nSmallest fix: origin = <the store of record> with strategy = \"write_through\"; or persistence = \"aof\" if the cache is meant to be the store.",
			w.Addr, c.Addr),
		Subject: c.Addr,
		Key:     "only copy",
		Range:   c.Range("persistence"),
		Related: []analyze.Related{
			{Message: want, Range: wantRange},
			{Message: fmt.Sprintf("%s writes to the cache here", w.Addr), Range: via.DeclRange},
		},
		Data: map[string]any{"flow": f.Name, "writer": w.Addr, "rpo_s": f.SLO.RPO.Seconds(),
			"fixes": []string{`origin = ... with strategy = "write_through"`, `persistence = "aof"`}},
	})
	return true
}

// writesElsewhere reports whether w sends writes to any component other than
// cache (a store of record, a queue, another service).
func writesElsewhere(w, cache *lang.Component) bool {
	for _, call := range w.Calls {
		if call.To != nil && call.To != cache && call.To.Kind != lang.KindCache && call.Op.Matches(lang.OpWrite) {
			return true
		}
	}
	return false
}
