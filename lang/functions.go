package lang

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"sync/atomic"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// MaxValues bounds what a design's expressions may make in one load: the
// elements of every collection a function returns or a for expression
// iterates over (each time it does), and each KiB of every string a
// function returns, together. A design of 10,000 components needs a small
// fraction of it; setproduct(range(1024), range(1024), range(64)) or three
// nested for expressions over a thousand elements each would need thousands
// of times more, and would run the machine out of memory before any check
// after the fact.
const MaxValues = 1 << 18

// forBudget is the function that counts what a for expression iterates
// over: decode wraps every for expression's collection in a call to it.
const forBudget = "archform_for_collection"

// budget counts what a load's expressions have made against MaxValues.
// Once it is spent, the one call that spent it is an error and every later
// call returns an unknown value at once (no more errors: a for expression
// goes on with its other elements, and a million of them must not each
// cost a diagnostic). The goroutines that decode components in parallel
// share it: its counts are atomic.
type budget struct {
	used  atomic.Int64
	spent atomic.Bool
}

// errSpent is spend's answer after the budget was spent by an earlier call.
var errSpent = fmt.Errorf("budget spent")

func (b *budget) spend(n int, what string) error {
	for {
		if b.spent.Load() {
			return errSpent
		}
		used := b.used.Load()
		if int64(n) > MaxValues-used {
			if !b.spent.CompareAndSwap(false, true) {
				return errSpent // another call spent it first
			}
			return fmt.Errorf("%s would take the design's expressions past %d values (elements of collections, KiB of strings) in all: archform refuses it rather than run out of memory", what, MaxValues)
		}
		if b.used.CompareAndSwap(used, used+int64(n)) {
			return nil
		}
	}
}

// reset sets the budget back to used values, not spent.
func (b *budget) reset(used int64) {
	b.used.Store(used)
	b.spent.Store(false)
}

// afterSpend turns errSpent into an unknown value of type ty.
func afterSpend(err error, ty cty.Type) (cty.Value, error) {
	if err == errSpent {
		return cty.UnknownVal(ty), nil
	}
	return cty.NilVal, err
}

// guardedFunctions returns the design's functions, each made safe to call
// on a user's arguments: a panic inside the implementation (log(-1, 10)
// panics in go-cty on NaN) is an error on the call's range, never a stack
// trace; a call that would make more than the budget allows is refused
// before it runs (setproduct, a format width) or after (what it returned
// counts); and forBudget counts for expressions' collections.
func guardedFunctions(b *budget) map[string]function.Function {
	out := make(map[string]function.Function, len(functions)+1)
	for name, f := range functions {
		out[name] = guard(name, f, b)
	}
	out[forBudget] = function.New(&function.Spec{
		Params: []function.Parameter{{Name: "collection", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowDynamicType: true, AllowNull: true, AllowMarked: true}},
		Type:   func(args []cty.Value) (cty.Type, error) { return args[0].Type(), nil },
		Impl: func(args []cty.Value, ty cty.Type) (cty.Value, error) {
			v := args[0]
			if b.spent.Load() {
				return cty.UnknownVal(ty), nil
			}
			if v.IsKnown() && !v.IsNull() && v.CanIterateElements() {
				if err := b.spend(v.LengthInt(), "this for expression"); err != nil {
					return afterSpend(err, ty)
				}
			}
			return v, nil
		},
	})
	return out
}

func guard(name string, f function.Function, b *budget) function.Function {
	spec := &function.Spec{
		Params:   f.Params(),
		VarParam: f.VarParam(),
		Type: func(args []cty.Value) (cty.Type, error) {
			ty, err := f.ReturnTypeForValues(args)
			return ty, cleanPanic(name, err)
		},
		Impl: func(args []cty.Value, ty cty.Type) (cty.Value, error) {
			if b.spent.Load() {
				return cty.UnknownVal(ty), nil
			}
			if err := precheck(name, args, b); err != nil {
				return afterSpend(err, ty)
			}
			v, err := f.Call(args)
			if err != nil {
				return cty.NilVal, cleanPanic(name, err)
			}
			if err := b.spend(size(v), name+"(...)"); err != nil {
				return afterSpend(err, ty)
			}
			return v, nil
		},
	}
	return function.New(spec)
}

// cleanPanic replaces go-cty's report of a panic in a function (its message
// and the machine's stack) with a sentence about the call.
func cleanPanic(name string, err error) error {
	if pe, ok := err.(function.PanicError); ok {
		return fmt.Errorf("%s cannot compute a value from these arguments (%v)", name, pe.Value)
	}
	return err
}

// size is what a function's result costs: a collection's elements (and
// theirs), a string's KiB.
func size(v cty.Value) int {
	if !v.IsKnown() || v.IsNull() {
		return 0
	}
	v, _ = v.Unmark()
	switch {
	case v.Type() == cty.String:
		return len(v.AsString()) >> 10
	case v.CanIterateElements():
		n := v.LengthInt()
		if n > MaxValues {
			return n
		}
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			if e.IsKnown() && !e.IsNull() && (e.CanIterateElements() || e.Type() == cty.String) {
				n += size(e)
				if n > MaxValues {
					return n
				}
			}
		}
		return n
	}
	return 0
}

var formatWidth = regexp.MustCompile(`%[-+# 0]*([0-9]+)?(?:\.([0-9]+))?`)

// precheck refuses, before it runs, a call whose result would be too large
// to make: setproduct's result is the product of its arguments' lengths,
// and format's widths are as large as the number the format string says.
func precheck(name string, args []cty.Value, b *budget) error {
	switch name {
	case "setproduct":
		n := 1.0
		for _, a := range args {
			if !a.IsKnown() || a.IsNull() || !a.CanIterateElements() {
				return nil
			}
			n *= float64(a.LengthInt())
		}
		if n > float64(MaxValues-b.used.Load()) {
			return b.spend(int(math.Min(n, math.MaxInt32)), fmt.Sprintf("setproduct's %.0f combinations", n))
		}
	case "format", "formatlist":
		if len(args) == 0 || !args[0].IsKnown() || args[0].IsNull() || args[0].Type() != cty.String {
			return nil
		}
		for _, m := range formatWidth.FindAllStringSubmatch(args[0].AsString(), -1) {
			for _, w := range m[1:] {
				if n, err := strconv.Atoi(w); w != "" && (err != nil || n > 1<<16) {
					return fmt.Errorf("%s: a width or precision of %s is more than archform formats (at most %d)", name, w, 1<<16)
				}
			}
		}
	}
	return nil
}

// budgetForExpressions wraps the collection of every for expression in the
// native-syntax file f in a call to forBudget, once, so that each time a for
// expression runs what it iterates over counts against the load's budget.
// (JSON files' templates are parsed at evaluation: their for directives are
// not counted, though the functions they call are.)
func budgetForExpressions(f *hcl.File) {
	body, ok := f.Body.(*hclsyntax.Body)
	if !ok {
		return
	}
	wrapForExpressions(body)
}

// wrapForExpressions wraps the for expressions under n as
// budgetForExpressions does, and reports whether n then calls any
// function.
func wrapForExpressions(n hclsyntax.Node) (calls bool) {
	hclsyntax.VisitAll(n, func(n hclsyntax.Node) hcl.Diagnostics {
		if _, ok := n.(*hclsyntax.FunctionCallExpr); ok {
			calls = true
			return nil
		}
		fe, ok := n.(*hclsyntax.ForExpr)
		if !ok {
			return nil
		}
		calls = true
		if call, ok := fe.CollExpr.(*hclsyntax.FunctionCallExpr); ok && call.Name == forBudget {
			return nil
		}
		rng := fe.CollExpr.Range()
		fe.CollExpr = &hclsyntax.FunctionCallExpr{Name: forBudget, Args: []hclsyntax.Expression{fe.CollExpr},
			NameRange: rng, OpenParenRange: rng, CloseParenRange: rng}
		return nil
	})
	return calls
}
