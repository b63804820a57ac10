package spof

import (
	"slices"
	"sort"
)

// A fault tree: the top event (a flow goes down) as gates over basic events
// (an instance, a zone or a region is lost). It is the structure the rule
// knocks basic events out of, and it answers the two questions reliability
// engineering asks of such a structure: its minimal cut sets and its exact
// failure probability.

// Gate is a fault-tree node's logic.
type Gate int

// Gates.
const (
	Basic   Gate = iota // a basic event
	Or                  // fails when any child fails
	And                 // fails when every child fails
	AtLeast             // fails when at least K children fail (a k-of-n tier)
)

// Node is a node of a fault tree. A Basic node names its event; the others
// combine their children. Nodes may be shared (a zone's event sits under
// every instance placed in it).
type Node struct {
	Gate     Gate
	Event    int // Basic: the event's index
	K        int // AtLeast: how many failed children fail the gate
	Children []*Node
}

// Event makes a basic-event node.
func Event(e int) *Node { return &Node{Gate: Basic, Event: e} }

// AnyOf makes an OR gate.
func AnyOf(children ...*Node) *Node { return &Node{Gate: Or, Children: children} }

// AllOf makes an AND gate.
func AllOf(children ...*Node) *Node { return &Node{Gate: And, Children: children} }

// KOf makes a gate that fails when at least k of its children fail. A tier
// of n instances that needs m of them up fails when n − m + 1 fail.
func KOf(k int, children ...*Node) *Node { return &Node{Gate: AtLeast, K: k, Children: children} }

// Fails evaluates the tree with the basic events for which failed is true.
func (n *Node) Fails(failed func(event int) bool) bool {
	switch n.Gate {
	case Basic:
		return failed(n.Event)
	case Or:
		for _, c := range n.Children {
			if c.Fails(failed) {
				return true
			}
		}
		return false
	case And:
		for _, c := range n.Children {
			if !c.Fails(failed) {
				return false
			}
		}
		return len(n.Children) > 0
	}
	count := 0
	for _, c := range n.Children {
		if c.Fails(failed) {
			count++
			if count >= n.K {
				return true
			}
		}
	}
	return n.K <= 0
}

// SinglePoints returns the basic events whose failure alone fails n (its
// minimal cut sets of order 1: the single points of failure), in increasing
// order. It is MinimalCutSets(n, 1) in time linear in the tree: an event
// alone fails an OR gate when it fails any child, an AND gate when it fails
// every child, and a k-of-n gate when it fails at least k children. memo,
// when not nil, keeps the answer per node across calls on trees that share
// nodes.
func SinglePoints(n *Node, memo map[*Node][]int) []int {
	if memo == nil {
		memo = map[*Node][]int{}
	}
	if s, ok := memo[n]; ok {
		return s
	}
	var out []int
	switch n.Gate {
	case Basic:
		out = []int{n.Event}
	case Or:
		// Every child's events, sorted, each once. (Sorting the children's
		// lists together costs less than a set per node: a large design's
		// trees have tens of thousands of nodes.)
		for _, c := range n.Children {
			out = append(out, SinglePoints(c, memo)...)
		}
		sort.Ints(out)
		out = slices.Compact(out)
	case And, AtLeast:
		need := len(n.Children)
		if n.Gate == AtLeast {
			need = n.K
		}
		if need <= 0 || need > len(n.Children) {
			break // fails with no event (a cut set of order 0), or never
		}
		// The events that at least need of the children's lists name, by
		// counting the runs of the lists sorted together.
		var all []int
		for _, c := range n.Children {
			all = append(all, SinglePoints(c, memo)...)
		}
		sort.Ints(all)
		for i := 0; i < len(all); {
			j := i + 1
			for j < len(all) && all[j] == all[i] {
				j++
			}
			if j-i >= need {
				out = append(out, all[i])
			}
			i = j
		}
	}
	memo[n] = out
	return out
}
