package lang

import (
	"bytes"
	"fmt"
	"slices"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Loading without the syntax (Options.DropSyntax). A design's syntax tree
// takes some 25 times its source: 60 MB for the 2.5 MB of 10,000
// components, more than the design decoded from it. A command that needs
// only the design, the files' bytes (for snippets) and where each top-level
// block lies (the Outline) loads it in two passes over the pieces ParseFile
// would parse (see pieces.go), told apart by the word each top-level item
// starts with: first the variable, locals, system and region blocks (and
// whatever else is not a component or a flow), which every component reads;
// then the component and flow blocks, a batch of pieces at a time, each
// batch's syntax garbage as soon as its blocks are decoded. The design and
// the diagnostics are those of Load, in the same order. A file whose pieces
// do not parse cleanly, or hold what the pass they belong to does not
// expect, sends the whole load back to the ordinary path (parse, decode,
// then drop the syntax), whose diagnostics are those of the whole file.
// Files smaller than piecesFrom and JSON files are parsed whole, as
// ParseFile does, and only JSON files keep their syntax (their navigation
// holds it, and they have no comments for suppressions to read).

// batchSize is how many bytes of component and flow blocks are parsed
// before they are decoded: enough blocks for the parallel decode (some
// 1,000 components), little syntax at a time (some 6 MB).
const batchSize = 256 << 10

// streamSizes are the sizes loadWithoutSyntax works with: files of from
// bytes or more are parsed in pieces of about piece bytes, and their
// components and flows decoded batch bytes at a time. Tests make them
// small.
type streamSizes struct{ from, piece, batch int }

var defaultSizes = streamSizes{from: piecesFrom, piece: pieceSize, batch: batchSize}

// Outline is what a design file loaded without its syntax keeps of it: its
// top-level blocks and attributes, where they lie, and where the file's
// body ends. It is the file's Nav (hcl.File): it names the block holding an
// offset for diagnostics' headings (ContextString), and suppression
// comments find their targets in it.
type Outline struct {
	Items []OutlineItem // in source order
	End   hcl.Pos       // the end of the file's body
}

// OutlineItem is a top-level block or attribute of a file.
type OutlineItem struct {
	Type   string    // the block's type, or the attribute's name
	Labels []string  // the block's labels
	Range  hcl.Range // from the block's type to its closing brace, or the attribute
	Block  bool
}

// outlineOf is the Outline of a native-syntax file's body.
func outlineOf(body *hclsyntax.Body) *Outline {
	o := &Outline{End: body.SrcRange.End}
	o.add(body)
	o.sort()
	return o
}

func (o *Outline) add(body *hclsyntax.Body) {
	for _, a := range body.Attributes {
		o.Items = append(o.Items, OutlineItem{Type: a.Name, Range: a.SrcRange})
	}
	for _, b := range body.Blocks {
		o.Items = append(o.Items, OutlineItem{Type: b.Type, Labels: b.Labels, Range: b.Range(), Block: true})
	}
}

func (o *Outline) sort() {
	slices.SortFunc(o.Items, func(a, b OutlineItem) int { return a.Range.Start.Byte - b.Range.Start.Byte })
}

// ContextString names the top-level block holding offset (`service "api"`)
// or returns "", as the navigation of HCL's native syntax does.
func (o *Outline) ContextString(offset int) string {
	i := sort.Search(len(o.Items), func(i int) bool { return o.Items[i].Range.End.Byte > offset })
	if i == len(o.Items) || !o.Items[i].Block || o.Items[i].Range.Start.Byte > offset {
		return ""
	}
	name := o.Items[i].Type
	for _, l := range o.Items[i].Labels {
		name += fmt.Sprintf(" %q", l)
	}
	return name
}

// DropSyntax replaces each native-syntax file of the design by its bytes
// and Outline (as Nav), as a load with Options.DropSyntax leaves it; the
// syntax is then garbage.
func (d *Design) DropSyntax() {
	for name, f := range d.Files {
		if body, ok := f.Body.(*hclsyntax.Body); ok {
			d.Files[name] = &hcl.File{Bytes: f.Bytes, Nav: outlineOf(body)}
		}
	}
}

// isLate reports whether top-level blocks of a type are decoded in the
// second pass: components and flows.
func isLate(blockType string) bool { return blockType == "flow" || Kind(blockType).valid() }

// streamFile is a design file loaded without its syntax.
type streamFile struct {
	name string
	src  []byte
	// file is the file parsed whole (JSON, or smaller than piecesFrom),
	// nil when it is parsed in pieces or could not be parsed; late holds
	// its component and flow blocks.
	file *hcl.File
	late hcl.Blocks
	// pieces are a file parsed in pieces, in source order; outline
	// gathers their top-level items as they are parsed.
	pieces  []piece
	outline *Outline
}

// piece is a stretch of top-level items of one pass.
type piece struct {
	start, end int
	pos        hcl.Pos // of start
	late       bool    // components and flows
}

// cut splits the file into pieces of about pieceSize bytes at the starts of
// top-level items (as pieceCuts does), and where the pass changes.
func (sf *streamFile) cut(size int) {
	src := sf.src
	starts := SplitTopLevel(string(src))
	pos, at := hcl.InitialPos, 0
	for i, s := range starts {
		end := len(src)
		if i+1 < len(starts) {
			end = starts[i+1]
		}
		late := isLate(leadingWord(src[s:end]))
		if n := len(sf.pieces); n > 0 && sf.pieces[n-1].late == late && s-sf.pieces[n-1].start < size {
			sf.pieces[n-1].end = end
			continue
		}
		pos, at = advance(pos, src[at:s]), s
		sf.pieces = append(sf.pieces, piece{start: s, end: end, pos: pos, late: late})
	}
	sf.outline = &Outline{}
}

// blocks parses a piece, notes its items in the outline and returns its
// blocks as decode reads them (the top-level schema's diagnostics go to
// diags). It fails on any parse diagnostic, on a top-level attribute (an
// error, which the whole file's parse reports) and on a block of the other
// pass.
func (sf *streamFile) blocks(p piece, diags *hcl.Diagnostics) (hcl.Blocks, bool) {
	f, parseDiags := hclsyntax.ParseConfig(sf.src[p.start:p.end], sf.name, p.pos)
	if len(parseDiags) > 0 {
		return nil, false
	}
	body := f.Body.(*hclsyntax.Body)
	if len(body.Attributes) > 0 {
		return nil, false
	}
	for _, b := range body.Blocks {
		if isLate(b.Type) != p.late {
			return nil, false
		}
	}
	wrapForExpressions(body)
	sf.outline.add(body)
	if p.end == len(sf.src) {
		sf.outline.End = body.SrcRange.End
	}
	_, blocks, more := bodyContent(body, rootSchema)
	*diags = append(*diags, more...)
	return blocks, true
}

// leadingWord returns the first word of a top-level item's text, after
// blanks and comments: its block type or attribute name.
func leadingWord(text []byte) string {
	i := 0
	for i < len(text) {
		switch c := text[i]; {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			i++
		case c == '#' || c == '/' && i+1 < len(text) && text[i+1] == '/':
			for i < len(text) && text[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(text) && text[i+1] == '*':
			end := bytes.Index(text[i+2:], []byte("*/"))
			if end < 0 {
				return ""
			}
			i += 2 + end + 2
		default:
			j := i
			for j < len(text) && (isIdentStart(text[j]) || text[j] >= '0' && text[j] <= '9' || text[j] == '-') {
				j++
			}
			return string(text[i:j])
		}
	}
	return ""
}

// loadWithoutSyntax is LoadFiles with Options.DropSyntax. It reports false
// when a file sends the load back to the ordinary path.
func loadWithoutSyntax(names []string, files map[string][]byte, opts Options, sizes streamSizes) (*Design, hcl.Diagnostics, bool) {
	d := &Design{Files: make(map[string]*hcl.File, len(names))}
	dc := &decoder{d: d}
	var parseDiags, rootDiags hcl.Diagnostics
	var early hcl.Blocks
	sfs := make([]*streamFile, len(names))
	// read are the files as the system block's decoder reads them (their
	// bytes), nil where a file could not be parsed.
	read := make([]*hcl.File, len(names))
	parsedAny := false
	for i, name := range names {
		src := files[name]
		sf := &streamFile{name: name, src: src}
		sfs[i] = sf
		if isJSONName(name) || len(src) < sizes.from {
			f, diags := ParseFile(src, name)
			parseDiags = append(parseDiags, diags...)
			if f == nil {
				continue
			}
			parsedAny = true
			budgetForExpressions(f)
			sf.file, read[i] = f, f
			_, blocks, diags := bodyContent(f.Body, rootSchema)
			rootDiags = append(rootDiags, diags...)
			for _, b := range blocks {
				if isLate(b.Type) {
					sf.late = append(sf.late, b)
				} else {
					early = append(early, b)
				}
			}
			continue
		}
		if checkSource(src, name, false) != nil {
			return nil, nil, false
		}
		parsedAny = true
		read[i] = &hcl.File{Bytes: src}
		sf.cut(sizes.piece)
		for _, p := range sf.pieces {
			if p.late {
				continue
			}
			blocks, ok := sf.blocks(p, &rootDiags)
			if !ok {
				return nil, nil, false
			}
			early = append(early, blocks...)
		}
	}
	if !parsedAny {
		return nil, nil, false
	}

	byType := map[string]hcl.Blocks{}
	for _, b := range early {
		byType[b.Type] = append(byType[b.Type], b)
	}
	early = nil
	dc.declarations(byType, opts.Vars, names, read)
	byType = nil
	declDiags := dc.diags
	dc.diags = nil
	// The components' diagnostics and references go to dc as components
	// decodes them; those of duplicates and flows are kept apart, to be
	// joined in the order decode makes.
	dups := &decoder{d: d}
	fd := &decoder{ctx: dc.ctx, fns: dc.fns, d: d}
	seen, flows := map[string]*Component{}, map[string]*Flow{}
	decodeLate := func(blocks hcl.Blocks) {
		for _, c := range dc.components(blocks, nil) {
			dups.addComponent(c, seen)
		}
		for _, b := range blocks {
			if b.Type == "flow" {
				fd.addFlow(b, flows)
			}
		}
	}
	for _, sf := range sfs {
		if sf.file != nil {
			decodeLate(sf.late)
			sf.late = nil
			continue
		}
		var batch hcl.Blocks
		size := 0
		for _, p := range sf.pieces {
			if !p.late {
				continue
			}
			blocks, ok := sf.blocks(p, &rootDiags)
			if !ok {
				return nil, nil, false
			}
			batch = append(batch, blocks...)
			if size += p.end - p.start; size >= sizes.batch {
				decodeLate(batch)
				batch, size = nil, 0
			}
		}
		decodeLate(batch)
	}
	// decode reports the top-level blocks' problems file by file in
	// source order; the passes found them in another order.
	sortDiagnostics(rootDiags, names)
	dc.diags = slices.Concat(rootDiags, declDiags, dc.diags, dups.diags, fd.diags)
	dc.refs = append(dc.refs, fd.refs...)
	dc.finish()

	for _, sf := range sfs {
		switch {
		case sf.outline != nil:
			sf.outline.sort()
			d.Files[sf.name] = &hcl.File{Bytes: sf.src, Nav: sf.outline}
		case sf.file == nil:
		case isJSONName(sf.name):
			d.Files[sf.name] = sf.file
		default:
			d.Files[sf.name] = &hcl.File{Bytes: sf.src, Nav: outlineOf(sf.file.Body.(*hclsyntax.Body))}
		}
	}
	return d, append(parseDiags, dc.diags...), true
}
