package lang

import (
	"fmt"
	"github.com/archform/archform/internal/didyoumean"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// Functions returns the functions a design may call: the HCL standard
// library (go-cty's stdlib) under the names Terraform gives them.
func Functions() map[string]function.Function { return functions }

var functions = map[string]function.Function{
	"abs":             stdlib.AbsoluteFunc,
	"ceil":            stdlib.CeilFunc,
	"chomp":           stdlib.ChompFunc,
	"chunklist":       stdlib.ChunklistFunc,
	"coalesce":        stdlib.CoalesceFunc,
	"coalescelist":    stdlib.CoalesceListFunc,
	"compact":         stdlib.CompactFunc,
	"concat":          stdlib.ConcatFunc,
	"contains":        stdlib.ContainsFunc,
	"csvdecode":       stdlib.CSVDecodeFunc,
	"distinct":        stdlib.DistinctFunc,
	"element":         stdlib.ElementFunc,
	"flatten":         stdlib.FlattenFunc,
	"floor":           stdlib.FloorFunc,
	"format":          stdlib.FormatFunc,
	"formatdate":      stdlib.FormatDateFunc,
	"formatlist":      stdlib.FormatListFunc,
	"indent":          stdlib.IndentFunc,
	"index":           stdlib.IndexFunc,
	"join":            stdlib.JoinFunc,
	"jsondecode":      stdlib.JSONDecodeFunc,
	"jsonencode":      stdlib.JSONEncodeFunc,
	"keys":            stdlib.KeysFunc,
	"length":          stdlib.LengthFunc,
	"log":             stdlib.LogFunc,
	"lookup":          stdlib.LookupFunc,
	"lower":           stdlib.LowerFunc,
	"max":             stdlib.MaxFunc,
	"merge":           stdlib.MergeFunc,
	"min":             stdlib.MinFunc,
	"parseint":        stdlib.ParseIntFunc,
	"pow":             stdlib.PowFunc,
	"range":           stdlib.RangeFunc,
	"regex":           stdlib.RegexFunc,
	"regexall":        stdlib.RegexAllFunc,
	"regex_replace":   stdlib.RegexReplaceFunc,
	"replace":         stdlib.ReplaceFunc,
	"reverse":         stdlib.ReverseListFunc,
	"setintersection": stdlib.SetIntersectionFunc,
	"setproduct":      stdlib.SetProductFunc,
	"setsubtract":     stdlib.SetSubtractFunc,
	"setunion":        stdlib.SetUnionFunc,
	"signum":          stdlib.SignumFunc,
	"slice":           stdlib.SliceFunc,
	"sort":            stdlib.SortFunc,
	"split":           stdlib.SplitFunc,
	"strlen":          stdlib.StrlenFunc,
	"strrev":          stdlib.ReverseFunc,
	"substr":          stdlib.SubstrFunc,
	"timeadd":         stdlib.TimeAddFunc,
	"title":           stdlib.TitleFunc,
	"trim":            stdlib.TrimFunc,
	"trimprefix":      stdlib.TrimPrefixFunc,
	"trimspace":       stdlib.TrimSpaceFunc,
	"trimsuffix":      stdlib.TrimSuffixFunc,
	"upper":           stdlib.UpperFunc,
	"values":          stdlib.ValuesFunc,
	"zipmap":          stdlib.ZipmapFunc,
}

type variable struct {
	block *hcl.Block
	ty    cty.Type
	typed bool
	value cty.Value
}

// variables decodes the variable blocks and applies the command line's
// overrides. Defaults may call functions but not refer to anything.
func (dc *decoder) variables(blocks hcl.Blocks, overrides map[string]string) map[string]cty.Value {
	decl := map[string]*variable{}
	var order []string
	fnCtx := &hcl.EvalContext{Functions: dc.fns}
	for _, b := range blocks {
		dc.checkName(b, "variable")
		name := b.Labels[0]
		if first, dup := decl[name]; dup {
			dc.errorf(b.LabelRanges[0], "Duplicate variable", "A variable named %q is already declared at %s.", name, rangeString(first.block.DefRange))
			continue
		}
		v := &variable{block: b, ty: cty.DynamicPseudoType, value: cty.NilVal}
		decl[name] = v
		order = append(order, name)
		content, diags := b.Body.Content(variableSchema)
		dc.diags = append(dc.diags, diags...)
		if attr, ok := content.Attributes["type"]; ok {
			ty, diags := typeexpr.TypeConstraint(attr.Expr)
			dc.diags = append(dc.diags, diags...)
			if !diags.HasErrors() {
				v.ty, v.typed = ty, true
			}
		}
		if attr, ok := content.Attributes["description"]; ok {
			dc.str(attr)
		}
		if attr, ok := content.Attributes["default"]; ok {
			if vars := attr.Expr.Variables(); len(vars) > 0 {
				dc.errorf(vars[0].SourceRange(), "Variables not allowed",
					"A variable's default must be a constant value; it cannot refer to %s.", traversalString(vars[0]))
				continue
			}
			val, diags := attr.Expr.Value(fnCtx)
			dc.diags = append(dc.diags, diags...)
			if !diags.HasErrors() {
				v.value = dc.convertVar(name, val, v, attr.Expr.Range())
			}
		}
	}
	for _, name := range sortedKeys(overrides) {
		raw := overrides[name]
		rng := hcl.Range{Filename: fmt.Sprintf("<value for var.%s>", name), Start: hcl.InitialPos, End: hcl.Pos{Line: 1, Column: len(raw) + 1, Byte: len(raw)}}
		v, ok := decl[name]
		if !ok {
			dc.errorf(rng, "Value for undeclared variable",
				"A value was given for var.%s, but the design declares no variable %q.%s Declare it with variable %q { default = ... }.", name, name, didyoumean.Suffix(name, order), name)
			continue
		}
		v.value = dc.convertVar(name, parseVarValue(raw, v), v, rng)
	}
	out := make(map[string]cty.Value, len(decl))
	for _, name := range order {
		v := decl[name]
		if v.value == cty.NilVal {
			dc.errorf(v.block.DefRange, "No value for variable",
				"The variable %q has no default and no value was given: set default = ... in its block or pass --var %s=VALUE.", name, name)
			v.value = cty.DynamicVal
		}
		out[name] = v.value
	}
	return out
}

// parseVarValue reads a --var value: as an HCL expression when it is one
// that evaluates without references, otherwise (or when the variable is
// typed string) as the literal string.
func parseVarValue(raw string, v *variable) cty.Value {
	if v.typed && v.ty == cty.String {
		return cty.StringVal(raw)
	}
	expr, diags := hclsyntax.ParseExpression([]byte(raw), "<value>", hcl.InitialPos)
	if diags.HasErrors() || len(expr.Variables()) > 0 {
		return cty.StringVal(raw)
	}
	val, diags := expr.Value(&hcl.EvalContext{Functions: guardedFunctions(&budget{})})
	if diags.HasErrors() {
		return cty.StringVal(raw)
	}
	return val
}

func (dc *decoder) convertVar(name string, val cty.Value, v *variable, rng hcl.Range) cty.Value {
	if !v.typed {
		return val
	}
	cv, err := convert.Convert(val, v.ty)
	if err != nil {
		dc.errorf(rng, "Invalid value for variable", "The value of var.%s is not a %s: %s.", name, v.ty.FriendlyName(), err)
		return cty.DynamicVal
	}
	return cv
}

func traversalString(t hcl.Traversal) string {
	var b strings.Builder
	for _, step := range t {
		switch s := step.(type) {
		case hcl.TraverseRoot:
			b.WriteString(s.Name)
		case hcl.TraverseAttr:
			b.WriteString("." + s.Name)
		default:
			b.WriteString("[...]")
		}
	}
	return b.String()
}

// locals evaluates every locals block's attributes in dependency order.
func (dc *decoder) locals(blocks hcl.Blocks) map[string]cty.Value {
	attrs := map[string]*hcl.Attribute{}
	var order []*hcl.Attribute
	for _, b := range blocks {
		as, diags := b.Body.JustAttributes()
		dc.diags = append(dc.diags, diags...)
		list := make([]*hcl.Attribute, 0, len(as))
		for _, a := range as {
			list = append(list, a)
		}
		sort.Slice(list, func(i, j int) bool { return list[i].Range.Start.Byte < list[j].Range.Start.Byte })
		for _, a := range list {
			if first, dup := attrs[a.Name]; dup {
				dc.errorf(a.NameRange, "Duplicate local value", "A local value named %q is already defined at %s.", a.Name, rangeString(first.Range))
				continue
			}
			attrs[a.Name] = a
			order = append(order, a)
		}
	}
	values := map[string]cty.Value{}
	pending := order
	for len(pending) > 0 {
		var next []*hcl.Attribute
		for _, a := range pending {
			if !localReady(a, attrs, values) {
				next = append(next, a)
				continue
			}
			ctx := dc.ctx.NewChild()
			ctx.Variables = map[string]cty.Value{"local": objectOrEmpty(values)}
			v, diags := a.Expr.Value(ctx)
			if diags.HasErrors() {
				diags = dc.explainUndeclared(ctx, a.Expr, diags)
			}
			dc.diags = append(dc.diags, diags...)
			if diags.HasErrors() {
				v = cty.DynamicVal
			}
			values[a.Name] = v
		}
		if len(next) == len(pending) {
			names := make([]string, len(next))
			for i, a := range next {
				names[i] = "local." + a.Name
			}
			for _, a := range next {
				dc.errorf(a.Expr.Range(), "Cycle in local values",
					"local.%s cannot be computed: it depends, directly or not, on itself (%s).", a.Name, strings.Join(names, ", "))
				values[a.Name] = cty.DynamicVal
			}
			break
		}
		pending = next
	}
	return values
}

// localReady reports whether every local value a refers to is computed (or
// not declared at all, which evaluating a then reports).
func localReady(a *hcl.Attribute, attrs map[string]*hcl.Attribute, values map[string]cty.Value) bool {
	for _, t := range a.Expr.Variables() {
		if t.RootName() != "local" || len(t) < 2 {
			continue
		}
		step, ok := t[1].(hcl.TraverseAttr)
		if !ok {
			continue
		}
		if _, declared := attrs[step.Name]; !declared {
			continue
		}
		if _, done := values[step.Name]; !done {
			return false
		}
	}
	return true
}
