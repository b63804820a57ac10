package spof

import (
	"sort"
	"strconv"
	"strings"
)

// Minimal cut sets and the exact failure probability of a fault tree: the
// references the tests check the rule's linear-time SinglePoints and its
// findings against (test code: the rule itself does not need them).

// CutSet is a set of basic events, in increasing order.
type CutSet []int

func (s CutSet) key() string {
	var b strings.Builder
	for i, e := range s {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(e))
	}
	return b.String()
}

// union merges two sorted sets.
func union(a, b CutSet) CutSet {
	out := make(CutSet, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || (i < len(a) && a[i] < b[j]):
			out = append(out, a[i])
			i++
		case i == len(a) || b[j] < a[i]:
			out = append(out, b[j])
			j++
		default:
			out = append(out, a[i])
			i++
			j++
		}
	}
	return out
}

// subset reports whether a ⊆ b (both sorted).
func subset(a, b CutSet) bool {
	j := 0
	for _, e := range a {
		for j < len(b) && b[j] < e {
			j++
		}
		if j == len(b) || b[j] != e {
			return false
		}
		j++
	}
	return true
}

// minimize drops duplicates, sets larger than maxOrder (when maxOrder > 0)
// and supersets of other sets, and sorts the rest by order, then events.
func minimize(sets []CutSet, maxOrder int) []CutSet {
	seen := make(map[string]bool, len(sets))
	var kept []CutSet
	for _, s := range sets {
		if maxOrder > 0 && len(s) > maxOrder {
			continue
		}
		if k := s.key(); !seen[k] {
			seen[k] = true
			kept = append(kept, s)
		}
	}
	sort.Slice(kept, func(i, j int) bool {
		if len(kept[i]) != len(kept[j]) {
			return len(kept[i]) < len(kept[j])
		}
		return kept[i].key() < kept[j].key()
	})
	var out []CutSet
	for _, s := range kept {
		minimal := true
		for _, m := range out {
			if len(m) < len(s) && subset(m, s) {
				minimal = false
				break
			}
		}
		if minimal {
			out = append(out, s)
		}
	}
	return out
}

// product is every union of one set from a and one from b.
func product(a, b []CutSet, maxOrder int) []CutSet {
	var out []CutSet
	for _, x := range a {
		for _, y := range b {
			out = append(out, union(x, y))
		}
	}
	return minimize(out, maxOrder)
}

// events collects the basic events under n.
func (n *Node) events(into map[int]bool) {
	if n.Gate == Basic {
		into[n.Event] = true
		return
	}
	for _, c := range n.Children {
		c.events(into)
	}
}

// FailureProbability is the exact probability that the top event occurs when
// basic event e fails with probability p[e], events independent. Gates whose
// children share no event combine their children's probabilities directly;
// where children share events (a zone under several instances), the
// probability is conditioned on one shared event at a time (Shannon
// decomposition), so the work grows with the number of shared events, not
// with the size of the tree.
func FailureProbability(top *Node, p []float64) float64 {
	return prob(top, p, map[int]bool{})
}

// prob computes P(n fails) given the events fixed in cond (true = failed).
func prob(n *Node, p []float64, cond map[int]bool) float64 {
	if n.Gate == Basic {
		if f, ok := cond[n.Event]; ok {
			if f {
				return 1
			}
			return 0
		}
		return p[n.Event]
	}
	// Find an event (not yet fixed) shared by two children.
	owner := make(map[int]int)
	shared := -1
	for i, c := range n.Children {
		ev := make(map[int]bool)
		c.events(ev)
		keys := make([]int, 0, len(ev))
		for e := range ev {
			if _, fixed := cond[e]; !fixed {
				keys = append(keys, e)
			}
		}
		sort.Ints(keys)
		for _, e := range keys {
			if o, ok := owner[e]; ok && o != i && (shared < 0 || e < shared) {
				shared = e
			}
			owner[e] = i
		}
	}
	if shared >= 0 {
		cond[shared] = true
		pf := prob(n, p, cond)
		cond[shared] = false
		pu := prob(n, p, cond)
		delete(cond, shared)
		return p[shared]*pf + (1-p[shared])*pu
	}
	q := make([]float64, len(n.Children))
	for i, c := range n.Children {
		q[i] = prob(c, p, cond)
	}
	switch n.Gate {
	case Or:
		up := 1.0
		for _, x := range q {
			up *= 1 - x
		}
		return 1 - up
	case And:
		if len(q) == 0 {
			return 0
		}
		all := 1.0
		for _, x := range q {
			all *= x
		}
		return all
	}
	// AtLeast: dist[j] = P(exactly j of the children seen so far fail).
	if n.K <= 0 {
		return 1
	}
	dist := make([]float64, len(q)+1)
	dist[0] = 1
	for i, x := range q {
		for j := i + 1; j >= 1; j-- {
			dist[j] = dist[j]*(1-x) + dist[j-1]*x
		}
		dist[0] *= 1 - x
	}
	sum := 0.0
	for j := n.K; j < len(dist); j++ {
		sum += dist[j]
	}
	return sum
}
