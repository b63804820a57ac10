package lang

import (
	"github.com/archform/archform/internal/hclpos"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// DecodeCache keeps what decoding made of each component block, so that
// the next decode of the same design decodes again only the blocks that
// changed: the language server decodes a design of 1,000 components on
// every keystroke. It works for a caller that parses incrementally and
// hands the same syntax (*hclsyntax.Body) for a block whose text did not
// change, moved in place when an edit above it moved it (the language
// server's parse of top-level pieces does both).
//
// A block's decode is reused when its body is the same, it starts at the
// same column, and what a component's decode reads besides its block is
// unchanged: the variables, the locals and system.defaults. Blocks that
// call a function (or hold a for expression) are decoded every time, since
// their calls count against the load's budget of values. A reused
// component is the same *Component as before, put back as it was before
// references were resolved and defaults applied, and then resolved and
// finished again with the rest of the design: the design a decode returns
// is equal to a decode without the cache (a test holds it so), and the
// previous design's components are no longer its own. A cache is for one
// design and one goroutine at a time.
type DecodeCache struct {
	// blocks are the top-level blocks seen: whether each calls a function
	// once for expressions are wrapped (budgetForExpressions), by body.
	blocks map[hcl.Body]bool
	// entries are the decoded component blocks, by body.
	entries map[hcl.Body]*cachedComponent
	// What component decoding read besides the block, last time.
	vars, locals cty.Value
	defaults     Defaults

	reused, decoded int
}

// Stats reports how many component blocks the last decode reused and
// decoded.
func (cc *DecodeCache) Stats() (reused, decoded int) { return cc.reused, cc.decoded }

// cachedComponent is one component block's decode: the component as it
// was before references were resolved (its own objects that resolution
// and finishComponent change, copied), and what decoding it added to the
// decoder.
type cachedComponent struct {
	file string
	at   hcl.Pos // the block's start when decoded or last moved

	c        *Component
	snap     Component
	calls    []Call
	consumes []Consume
	quorum   Quorum

	diags      []hcl.Diagnostic // copies, with their own ranges
	refs       []pendingRef
	zoneUses   []zoneUse
	regionUses []zoneUse
}

// wrapBlocks wraps the for expressions of a native-syntax file's blocks
// not seen before (budgetForExpressions) and notes which call functions;
// next receives every block of the file.
func (cc *DecodeCache) wrapBlocks(f *hcl.File, next map[hcl.Body]bool) {
	body, ok := f.Body.(*hclsyntax.Body)
	if !ok {
		budgetForExpressions(f)
		return
	}
	for _, a := range body.Attributes {
		wrapForExpressions(a)
	}
	for _, b := range body.Blocks {
		calls, seen := cc.blocks[b.Body]
		if !seen {
			calls = wrapForExpressions(b)
		}
		next[b.Body] = calls
	}
}

// begin starts a decode: the entries are dropped when what component
// decoding reads besides the block changed.
func (cc *DecodeCache) begin(dc *decoder) {
	vars, locals := dc.ctx.Variables["var"], dc.ctx.Variables["local"]
	defaults := dc.d.System.Defaults
	if cc.entries == nil || !cc.vars.RawEquals(vars) || !cc.locals.RawEquals(locals) || cc.defaults != defaults {
		cc.entries = map[hcl.Body]*cachedComponent{}
	}
	cc.vars, cc.locals, cc.defaults = vars, locals, defaults
	cc.reused, cc.decoded = 0, 0
}

// reuse returns the entry of a block whose decode can be reused, put back
// as it was after decoding and moved to where the block is now; nil when
// the block must be decoded.
func (cc *DecodeCache) reuse(b *hcl.Block) *cachedComponent {
	e := cc.entries[b.Body]
	at := b.DefRange.Start
	if e == nil || e.file != b.DefRange.Filename || e.at.Column != at.Column {
		return nil
	}
	e.restore()
	if dl, db := at.Line-e.at.Line, at.Byte-e.at.Byte; dl != 0 || db != 0 {
		e.move(dl, db)
		e.at = at
	}
	return e
}

// store keeps the decode of a block that calls no function.
func (cc *DecodeCache) store(b *hcl.Block, c *Component, sub *decoder, next map[hcl.Body]*cachedComponent) {
	if calls, seen := cc.blocks[b.Body]; !seen || calls {
		return
	}
	e := &cachedComponent{file: b.DefRange.Filename, at: b.DefRange.Start, c: c}
	e.diags = make([]hcl.Diagnostic, len(sub.diags))
	for i, d := range sub.diags {
		e.diags[i] = copyDiagnostic(d)
	}
	e.refs = append([]pendingRef(nil), sub.refs...)
	e.zoneUses = append([]zoneUse(nil), sub.zoneUses...)
	e.regionUses = append([]zoneUse(nil), sub.regionUses...)
	e.save()
	next[b.Body] = e
}

// save copies what resolution and finishComponent change.
func (e *cachedComponent) save() {
	c := e.c
	e.snap = *c
	e.calls = e.calls[:0]
	for _, call := range c.Calls {
		e.calls = append(e.calls, *call)
	}
	e.consumes = e.consumes[:0]
	for _, cs := range c.Consumes {
		e.consumes = append(e.consumes, *cs)
	}
	if c.Quorum != nil {
		e.quorum = *c.Quorum
	}
}

// restore puts the component back as save found it.
func (e *cachedComponent) restore() {
	c := e.c
	*c = e.snap
	for i, call := range c.Calls {
		*call = e.calls[i]
	}
	for i, cs := range c.Consumes {
		*cs = e.consumes[i]
	}
	if c.Quorum != nil {
		*c.Quorum = e.quorum
	}
}

// move shifts every position of the entry by dl lines and db bytes.
func (e *cachedComponent) move(dl, db int) {
	hclpos.Shift(e.c, dl, db)
	for i := range e.diags {
		d := &e.diags[i]
		if d.Subject != nil {
			hclpos.Range(d.Subject, dl, db)
		}
		if d.Context != nil {
			hclpos.Range(d.Context, dl, db)
		}
	}
	for i := range e.refs {
		hclpos.Range(&e.refs[i].Range, dl, db)
	}
	for i := range e.zoneUses {
		hclpos.Range(&e.zoneUses[i].rng, dl, db)
	}
	for i := range e.regionUses {
		hclpos.Range(&e.regionUses[i].rng, dl, db)
	}
	e.save()
}

// addTo adds what decoding the block added to a decoder.
func (e *cachedComponent) addTo(dc *decoder) {
	for i := range e.diags {
		d := copyDiagnostic(&e.diags[i])
		dc.diags = append(dc.diags, &d)
	}
	dc.refs = append(dc.refs, e.refs...)
	dc.zoneUses = append(dc.zoneUses, e.zoneUses...)
	dc.regionUses = append(dc.regionUses, e.regionUses...)
}

// copyDiagnostic copies a diagnostic with ranges of its own (HCL's point
// into the syntax tree, which the caller moves).
func copyDiagnostic(d *hcl.Diagnostic) hcl.Diagnostic {
	cp := *d
	if d.Subject != nil {
		r := *d.Subject
		cp.Subject = &r
	}
	if d.Context != nil {
		r := *d.Context
		cp.Context = &r
	}
	return cp
}
