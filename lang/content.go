package lang

import (
	"fmt"
	"github.com/archform/archform/internal/didyoumean"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// schema is an hcl.BodySchema with lookup tables built once, so that
// decoding a body does not build them again for every block.
type schema struct {
	*hcl.BodySchema
	attrs  map[string]bool // name -> required
	blocks map[string]int  // type -> number of labels
}

func newSchema(s *hcl.BodySchema) *schema {
	out := &schema{BodySchema: s, attrs: map[string]bool{}, blocks: map[string]int{}}
	for _, a := range s.Attributes {
		out.attrs[a.Name] = a.Required
	}
	for _, b := range s.Blocks {
		out.blocks[b.Type] = len(b.LabelNames)
	}
	return out
}

// bodyContent does what hcl.Body.Content does, with the same diagnostics,
// and returns attributes and blocks in source order. For native syntax it
// reads the body directly: hclsyntax's Content builds five maps and a copy
// of the body per call, which for a large design costs as much as a fifth of
// the parse. Other syntaxes (JSON) go through Content.
func bodyContent(body hcl.Body, s *schema) ([]*hcl.Attribute, hcl.Blocks, hcl.Diagnostics) {
	b, ok := body.(*hclsyntax.Body)
	if !ok {
		content, diags := body.Content(s.BodySchema)
		attrs := make([]*hcl.Attribute, 0, len(content.Attributes))
		for _, a := range content.Attributes {
			attrs = append(attrs, a)
		}
		sortAttributes(attrs)
		return attrs, content.Blocks, diags
	}
	var diags hcl.Diagnostics
	attrs := make([]*hcl.Attribute, 0, len(b.Attributes))
	abuf := make([]hcl.Attribute, 0, len(b.Attributes)) // one allocation for all
	for name, a := range b.Attributes {
		if _, known := s.attrs[name]; !known {
			diags = append(diags, unsupportedArgument(b, s, name, a))
			continue
		}
		abuf = append(abuf, hcl.Attribute{Name: a.Name, Expr: a.Expr, Range: a.SrcRange, NameRange: a.NameRange})
		attrs = append(attrs, &abuf[len(abuf)-1])
	}
	sortAttributes(attrs)
	for _, a := range s.Attributes {
		if a.Required && b.Attributes[a.Name] == nil {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Missing required argument",
				Detail:   fmt.Sprintf("The argument %q is required, but no definition was found.", a.Name),
				Subject:  b.MissingItemRange().Ptr(),
			})
		}
	}
	var blocks hcl.Blocks
	var bbuf []hcl.Block
	if len(b.Blocks) > 0 {
		blocks = make(hcl.Blocks, 0, len(b.Blocks))
		bbuf = make([]hcl.Block, 0, len(b.Blocks))
	}
	for _, blk := range b.Blocks {
		labels, known := s.blocks[blk.Type]
		if !known {
			diags = append(diags, unsupportedBlock(s, blk))
			continue
		}
		if d := labelCount(s, blk, labels); d != nil {
			diags = append(diags, d)
			continue
		}
		bbuf = append(bbuf, hcl.Block{Type: blk.Type, Labels: blk.Labels, Body: blk.Body,
			DefRange: blk.DefRange(), TypeRange: blk.TypeRange, LabelRanges: blk.LabelRanges})
		blocks = append(blocks, &bbuf[len(bbuf)-1])
	}
	return attrs, blocks, diags
}

func sortAttributes(attrs []*hcl.Attribute) {
	sort.Slice(attrs, func(i, j int) bool { return attrs[i].Range.Start.Byte < attrs[j].Range.Start.Byte })
}

// The three messages below are hclsyntax's own, word for word.

func unsupportedArgument(b *hclsyntax.Body, s *schema, name string, a *hclsyntax.Attribute) *hcl.Diagnostic {
	var candidates []string
	for _, as := range s.Attributes {
		if _, defined := b.Attributes[as.Name]; !defined {
			candidates = append(candidates, as.Name)
		}
	}
	suggestion := ""
	if n := didyoumean.Nearest(name, candidates); n != "" {
		suggestion = fmt.Sprintf(" Did you mean %q?", n)
	} else if _, isBlock := s.blocks[name]; isBlock {
		suggestion = fmt.Sprintf(" Did you mean to define a block of type %q?", name)
	}
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Unsupported argument",
		Detail:   fmt.Sprintf("An argument named %q is not expected here.%s", name, suggestion),
		Subject:  a.NameRange.Ptr(),
	}
}

func unsupportedBlock(s *schema, blk *hclsyntax.Block) *hcl.Diagnostic {
	var candidates []string
	for _, bs := range s.Blocks {
		candidates = append(candidates, bs.Type)
	}
	suggestion := ""
	if n := didyoumean.Nearest(blk.Type, candidates); n != "" {
		suggestion = fmt.Sprintf(" Did you mean %q?", n)
	} else if _, isAttr := s.attrs[blk.Type]; isAttr {
		suggestion = fmt.Sprintf(" Did you mean to define argument %q? If so, use the equals sign to assign it a value.", blk.Type)
	}
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Unsupported block type",
		Detail:   fmt.Sprintf("Blocks of type %q are not expected here.%s", blk.Type, suggestion),
		Subject:  blk.TypeRange.Ptr(),
	}
}

func labelCount(s *schema, blk *hclsyntax.Block, want int) *hcl.Diagnostic {
	var names []string
	for _, bs := range s.Blocks {
		if bs.Type == blk.Type {
			names = bs.LabelNames
		}
	}
	ctx := hcl.RangeBetween(blk.TypeRange, blk.OpenBraceRange).Ptr()
	switch {
	case len(blk.Labels) > want && want == 0:
		return &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  fmt.Sprintf("Extraneous label for %s", blk.Type),
			Detail:   fmt.Sprintf("No labels are expected for %s blocks.", blk.Type),
			Subject:  blk.LabelRanges[0].Ptr(),
			Context:  ctx,
		}
	case len(blk.Labels) > want:
		return &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  fmt.Sprintf("Extraneous label for %s", blk.Type),
			Detail:   fmt.Sprintf("Only %d labels (%s) are expected for %s blocks.", want, strings.Join(names, ", "), blk.Type),
			Subject:  blk.LabelRanges[want].Ptr(),
			Context:  ctx,
		}
	case len(blk.Labels) < want:
		return &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  fmt.Sprintf("Missing %s for %s", names[len(blk.Labels)], blk.Type),
			Detail:   fmt.Sprintf("All %s blocks must have %d labels (%s).", blk.Type, want, strings.Join(names, ", ")),
			Subject:  &blk.OpenBraceRange,
			Context:  ctx,
		}
	}
	return nil
}
