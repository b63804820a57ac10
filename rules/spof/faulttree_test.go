package spof

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
)

// SCRAM's TwoTrain model: two trains, each up while its valve and its pump
// are; the system fails when both trains fail. Valves fail with probability
// 0.5, pumps 0.7. In archform's terms: two instances in zones a and b, each
// needing its zone (the valve) and its process (the pump), and a flow that
// needs one of the two.
func TestTwoTrain(t *testing.T) {
	const (
		valveOne = iota
		valveTwo
		pumpOne
		pumpTwo
	)
	trainOne := AnyOf(Event(valveOne), Event(pumpOne))
	trainTwo := AnyOf(Event(valveTwo), Event(pumpTwo))
	top := AllOf(trainOne, trainTwo)
	p := []float64{valveOne: 0.5, valveTwo: 0.5, pumpOne: 0.7, pumpTwo: 0.7}

	if got := FailureProbability(top, p); math.Abs(got-0.7225) > 1e-12 {
		t.Errorf("P(fail) = %v, want 0.7225", got)
	}
	want := []CutSet{{valveOne, valveTwo}, {valveOne, pumpTwo}, {valveTwo, pumpOne}, {pumpOne, pumpTwo}}
	got := MinimalCutSets(top, 0)
	if !sameSets(got, want) {
		t.Errorf("minimal cut sets = %v, want %v", got, want)
	}
	if got := MinimalCutSets(top, 1); len(got) != 0 {
		t.Errorf("single points of failure = %v, want none", got)
	}

	// The same as a 1-of-2 tier: fails when 2 of its 2 instances fail.
	tier := KOf(2, trainOne, trainTwo)
	if got := FailureProbability(tier, p); math.Abs(got-0.7225) > 1e-12 {
		t.Errorf("k-of-n P(fail) = %v, want 0.7225", got)
	}
	if got := MinimalCutSets(tier, 0); !sameSets(got, want) {
		t.Errorf("k-of-n minimal cut sets = %v, want %v", got, want)
	}
}

func sameSets(a, b []CutSet) bool {
	key := func(s []CutSet) map[string]bool {
		m := map[string]bool{}
		for _, c := range s {
			m[c.key()] = true
		}
		return m
	}
	return len(a) == len(b) && reflect.DeepEqual(key(a), key(b))
}

// A majority quorum of three members: placed (2, 1) over two zones, the zone
// holding two is a single point of failure; (1, 1, 1) over three zones has
// none, and its smallest cut sets are pairs of zones.
func TestQuorumPlacement(t *testing.T) {
	const (
		m0 = iota
		m1
		m2
		za
		zb
		zc
	)
	member := func(m, z int) *Node { return AnyOf(Event(m), Event(z)) }

	twoOne := KOf(2, member(m0, za), member(m1, za), member(m2, zb)) // needs 2 of 3 up
	if got, want := MinimalCutSets(twoOne, 1), []CutSet{{za}}; !reflect.DeepEqual(got, want) {
		t.Errorf("(2,1): single points of failure = %v, want %v", got, want)
	}
	oneOneOne := KOf(2, member(m0, za), member(m1, zb), member(m2, zc))
	if got := MinimalCutSets(oneOneOne, 1); len(got) != 0 {
		t.Errorf("(1,1,1): single points of failure = %v, want none", got)
	}
	all := MinimalCutSets(oneOneOne, 0)
	if len(all) != 12 { // any 2 of the 3 members, each by its process or its zone: 3 × 2 × 2
		t.Errorf("(1,1,1): %d minimal cut sets, want 12: %v", len(all), all)
	}

	// 2-of-3 at 0.99 (ORACLES): zones that never fail leave the binomial.
	p := []float64{m0: 0.01, m1: 0.01, m2: 0.01, za: 0, zb: 0, zc: 0}
	if got := 1 - FailureProbability(oneOneOne, p); math.Abs(got-0.999702) > 5e-7 {
		t.Errorf("2-of-3 at 0.99: availability %v, want 0.999702", got)
	}
	// With a shared zone the exact figure is not the independent product:
	// P = P(zone a fails) + P(zone a up) × P(2-of-3 fails given a up).
	p = []float64{m0: 0.01, m1: 0.01, m2: 0.01, za: 0.001, zb: 0, zc: 0}
	pa := 0.01
	upA := 3*pa*pa*(1-pa) + pa*pa*pa // two or three members fail
	// zone a holds m0 and m1: zone a down fails two members at once.
	want := 0.001*1 + 0.999*upA
	if got := FailureProbability(twoOne, p); math.Abs(got-want) > 1e-12 {
		t.Errorf("(2,1) with zone a at 0.001: P(fail) = %v, want %v", got, want)
	}
}

// 10-of-12 at 0.99 is the shop's api tier: fails when 3 of 12 fail.
func TestKOfNAvailability(t *testing.T) {
	var children []*Node
	p := make([]float64, 12)
	for i := range 12 {
		children = append(children, Event(i))
		p[i] = 0.01
	}
	tier := KOf(3, children...)
	if got := 1 - FailureProbability(tier, p); math.Abs(got-0.999794384) > 1e-9 {
		t.Errorf("10-of-12 at 0.99 = %v, want 0.999794384", got)
	}
	if got := MinimalCutSets(tier, 2); len(got) != 0 {
		t.Errorf("10-of-12: cut sets of order ≤ 2 = %v, want none", got)
	}
	if got := MinimalCutSets(tier, 3); len(got) != 220 { // C(12, 3)
		t.Errorf("10-of-12: %d cut sets of order 3, want 220", len(got))
	}
	failed := map[int]bool{0: true, 5: true}
	if tier.Fails(func(e int) bool { return failed[e] }) {
		t.Error("10-of-12 with 2 lost: down, want up")
	}
	failed[7] = true
	if !tier.Fails(func(e int) bool { return failed[e] }) {
		t.Error("10-of-12 with 3 lost: up, want down")
	}
}

// SinglePoints (the fast path of MinimalCutSets(n, 1)) agrees with the
// general computation's cut sets of order 1 on random trees with shared
// events, and with knocking each event out of the tree by evaluation.
func TestSinglePointsAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const events = 8
	var gen func(depth int) *Node
	gen = func(depth int) *Node {
		if depth == 0 || rng.IntN(4) == 0 {
			return Event(rng.IntN(events))
		}
		kids := make([]*Node, 1+rng.IntN(4))
		for i := range kids {
			kids[i] = gen(depth - 1)
		}
		switch rng.IntN(3) {
		case 0:
			return AnyOf(kids...)
		case 1:
			return AllOf(kids...)
		}
		return KOf(1+rng.IntN(len(kids)), kids...)
	}
	nonEmpty := 0
	for i := range 500 {
		top := gen(4)
		var general []int
		for _, cs := range MinimalCutSets(top, 0) {
			if len(cs) == 1 {
				general = append(general, cs[0])
			}
		}
		var knocked []int
		for e := range events {
			if top.Fails(func(x int) bool { return x == e }) {
				knocked = append(knocked, e)
			}
		}
		fast := SinglePoints(top, nil)
		if len(fast) > 0 {
			nonEmpty++
		}
		if fmt.Sprint(fast) != fmt.Sprint(general) || fmt.Sprint(fast) != fmt.Sprint(knocked) {
			t.Fatalf("tree %d: SinglePoints %v, general %v, knock-out %v", i, fast, general, knocked)
		}
	}
	if nonEmpty < 50 || nonEmpty > 450 {
		t.Errorf("%d of 500 random trees have single points of failure: the generator tests too little", nonEmpty)
	}
}

// MinimalCutSets is the test oracle for the linear single-point search:
// MinimalCutSets returns the minimal cut sets of the tree: the smallest sets
// of basic events whose joint failure fails the top event, smallest first.
// maxOrder > 0 keeps only sets of at most that many events (the cut-off
// every fault-tree tool offers); sets of order 1 are the single points of
// failure. Computed bottom up (MOCUS), minimizing at every gate; a k-of-n
// gate by the recurrence S(i, j) = S(i−1, j) ∪ S(i−1, j−1) ⊗ C(i).
func MinimalCutSets(top *Node, maxOrder int) []CutSet {
	if maxOrder == 1 {
		var out []CutSet
		for _, e := range SinglePoints(top, nil) {
			out = append(out, CutSet{e})
		}
		return out
	}
	memo := make(map[*Node][]CutSet)
	var cuts func(n *Node) []CutSet
	cuts = func(n *Node) []CutSet {
		if s, ok := memo[n]; ok {
			return s
		}
		var out []CutSet
		switch n.Gate {
		case Basic:
			out = []CutSet{{n.Event}}
		case Or:
			for _, c := range n.Children {
				out = append(out, cuts(c)...)
			}
			out = minimize(out, maxOrder)
		case And:
			if len(n.Children) > 0 {
				out = cuts(n.Children[0])
				for _, c := range n.Children[1:] {
					out = product(out, cuts(c), maxOrder)
				}
			}
		case AtLeast:
			if n.K <= 0 {
				out = []CutSet{{}}
				break
			}
			// s[j]: cut sets failing j of the children seen so far.
			s := make([][]CutSet, n.K+1)
			s[0] = []CutSet{{}}
			for _, c := range n.Children {
				cc := cuts(c)
				for j := n.K; j >= 1; j-- {
					if len(s[j-1]) > 0 {
						s[j] = minimize(append(s[j], product(s[j-1], cc, maxOrder)...), maxOrder)
					}
				}
			}
			out = s[n.K]
		}
		memo[n] = out
		return out
	}
	return cuts(top)
}
