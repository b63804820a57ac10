package lsp

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/archform/archform/lang"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// cursor is what surrounds a position in a file, read from its tokens (so
// that it works on a half-typed file): the blocks it is in, and what the
// line holds before it.
type cursor struct {
	// blocks are the enclosing blocks' types, outermost first, and the
	// catalogue's block for the innermost (nil when unknown).
	blocks []string
	block  *lang.Block
	// inBlockBody: the position is directly in a block's body (not in an
	// expression's brackets or an object).
	inBlockBody bool
	// line holds the tokens of the current line before the position (at
	// the innermost body's level).
	line []hclsyntax.Token
	// inString: the position is in a quoted string; prefix is what is
	// typed of the word (or string) at the position.
	inString bool
	prefix   string
}

type frame struct {
	kind  byte // 'b' block, 'o' object or other brace, '[', '(', 't' template interpolation
	block string
}

// cursorAt reads the context of a byte offset in a file's text: it lexes
// the top-level piece holding it, from its start to the offset.
func cursorAt(t *text, off int) cursor {
	starts := lang.SplitTopLevel(t.s)
	i := sortSearch(starts, off)
	start := starts[i]
	toks, _ := hclsyntax.LexConfig([]byte(t.s[start:off]), "", hcl.InitialPos)
	var stack []frame
	var line []hclsyntax.Token
	var c cursor
	depthString := 0
	for _, tok := range toks {
		switch tok.Type {
		case hclsyntax.TokenEOF:
			continue
		case hclsyntax.TokenNewline:
			if len(stack) == 0 || stack[len(stack)-1].kind == 'b' {
				line = line[:0]
				continue
			}
		case hclsyntax.TokenOQuote, hclsyntax.TokenOHeredoc:
			depthString++
		case hclsyntax.TokenCQuote, hclsyntax.TokenCHeredoc:
			depthString--
		case hclsyntax.TokenOBrace:
			f := frame{kind: 'o'}
			if typ, ok := blockHeader(line); ok {
				f = frame{kind: 'b', block: typ}
			}
			stack = append(stack, f)
			line = line[:0]
			continue
		case hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl:
			stack = append(stack, frame{kind: 't'})
		case hclsyntax.TokenOBrack:
			stack = append(stack, frame{kind: '['})
		case hclsyntax.TokenOParen:
			stack = append(stack, frame{kind: '('})
		case hclsyntax.TokenCBrace, hclsyntax.TokenCBrack, hclsyntax.TokenCParen, hclsyntax.TokenTemplateSeqEnd:
			if len(stack) > 0 {
				top := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				if top.kind == 'b' || top.kind == 'o' && tok.Type == hclsyntax.TokenCBrace {
					line = line[:0]
					continue
				}
			}
		}
		line = append(line, tok)
	}
	c.inString = depthString > 0
	c.inBlockBody = true
	for _, f := range stack {
		if f.kind == 'b' {
			c.blocks = append(c.blocks, f.block)
		} else {
			c.inBlockBody = false
		}
	}
	c.line = line
	c.block = lang.Catalogue()
	for _, b := range c.blocks {
		if c.block != nil {
			c.block = c.block.Block(b)
		}
	}
	// The word (or string content) being typed.
	j := off
	for j > start && isWordByte(t.s[j-1]) {
		j--
	}
	c.prefix = t.s[j:off]
	return c
}

func sortSearch(starts []int, off int) int {
	i := sort.Search(len(starts), func(i int) bool { return starts[i] > off }) - 1
	return max(i, 0)
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// blockHeader reports whether a line's tokens are a block header before
// its brace: an identifier and labels (quoted strings or identifiers).
func blockHeader(line []hclsyntax.Token) (string, bool) {
	if len(line) == 0 || line[0].Type != hclsyntax.TokenIdent {
		return "", false
	}
	for _, t := range line[1:] {
		switch t.Type {
		case hclsyntax.TokenIdent, hclsyntax.TokenOQuote, hclsyntax.TokenCQuote, hclsyntax.TokenQuotedLit:
		default:
			return "", false
		}
	}
	return string(line[0].Bytes), true
}

// attributeBeingSet returns the attribute name when the line is NAME = ...
func attributeBeingSet(line []hclsyntax.Token) (string, bool) {
	if len(line) >= 2 && line[0].Type == hclsyntax.TokenIdent && line[1].Type == hclsyntax.TokenEqual {
		return string(line[0].Bytes), true
	}
	return "", false
}

// refKinds are the kinds a reference attribute accepts, where not every
// kind (the decoder says so with an error otherwise).
var refKinds = map[string]lang.Kind{"from": lang.KindQueue, "dead_letter": lang.KindQueue, "through": lang.KindQueue, "entry": lang.KindClient}

func (s *Server) completion(params json.RawMessage) (any, *rpcError) {
	var p CompletionParams
	ds, src, off, rerr := s.positionRequest(params, &p, &p.TextDocumentPositionParams)
	if rerr != nil || ds == nil {
		return CompletionList{Items: []CompletionItem{}}, rerr
	}
	if !strings.HasSuffix(src.name, lang.SuffixHCL) && src.name != src.uri {
		return CompletionList{Items: []CompletionItem{}}, nil // JSON: the JSON Schema completes it
	}
	c := cursorAt(src.text, off)
	items := completeAt(ds, c)
	if items == nil {
		items = []CompletionItem{}
	}
	return CompletionList{Items: items}, nil
}

func completeAt(ds *designState, c cursor) []CompletionItem {
	line := c.line
	// KIND. or var. or local. typed: the names of that kind.
	if n := len(line); n >= 2 && !c.inString {
		last := line[n-1]
		root := line[n-2]
		if last.Type == hclsyntax.TokenIdent && n >= 3 && line[n-2].Type == hclsyntax.TokenDot {
			root = line[n-3]
			last = line[n-2]
		}
		if last.Type == hclsyntax.TokenDot && root.Type == hclsyntax.TokenIdent {
			return namesOf(ds, string(root.Bytes))
		}
	}
	if name, ok := attributeBeingSet(line); ok {
		return valuesOf(ds, c, name)
	}
	if c.inString || !c.inBlockBody {
		return nil
	}
	// The start of a line in a body: attributes and blocks.
	if len(line) > 1 || len(line) == 1 && line[0].Type != hclsyntax.TokenIdent {
		return nil
	}
	b := c.block
	if b == nil {
		return nil
	}
	var items []CompletionItem
	if !b.AnyAttributes {
		for i, a := range b.Attributes {
			items = append(items, CompletionItem{
				Label: a.Name, Kind: KindProperty, Detail: string(a.Type),
				Documentation: &MarkupContent{Kind: "markdown", Value: attributeDoc(a)},
				InsertText:    a.Name + " = ", SortText: fmt.Sprintf("1%03d", i),
			})
		}
	}
	for i, nb := range b.Blocks {
		insert := nb.Type + " {\n  $0\n}"
		if len(nb.Labels) > 0 {
			insert = nb.Type + " \"${1:" + nb.Labels[0] + "}\" {\n  $0\n}"
		}
		kind := KindStruct
		if nb.Kind != "" {
			kind = KindClass
		}
		items = append(items, CompletionItem{
			Label: nb.Type, Kind: kind, Detail: "block",
			Documentation: &MarkupContent{Kind: "markdown", Value: nb.Doc},
			InsertText:    insert, InsertTextFormat: 2, SortText: fmt.Sprintf("2%03d", i),
		})
	}
	return items
}

// namesOf lists the declared names with a prefix (a component kind, var,
// local).
func namesOf(ds *designState, prefix string) []CompletionItem {
	if !componentKinds[prefix] && prefix != "var" && prefix != "local" {
		return nil
	}
	ix := ds.index()
	var items []CompletionItem
	for addr := range ix.decls {
		if name, ok := strings.CutPrefix(addr, prefix+"."); ok {
			items = append(items, CompletionItem{Label: name, Kind: KindReference, Detail: addr, Documentation: figuresDoc(ds, addr)})
		}
	}
	sortItems(items)
	return items
}

func figuresDoc(ds *designState, addr string) *MarkupContent {
	if md := ds.figures(addr); md != "" {
		return &MarkupContent{Kind: "markdown", Value: md}
	}
	return nil
}

func sortItems(items []CompletionItem) {
	sort.Slice(items, func(i, j int) bool { return items[i].Label < items[j].Label })
}

// valuesOf lists the values an attribute takes: its enumeration, true and
// false, component references, or declared zones and regions.
func valuesOf(ds *designState, c cursor, name string) []CompletionItem {
	if c.block == nil {
		return nil
	}
	a := c.block.Attribute(name)
	if a == nil {
		return nil
	}
	quote := func(v string) string {
		if c.inString {
			return v
		}
		return `"` + v + `"`
	}
	var items []CompletionItem
	switch {
	case len(a.Values) > 0:
		for i, v := range a.Values {
			items = append(items, CompletionItem{Label: v, Kind: KindEnumMember, Detail: name, InsertText: quote(v), SortText: fmt.Sprintf("%03d", i)})
		}
	case a.Type == lang.TypeBool && !c.inString:
		for _, v := range []string{"true", "false"} {
			items = append(items, CompletionItem{Label: v, Kind: KindValue})
		}
	case a.Type == lang.TypeReference && !c.inString:
		want := refKinds[name]
		for addr := range ds.index().decls {
			kind, _, _ := strings.Cut(addr, ".")
			if componentKinds[kind] && (want == "" || kind == string(want)) {
				items = append(items, CompletionItem{Label: addr, Kind: KindReference, Documentation: figuresDoc(ds, addr)})
			}
		}
		sortItems(items)
	case name == "zones" || name == "regions":
		prefix := "zone."
		if name == "regions" {
			prefix = "region."
		}
		for addr := range ds.index().decls {
			if v, ok := strings.CutPrefix(addr, prefix); ok {
				items = append(items, CompletionItem{Label: v, Kind: KindValue, InsertText: quote(v)})
			}
		}
		sortItems(items)
	}
	return items
}

// attributeDoc is an attribute's documentation from the catalogue.
func attributeDoc(a *lang.Attribute) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s** (%s", a.Name, a.Type)
	if a.Unit != "" {
		fmt.Fprintf(&b, ", %s", a.Unit)
	}
	if a.Required {
		b.WriteString(", required")
	}
	b.WriteString(")\n\n")
	b.WriteString(a.Doc)
	if len(a.Values) > 0 {
		open := ""
		if a.OpenValues {
			open = ", or another"
		}
		fmt.Fprintf(&b, "\n\nValues: `%s`%s.", strings.Join(a.Values, "` | `"), open)
	}
	if a.Min != nil || a.Max != nil {
		b.WriteString("\n\nRange: ")
		if a.Min != nil {
			op := "≥"
			if a.MinExclusive {
				op = ">"
			}
			fmt.Fprintf(&b, "%s %s", op, num(*a.Min))
		}
		if a.Max != nil {
			if a.Min != nil {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "≤ %s", num(*a.Max))
		}
		b.WriteString(".")
	}
	if a.Default != "" {
		fmt.Fprintf(&b, "\n\nDefault: %s.", a.Default)
	}
	if td := a.Type.Doc(); td != "" {
		fmt.Fprintf(&b, "\n\n_%s_: %s", a.Type, td)
	}
	return b.String()
}

// attributeHover documents the attribute or block type under the cursor.
func (s *Server) attributeHover(ds *designState, src *source, off int) *Hover {
	if !strings.HasSuffix(src.name, lang.SuffixHCL) && src.name != src.uri {
		return nil
	}
	t := src.text
	start, end := off, off
	for start > 0 && isWordByte(t.s[start-1]) {
		start--
	}
	for end < len(t.s) && isWordByte(t.s[end]) {
		end++
	}
	if start == end {
		return nil
	}
	word := t.s[start:end]
	c := cursorAt(t, end)
	r := Range{Start: t.position(start), End: t.position(end)}
	if len(c.line) != 1 || c.inString || !c.inBlockBody {
		return nil
	}
	rest := strings.TrimLeft(t.s[end:min(len(t.s), end+200)], " \t")
	if c.block == nil {
		return nil
	}
	if strings.HasPrefix(rest, "=") && !strings.HasPrefix(rest, "==") {
		if a := c.block.Attribute(word); a != nil {
			return &Hover{Contents: MarkupContent{Kind: "markdown", Value: attributeDoc(a)}, Range: &r}
		}
		return nil
	}
	if nb := c.block.Block(word); nb != nil {
		return &Hover{Contents: MarkupContent{Kind: "markdown", Value: fmt.Sprintf("**%s** block\n\n%s", nb.Type, nb.Doc)}, Range: &r}
	}
	return nil
}
