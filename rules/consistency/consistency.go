// Package consistency is the rule that holds each flow's reads to the
// consistency the flow (or a call on its path) needs: a component on the
// read path that provides a weaker level is a finding.
package consistency

import (
	_ "embed"

	"github.com/archform/archform/analyze"
)

//go:embed doc.md
var doc string

// Analyzer is the consistency rule.
var Analyzer = &analyze.Analyzer{
	ID:       "consistency",
	Summary:  "a flow reads through a replica, cache, CDN or index that gives less consistency than the flow or call needs",
	Problem:  analyze.Noun{One: "read weaker than its flow needs", Many: "reads weaker than their flow needs"},
	Doc:      doc,
	Severity: analyze.Error,
	Run:      run,
}

// mechanisms are the provided levels this rule checks. Weak and sloppy quorums, the
// cache-aside invalidation race and active-active conflicts have rules of
// their own (quorum, cache-invalidation, multi-region-conflict), so that one
// cause gives one finding.
var mechanisms = []analyze.Mechanism{
	analyze.MechPrimary,
	analyze.MechSyncReplica,
	analyze.MechSemiSyncReplica,
	analyze.MechAsyncReplica,
	analyze.MechLeaderless,
	analyze.MechQuorum,
	analyze.MechCacheTTL,
	analyze.MechCacheCoherent,
	analyze.MechCDN,
	analyze.MechSearchRefresh,
	analyze.MechMultiRegionCRDT,
	analyze.MechFailover,
	analyze.MechMongoPrimary,
	analyze.MechLocalQuorum,
	analyze.MechFollowerRead,
	analyze.MechCacheBypassed,
}

func run(pass *analyze.Pass) error {
	for _, s := range pass.Results().Traces().Shortfalls(mechanisms...) {
		pass.Report(s.Finding())
	}
	return nil
}
