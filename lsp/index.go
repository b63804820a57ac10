package lsp

import (
	"sort"

	"github.com/archform/archform/lang"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// index is what the navigation requests read: the names a design declares
// and the places that refer to them, found in the syntax of its files (so it
// works on files that do not decode) and, for JSON files, in the decoded
// design. Names are addresses: "service.api", "flow.checkout", "var.limit",
// "local.zones", "region.us-east", "zone.us-east-a".
type index struct {
	decls map[string][]decl
	refs  map[string][]ref
	// blocks are the top-level blocks of each HCL file, for symbols.
	blocks map[string][]*hclsyntax.Block
}

// decl is where a name is declared.
type decl struct {
	addr      string
	nameRange hcl.Range // the name itself, without quotes
	declRange hcl.Range // the whole block (or attribute, or string)
}

// ref is a use of a name.
type ref struct {
	addr      string
	rng       hcl.Range // the whole reference (service.api, "zone-a")
	nameRange hcl.Range // the name part (api, zone-a)
}

var componentKinds = func() map[string]bool {
	m := map[string]bool{}
	for _, k := range lang.Kinds {
		m[string(k)] = true
	}
	return m
}()

func (ds *designState) index() *index {
	if ds.idx != nil {
		return ds.idx
	}
	ix := &index{decls: map[string][]decl{}, refs: map[string][]ref{}, blocks: map[string][]*hclsyntax.Block{}}
	for _, name := range ds.names {
		src := ds.files[name]
		if src.file == nil {
			continue
		}
		body, ok := src.file.Body.(*hclsyntax.Body)
		if !ok {
			continue
		}
		ix.blocks[name] = body.Blocks
		for _, b := range body.Blocks {
			ix.topBlock(b)
		}
	}
	// JSON files: declarations from the decoded design.
	if d := ds.design; d != nil {
		for _, c := range d.Components {
			if _, isHCL := ix.blocks[c.NameRange.Filename]; !isHCL && ds.files[c.NameRange.Filename] != nil {
				ix.decls[c.Addr] = append(ix.decls[c.Addr], decl{addr: c.Addr, nameRange: c.NameRange, declRange: c.DeclRange})
			}
		}
	}
	for _, refs := range ix.refs {
		sort.SliceStable(refs, func(i, j int) bool { return lessRange(refs[i].rng, refs[j].rng) })
	}
	ds.idx = ix
	return ix
}

func lessRange(a, b hcl.Range) bool {
	if a.Filename != b.Filename {
		return a.Filename < b.Filename
	}
	return a.Start.Byte < b.Start.Byte
}

// labelRange is a block label's range without its quotes.
func labelRange(b *hclsyntax.Block, i int) hcl.Range {
	r := b.LabelRanges[i]
	if r.End.Byte-r.Start.Byte >= 2 {
		r.Start.Byte++
		r.Start.Column++
		r.End.Byte--
		r.End.Column--
	}
	return r
}

func (ix *index) declare(addr string, nameRange, declRange hcl.Range) {
	ix.decls[addr] = append(ix.decls[addr], decl{addr: addr, nameRange: nameRange, declRange: declRange})
}

func (ix *index) topBlock(b *hclsyntax.Block) {
	whole := hcl.RangeBetween(b.TypeRange, b.Body.SrcRange)
	if len(b.Labels) == 1 && len(b.LabelRanges) == 1 {
		switch {
		case componentKinds[b.Type], b.Type == "flow", b.Type == "region", b.Type == "system":
			ix.declare(b.Type+"."+b.Labels[0], labelRange(b, 0), whole)
		case b.Type == "variable":
			ix.declare("var."+b.Labels[0], labelRange(b, 0), whole)
		}
	}
	if b.Type == "locals" {
		for _, a := range b.Body.Attributes {
			ix.declare("local."+a.Name, a.NameRange, a.SrcRange)
		}
	}
	ix.body(b.Type, b.Body)
}

// body records the references in a block's body (and nested blocks).
func (ix *index) body(blockType string, body *hclsyntax.Body) {
	for _, a := range body.Attributes {
		ix.expr(a.Expr)
		switch {
		case a.Name == "zones" && blockType == "region":
			for _, s := range stringItems(a.Expr) {
				ix.declare("zone."+s.value, s.inner, s.inner)
			}
		case a.Name == "zones" && componentKinds[blockType]:
			for _, s := range stringItems(a.Expr) {
				ix.refer("zone."+s.value, s.outer, s.inner)
			}
		case a.Name == "regions" && blockType == "multi_region":
			for _, s := range stringItems(a.Expr) {
				ix.refer("region."+s.value, s.outer, s.inner)
			}
		}
	}
	for _, nb := range body.Blocks {
		ix.body(nb.Type, nb.Body)
	}
}

func (ix *index) refer(addr string, rng, nameRange hcl.Range) {
	ix.refs[addr] = append(ix.refs[addr], ref{addr: addr, rng: rng, nameRange: nameRange})
}

// expr records the KIND.NAME, var.NAME and local.NAME traversals of an
// expression.
func (ix *index) expr(e hclsyntax.Expression) {
	for _, t := range e.Variables() {
		if len(t) < 2 {
			continue
		}
		root, ok := t[0].(hcl.TraverseRoot)
		if !ok {
			continue
		}
		attr, ok := t[1].(hcl.TraverseAttr)
		if !ok {
			continue
		}
		prefix := root.Name
		switch {
		case componentKinds[prefix]:
		case prefix == "var", prefix == "local":
		default:
			continue
		}
		name := attr.SrcRange
		// The step's range starts at its dot.
		if name.End.Byte-name.Start.Byte == len(attr.Name)+1 {
			name.Start.Byte++
			name.Start.Column++
		}
		ix.refer(prefix+"."+attr.Name, hcl.RangeBetween(root.SrcRange, attr.SrcRange), name)
	}
}

// stringItem is a literal string in a list: its value, its range with the
// quotes and without.
type stringItem struct {
	value        string
	outer, inner hcl.Range
}

func stringItems(e hclsyntax.Expression) []stringItem {
	tuple, ok := e.(*hclsyntax.TupleConsExpr)
	if !ok {
		return nil
	}
	var out []stringItem
	for _, item := range tuple.Exprs {
		tmpl, ok := item.(*hclsyntax.TemplateExpr)
		if !ok || len(tmpl.Parts) != 1 {
			continue
		}
		lit, ok := tmpl.Parts[0].(*hclsyntax.LiteralValueExpr)
		if !ok || !lit.Val.IsKnown() || lit.Val.IsNull() || lit.Val.Type().FriendlyName() != "string" {
			continue
		}
		outer := tmpl.SrcRange
		inner := lit.SrcRange
		out = append(out, stringItem{value: lit.Val.AsString(), outer: outer, inner: inner})
	}
	return out
}

// at finds the name at a byte offset of a file: a reference's or a
// declaration's. ok is false when there is none.
func (ix *index) at(filename string, off int) (addr string, nameRange hcl.Range, ok bool) {
	for a, refs := range ix.refs {
		for _, r := range refs {
			if r.rng.Filename == filename && r.rng.Start.Byte <= off && off <= r.rng.End.Byte {
				return a, r.nameRange, true
			}
		}
	}
	for a, decls := range ix.decls {
		for _, d := range decls {
			if d.nameRange.Filename == filename && d.nameRange.Start.Byte <= off && off <= d.nameRange.End.Byte {
				return a, d.nameRange, true
			}
		}
	}
	return "", hcl.Range{}, false
}
