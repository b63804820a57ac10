package spof

import (
	"math"
	"testing"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
)

// The TwoTrain design: two instances in zones a and b, each needing its zone
// (SCRAM's valve, failing with probability 0.5) and its process (the pump,
// 0.7). The rule's compilation of the flow must be SCRAM's fault tree:
// P(fail) = 0.7225, four minimal cut sets of order 2, none of order 1.
func TestCompileTwoTrain(t *testing.T) {
	const src = `
system "twotrain" {}

region "r1" {
  zones = ["a", "b"]
}

client "plant" {
  rps = 1
  call {
    to = service.train
  }
}

service "train" {
  replicas = 2
  zones    = ["a", "b"]
}
`
	d, diags := lang.LoadFiles(map[string][]byte{"twotrain.arch.hcl": []byte(src)}, lang.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	r := analyze.Compute(d)
	b := newBuilder(d, r)
	fr := r.Flows[r.FlowOrder[0]]
	tiers := b.flowTiers(fr)
	if len(tiers) != 1 {
		t.Fatalf("%d tiers, want 1 (service.train)", len(tiers))
	}
	top := tiers[0].node

	p := make([]float64, len(b.events))
	names := map[string]int{}
	for i, ev := range b.events {
		switch ev.kind {
		case zoneEvent:
			p[i] = 0.5
			names["zone "+ev.zone.Name] = i
		case instanceEvent:
			p[i] = 0.7
			names["instance "+ev.instance.Zone] = i
		}
	}
	if len(b.events) != 4 {
		t.Fatalf("%d basic events, want 4 (two instances, two zones): %v", len(b.events), names)
	}
	if got := FailureProbability(top, p); math.Abs(got-0.7225) > 1e-12 {
		t.Errorf("P(fail) = %v, want 0.7225", got)
	}
	cuts := MinimalCutSets(top, 0)
	if len(cuts) != 4 {
		t.Fatalf("minimal cut sets = %v, want 4", cuts)
	}
	for _, cs := range cuts {
		if len(cs) != 2 {
			t.Errorf("cut set %v: order %d, want 2", cs, len(cs))
		}
		// One event from each train.
		za, zb := names["zone a"], names["zone b"]
		ia, ib := names["instance a"], names["instance b"]
		inA := func(e int) bool { return e == za || e == ia }
		inB := func(e int) bool { return e == zb || e == ib }
		if !(inA(cs[0]) && inB(cs[1]) || inB(cs[0]) && inA(cs[1])) {
			t.Errorf("cut set %v does not take one event from each train", cs)
		}
	}
	if got := SinglePoints(top, nil); len(got) != 0 {
		t.Errorf("single points of failure %v, want none", got)
	}
}
