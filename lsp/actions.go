package lsp

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Quick fixes, for the diagnostics the client sends back with the request:
//   - "Did you mean X?" in a decoder's message: replace the name or value
//     with X (one fix per suggestion);
//   - a finding that asks for replication.failover = "automatic": set it;
//   - any finding: a suppression comment above its component's block, with
//     a reason to fill in (a suppression without one silences nothing).

// didYouMean finds the suggestions of a decoder's message: quoted names and
// values, or component addresses.
var didYouMean = regexp.MustCompile(`Did you mean ((?:"[^"]*"|[a-z_]+\.[A-Za-z0-9_-]+)(?: or (?:"[^"]*"|[a-z_]+\.[A-Za-z0-9_-]+))*)\?`)

var suggestion = regexp.MustCompile(`"[^"]*"|[a-z_]+\.[A-Za-z0-9_-]+`)

// SuppressionReason is the placeholder reason of a suppression quick fix.
const SuppressionReason = "TODO: why this risk is accepted"

func (s *Server) codeAction(params json.RawMessage) (any, *rpcError) {
	var p CodeActionParams
	if err := decodeParams(params, &p); err != nil {
		return nil, err
	}
	ds, src, rerr := s.fresh(p.TextDocument.URI)
	if rerr != nil || ds == nil {
		return []CodeAction{}, rerr
	}
	out := []CodeAction{}
	for _, d := range p.Context.Diagnostics {
		if d.Source != "archform" {
			continue
		}
		out = append(out, didYouMeanFixes(src, d)...)
		if d.Data == nil || d.Data.Rule == "" {
			continue
		}
		if a, ok := failoverFix(ds, d); ok {
			out = append(out, a)
		}
		if a, ok := suppressFix(ds, src, d); ok {
			out = append(out, a)
		}
	}
	return out, nil
}

func didYouMeanFixes(src *source, d Diagnostic) []CodeAction {
	m := didYouMean.FindStringSubmatch(d.Message)
	if m == nil {
		return nil
	}
	start, end := src.text.offset(d.Range.Start), src.text.offset(d.Range.End)
	if end <= start {
		return nil
	}
	old := src.text.s[start:end]
	var out []CodeAction
	for _, sugg := range suggestion.FindAllString(m[1], -1) {
		repl := sugg
		if strings.HasPrefix(sugg, `"`) && !strings.HasPrefix(old, `"`) {
			repl = strings.Trim(sugg, `"`) // a name: the message quotes it
		}
		out = append(out, CodeAction{
			Title: fmt.Sprintf("Change %s to %s", old, repl), Kind: "quickfix",
			Diagnostics: []Diagnostic{d}, IsPreferred: len(out) == 0,
			Edit: &WorkspaceEdit{Changes: map[string][]TextEdit{src.uri: {{Range: d.Range, NewText: repl}}}},
		})
	}
	return out
}

// topBlock finds the HCL block of an address (KIND.NAME, flow.NAME).
func (ds *designState) topBlock(addr string) (*source, *hclsyntax.Block) {
	typ, name, ok := strings.Cut(addr, ".")
	if !ok {
		return nil, nil
	}
	ix := ds.index()
	for _, fn := range ds.names {
		for _, b := range ix.blocks[fn] {
			if b.Type == typ && len(b.Labels) == 1 && b.Labels[0] == name {
				return ds.files[fn], b
			}
		}
	}
	return nil, nil
}

// indentOf is the white space that starts the line holding off.
func indentOf(t *text, off int) string {
	ls := t.lines[t.lineOf(off)]
	i := ls
	for i < len(t.s) && (t.s[i] == ' ' || t.s[i] == '\t') {
		i++
	}
	return t.s[ls:i]
}

func failoverFix(ds *designState, d Diagnostic) (CodeAction, bool) {
	if !strings.Contains(d.Message, `failover = "automatic"`) || !strings.HasPrefix(d.Data.Subject, "database.") {
		return CodeAction{}, false
	}
	src, b := ds.topBlock(d.Data.Subject)
	if b == nil {
		return CodeAction{}, false
	}
	var edit TextEdit
	var repl *hclsyntax.Block
	for _, nb := range b.Body.Blocks {
		if nb.Type == "replication" {
			repl = nb
		}
	}
	switch {
	case repl == nil:
		return CodeAction{}, false
	case repl.Body.Attributes["failover"] != nil:
		edit = TextEdit{Range: src.text.rng(repl.Body.Attributes["failover"].Expr.Range()), NewText: `"automatic"`}
	default:
		// A new line before the block's closing brace.
		closeOff := src.text.posOffset(repl.CloseBraceRange.Start)
		lineStart := src.text.lines[src.text.lineOf(closeOff)]
		indent := indentOf(src.text, src.text.posOffset(repl.TypeRange.Start))
		text := indent + "  failover = \"automatic\"\n"
		at := lineStart
		if strings.TrimSpace(src.text.s[lineStart:closeOff]) != "" {
			at, text = closeOff, "\n"+text+indent // "replication { mode = ... }" on one line
		}
		p := src.text.position(at)
		edit = TextEdit{Range: Range{Start: p, End: p}, NewText: text}
	}
	return CodeAction{
		Title: `Set replication.failover = "automatic" on ` + d.Data.Subject, Kind: "quickfix",
		Diagnostics: []Diagnostic{d}, IsPreferred: true,
		Edit: &WorkspaceEdit{Changes: map[string][]TextEdit{src.uri: {edit}}},
	}, true
}

func suppressFix(ds *designState, src *source, d Diagnostic) (CodeAction, bool) {
	target, b := ds.topBlock(d.Data.Subject)
	var off int
	if b != nil {
		off = target.text.posOffset(b.TypeRange.Start)
	} else {
		target, off = src, src.text.offset(d.Range.Start)
	}
	t := target.text
	lineStart := t.lines[t.lineOf(off)]
	p := t.position(lineStart)
	comment := fmt.Sprintf("%s# archform:ignore %s -- %s\n", indentOf(t, off), d.Data.Rule, SuppressionReason)
	return CodeAction{
		Title: fmt.Sprintf("Suppress %s here (with a reason)", d.Data.Rule), Kind: "quickfix",
		Diagnostics: []Diagnostic{d},
		Edit:        &WorkspaceEdit{Changes: map[string][]TextEdit{target.uri: {{Range: Range{Start: p, End: p}, NewText: comment}}}},
	}, true
}
