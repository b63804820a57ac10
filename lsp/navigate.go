package lsp

import (
	"encoding/json"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// fresh returns the design state of an open document, analyzed with the
// buffer's latest text (a change still waiting for its debounce is
// analyzed now, so that answers never lag behind the text), and the
// document's source in it.
func (s *Server) fresh(uri string) (*designState, *source, *rpcError) {
	doc, ok := s.docs[uri]
	if !ok {
		return nil, nil, errorf("the document is not open: %s", uri)
	}
	key := keyOf(doc)
	if key == "" {
		return nil, nil, nil
	}
	if s.dirty[key] || s.ws.designs[key] == nil {
		delete(s.dirty, key)
		for _, p := range s.ws.analyze(key, s.docs) {
			s.sendNotification("textDocument/publishDiagnostics", p)
		}
	}
	ds := s.ws.designs[key]
	if ds == nil {
		return nil, nil, nil
	}
	name := doc.path
	if name == "" {
		name = doc.uri
	}
	src := ds.files[name]
	if src == nil {
		return nil, nil, nil
	}
	return ds, src, nil
}

// positionRequest decodes a request's document and position and finds the
// name there.
func (s *Server) positionRequest(params json.RawMessage, p any, pos *TextDocumentPositionParams) (ds *designState, src *source, off int, rerr *rpcError) {
	if err := decodeParams(params, p); err != nil {
		return nil, nil, 0, err
	}
	ds, src, rerr = s.fresh(pos.TextDocument.URI)
	if rerr != nil || ds == nil {
		return nil, nil, 0, rerr
	}
	return ds, src, src.text.offset(pos.Position), nil
}

func (s *Server) definition(params json.RawMessage) (any, *rpcError) {
	var p TextDocumentPositionParams
	ds, src, off, rerr := s.positionRequest(params, &p, &p)
	if rerr != nil || ds == nil {
		return nil, rerr
	}
	ix := ds.index()
	addr, _, ok := ix.at(src.name, off)
	if !ok {
		return []Location{}, nil
	}
	out := []Location{}
	for _, d := range ix.decls[addr] {
		if loc, ok := ds.location(d.nameRange); ok {
			out = append(out, loc)
		}
	}
	return out, nil
}

func (s *Server) references(params json.RawMessage) (any, *rpcError) {
	var p ReferenceParams
	ds, src, off, rerr := s.positionRequest(params, &p, &p.TextDocumentPositionParams)
	if rerr != nil || ds == nil {
		return nil, rerr
	}
	ix := ds.index()
	addr, _, ok := ix.at(src.name, off)
	if !ok {
		return []Location{}, nil
	}
	var ranges []hcl.Range
	if p.Context.IncludeDeclaration {
		for _, d := range ix.decls[addr] {
			ranges = append(ranges, d.nameRange)
		}
	}
	for _, r := range ix.refs[addr] {
		ranges = append(ranges, r.rng)
	}
	sort.SliceStable(ranges, func(i, j int) bool { return lessRange(ranges[i], ranges[j]) })
	out := []Location{}
	for _, r := range ranges {
		if loc, ok := ds.location(r); ok {
			out = append(out, loc)
		}
	}
	return out, nil
}

// renamable reports whether a name's kind can be renamed, and the prefix of
// its address.
func renamable(addr string) bool {
	prefix, _, _ := strings.Cut(addr, ".")
	return componentKinds[prefix] || prefix == "flow" || prefix == "var" || prefix == "local"
}

func (s *Server) prepareRename(params json.RawMessage) (any, *rpcError) {
	var p TextDocumentPositionParams
	ds, src, off, rerr := s.positionRequest(params, &p, &p)
	if rerr != nil || ds == nil {
		return nil, rerr
	}
	addr, nameRange, ok := ds.index().at(src.name, off)
	if !ok || !renamable(addr) {
		return nil, nil
	}
	r := src.text.rng(nameRange)
	return r, nil
}

func (s *Server) rename(params json.RawMessage) (any, *rpcError) {
	var p RenameParams
	ds, src, off, rerr := s.positionRequest(params, &p, &p.TextDocumentPositionParams)
	if rerr != nil || ds == nil {
		return nil, rerr
	}
	ix := ds.index()
	addr, _, ok := ix.at(src.name, off)
	if !ok || !renamable(addr) {
		return nil, errorf("there is no component, flow, variable or local value to rename here")
	}
	if !hclsyntax.ValidIdentifier(p.NewName) {
		return nil, errorf("%q is not a valid name: a name starts with a letter or underscore and holds only letters, digits, underscores and dashes", p.NewName)
	}
	prefix, _, _ := strings.Cut(addr, ".")
	if len(ix.decls[prefix+"."+p.NewName]) > 0 {
		return nil, errorf("%s.%s is already declared", prefix, p.NewName)
	}
	if len(ix.decls[addr]) == 0 {
		return nil, errorf("%s is not declared in this design", addr)
	}
	// References in JSON files are strings the index does not follow:
	// renaming around them would break the design.
	for _, name := range ds.names {
		if f := ds.files[name]; strings.HasSuffix(name, ".json") && strings.Contains(f.text.s, addr) {
			return nil, errorf("%s is named in %s, a JSON file: rename does not follow references in JSON files", addr, filepath.Base(name))
		}
	}
	for _, d := range ix.decls[addr] {
		if strings.HasSuffix(d.nameRange.Filename, ".json") {
			return nil, errorf("%s is declared in a JSON file: rename does not change JSON files", addr)
		}
	}
	edit := WorkspaceEdit{Changes: map[string][]TextEdit{}}
	add := func(r hcl.Range) {
		if loc, ok := ds.location(r); ok {
			edit.Changes[loc.URI] = append(edit.Changes[loc.URI], TextEdit{Range: loc.Range, NewText: p.NewName})
		}
	}
	for _, d := range ix.decls[addr] {
		add(d.nameRange)
	}
	for _, r := range ix.refs[addr] {
		add(r.nameRange)
	}
	return edit, nil
}

func (s *Server) documentSymbol(params json.RawMessage) (any, *rpcError) {
	var p DocumentSymbolParams
	if err := decodeParams(params, &p); err != nil {
		return nil, err
	}
	ds, src, rerr := s.fresh(p.TextDocument.URI)
	if rerr != nil || ds == nil {
		return []DocumentSymbol{}, rerr
	}
	out := []DocumentSymbol{}
	if blocks, ok := ds.index().blocks[src.name]; ok {
		for _, b := range blocks {
			out = append(out, blockSymbol(src.text, b, true))
		}
		return out, nil
	}
	// A JSON file: its components, from the decoded design.
	if ds.design != nil {
		for _, c := range ds.design.Components {
			if c.DeclRange.Filename == src.name {
				r := src.text.rng(c.DeclRange)
				out = append(out, DocumentSymbol{Name: c.Addr, Kind: SymbolClass, Range: r, SelectionRange: src.text.rng(c.NameRange)})
			}
		}
	}
	return out, nil
}

func blockSymbol(t *text, b *hclsyntax.Block, top bool) DocumentSymbol {
	name := b.Type
	sel := b.TypeRange
	if len(b.Labels) > 0 {
		name = b.Type + "." + b.Labels[0]
		sel = labelRange(b, 0)
	}
	kind := SymbolStruct
	switch {
	case componentKinds[b.Type]:
		kind = SymbolClass
	case b.Type == "flow":
		kind = SymbolEvent
	case b.Type == "variable", b.Type == "locals":
		kind = SymbolVariable
	case b.Type == "region", b.Type == "system":
		kind = SymbolNamespace
	case !top:
		kind = SymbolObject
	}
	sym := DocumentSymbol{Name: name, Kind: kind, Range: t.rng(hcl.RangeBetween(b.TypeRange, b.Body.SrcRange)), SelectionRange: t.rng(sel)}
	if b.Type == "call" || b.Type == "consume" {
		for _, a := range []string{"to", "from"} {
			if attr, ok := b.Body.Attributes[a]; ok {
				if tr, d := hcl.AbsTraversalForExpr(attr.Expr); !d.HasErrors() && len(tr) == 2 {
					if step, ok := tr[1].(hcl.TraverseAttr); ok {
						sym.Detail = "→ " + tr.RootName() + "." + step.Name
					}
				}
			}
		}
	}
	for _, nb := range b.Body.Blocks {
		sym.Children = append(sym.Children, blockSymbol(t, nb, false))
	}
	if b.Type == "locals" {
		for _, a := range sortedAttrs(b.Body) {
			sym.Children = append(sym.Children, DocumentSymbol{Name: "local." + a.Name, Kind: SymbolVariable, Range: t.rng(a.SrcRange), SelectionRange: t.rng(a.NameRange)})
		}
	}
	return sym
}

func sortedAttrs(b *hclsyntax.Body) []*hclsyntax.Attribute {
	out := make([]*hclsyntax.Attribute, 0, len(b.Attributes))
	for _, a := range b.Attributes {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].SrcRange.Start.Byte < out[j].SrcRange.Start.Byte })
	return out
}
