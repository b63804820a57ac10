package hclpos

import (
	"testing"

	"github.com/hashicorp/hcl/v2"
)

type node struct {
	Own    hcl.Range
	Unset  hcl.Range
	ByName map[string]hcl.Range
	Shared *hcl.Range
	Again  *hcl.Range
	Kids   []*node
	Any    any
}

// TestShift moves every set position once: in fields, map values, through
// a pointer held twice and an interface; a range left unset stays unset.
func TestShift(t *testing.T) {
	at := func(line, byt int) hcl.Range {
		return hcl.Range{Filename: "f", Start: hcl.Pos{Line: line, Column: 3, Byte: byt}, End: hcl.Pos{Line: line, Column: 9, Byte: byt + 6}}
	}
	shared := at(5, 50)
	n := &node{
		Own:    at(1, 10),
		ByName: map[string]hcl.Range{"a": at(2, 20)},
		Shared: &shared,
		Kids:   []*node{{Own: at(3, 30), Any: at(4, 40)}},
	}
	n.Again = n.Shared
	Shift(n, 2, 7)
	want := func(what string, got hcl.Range, line, byt int) {
		t.Helper()
		if w := at(line, byt); got != w {
			t.Errorf("%s: %v, want %v", what, got, w)
		}
	}
	want("field", n.Own, 3, 17)
	want("map value", n.ByName["a"], 4, 27)
	want("pointer held twice", *n.Shared, 7, 57)
	want("nested", n.Kids[0].Own, 5, 37)
	want("in an interface", n.Kids[0].Any.(hcl.Range), 6, 47)
	if n.Unset != (hcl.Range{}) {
		t.Errorf("an unset range moved: %v", n.Unset)
	}
}
