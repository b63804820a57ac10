package analyze

import (
	"bytes"
	_ "embed"
	"fmt"
	"github.com/archform/archform/internal/didyoumean"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/archform/archform/lang"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

//go:embed suppress_doc.md
var suppressionDoc string

// SuppressionAnalyzer is the rule `suppression`: suppression comments
// without a reason, naming an unknown rule, or silencing nothing. The engine
// reports its findings itself (its Run does nothing); it is part of every
// run's suite, and configuration may disable it or change its severity.
var SuppressionAnalyzer = &Analyzer{
	ID:       "suppression",
	Summary:  "suppression comments need a reason, a known rule and a finding to silence",
	Problem:  Noun{One: "suppression problem", Many: "suppression problems"},
	Doc:      suppressionDoc,
	Severity: Warning,
	Run:      func(*Pass) error { return nil },
}

const (
	directivePrefix = "archform:"
	reasonSep       = "--"
)

// syntaxItem is a block or attribute of a file: what a suppression can cover.
type syntaxItem struct {
	rng  hcl.Range
	addr string // the top-level block's address (service.api, flow.checkout)
}

// fileSyntax is what suppressions need from one file: its top-level items,
// and, walked only for the items a suppression points into, the nested ones.
type fileSyntax struct {
	name   string
	src    []byte
	extent hcl.Range
	tops   []topItem // in source order
	// first holds, for each line of a walked top-level block, the first (so
	// outermost) nested item starting on it.
	first map[int]syntaxItem
}

// topItem is a top-level block or attribute.
type topItem struct {
	syntaxItem
	isBlock bool
	// block is the block's syntax; nil for an attribute, and for a block
	// of a file loaded without its syntax until it is parsed again.
	block  *hclsyntax.Block
	walked bool
}

func newFileSyntax(name string, src []byte, body *hclsyntax.Body) *fileSyntax {
	fs := &fileSyntax{name: name, src: src, extent: hcl.Range{Filename: name, Start: hcl.InitialPos, End: body.SrcRange.End}, first: map[int]syntaxItem{}}
	for _, a := range body.Attributes {
		fs.tops = append(fs.tops, topItem{syntaxItem: syntaxItem{rng: a.SrcRange, addr: a.Name}})
	}
	for _, b := range body.Blocks {
		fs.tops = append(fs.tops, topItem{syntaxItem: syntaxItem{rng: b.Range(), addr: blockAddr(b.Type, b.Labels)}, isBlock: true, block: b})
	}
	sort.Slice(fs.tops, func(i, j int) bool { return fs.tops[i].rng.Start.Byte < fs.tops[j].rng.Start.Byte })
	return fs
}

// newOutlineSyntax is newFileSyntax for a file loaded without its syntax:
// its top-level items come from its outline, and the syntax of a block is
// parsed again from the block's text when a suppression points into it.
func newOutlineSyntax(name string, src []byte, o *lang.Outline) *fileSyntax {
	fs := &fileSyntax{name: name, src: src, extent: hcl.Range{Filename: name, Start: hcl.InitialPos, End: o.End}, first: map[int]syntaxItem{}}
	for _, it := range o.Items {
		addr := it.Type
		if it.Block {
			addr = blockAddr(it.Type, it.Labels)
		}
		fs.tops = append(fs.tops, topItem{syntaxItem: syntaxItem{rng: it.Range, addr: addr}, isBlock: it.Block})
	}
	return fs
}

// blockSyntax returns a top-level block's syntax, parsing its text at its
// place in the file when the file was loaded without its syntax (nil if
// that fails, which it does not on a file that parsed).
func (fs *fileSyntax) blockSyntax(top *topItem) *hclsyntax.Block {
	if top.block != nil || !top.isBlock {
		return top.block
	}
	r := top.rng
	if r.Start.Byte < 0 || r.End.Byte > len(fs.src) || r.Start.Byte > r.End.Byte {
		return nil
	}
	f, diags := hclsyntax.ParseConfig(fs.src[r.Start.Byte:r.End.Byte], fs.name, r.Start)
	if diags.HasErrors() {
		return nil
	}
	if blocks := f.Body.(*hclsyntax.Body).Blocks; len(blocks) == 1 {
		return blocks[0]
	}
	return nil
}

// walk records the nested items of body, pre-order, by start line.
func (fs *fileSyntax) walk(body *hclsyntax.Body, addr string) {
	type node struct {
		rng   hcl.Range
		block *hclsyntax.Block
	}
	var nodes []node
	for _, a := range body.Attributes {
		nodes = append(nodes, node{rng: a.SrcRange})
	}
	for _, b := range body.Blocks {
		nodes = append(nodes, node{rng: b.Range(), block: b})
	}
	sort.Slice(nodes, func(i, j int) bool { return nodes[i].rng.Start.Byte < nodes[j].rng.Start.Byte })
	for _, n := range nodes {
		if _, ok := fs.first[n.rng.Start.Line]; !ok {
			fs.first[n.rng.Start.Line] = syntaxItem{rng: n.rng, addr: addr}
		}
		if n.block != nil {
			fs.walk(n.block.Body, addr)
		}
	}
}

// fileSubject is the subject of a finding about the file as a whole: its
// base name, the same whichever directory archform runs from (baselines and
// fingerprints key on it).
func (fs *fileSyntax) fileSubject() string { return filepath.Base(fs.name) }

// firstByte is where the file's first block or attribute starts (-1: none).
func (fs *fileSyntax) firstByte() int {
	if len(fs.tops) == 0 {
		return -1
	}
	return fs.tops[0].rng.Start.Byte
}

// itemStartingOn returns the outermost item that starts on line, if any.
func (fs *fileSyntax) itemStartingOn(line int) (syntaxItem, bool) {
	k := sort.Search(len(fs.tops), func(k int) bool { return fs.tops[k].rng.Start.Line > line }) - 1
	if k < 0 || fs.tops[k].rng.End.Line < line {
		return syntaxItem{}, false
	}
	top := &fs.tops[k]
	if top.rng.Start.Line == line {
		return top.syntaxItem, true
	}
	if !top.isBlock {
		return syntaxItem{}, false
	}
	if !top.walked {
		top.walked = true
		if b := fs.blockSyntax(top); b != nil {
			fs.walk(b.Body, top.addr)
		}
	}
	it, ok := fs.first[line]
	return it, ok
}

// blockAddr names a top-level block the way findings name subjects:
// service.api, flow.checkout, system.shop; an unlabeled block by its type.
func blockAddr(blockType string, labels []string) string {
	if len(labels) == 0 {
		return blockType
	}
	return blockType + "." + strings.Join(labels, ".")
}

// parsedSuppression is a suppression comment with what is wrong with it.
type parsedSuppression struct {
	*Suppression
	subject   string
	problems  []string // each becomes a finding of the suppression rule
	valid     bool     // applies (it has a reason and a target)
	malformed bool     // not a directive archform understands: no target to look for
}

// findSuppressions lexes every native-syntax file of the design for
// `archform:` comments, in file order then source order. A file loaded
// without its syntax (lang.Options.DropSyntax) is read through its
// outline.
func findSuppressions(d *lang.Design) []*parsedSuppression {
	names := make([]string, 0, len(d.Files))
	for n := range d.Files {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []*parsedSuppression
	for _, name := range names {
		f := d.Files[name]
		if f == nil {
			continue
		}
		if !bytes.Contains(f.Bytes, []byte(directivePrefix)) {
			continue // the common case: nothing to look at
		}
		var fs *fileSyntax
		if body, ok := f.Body.(*hclsyntax.Body); ok {
			fs = newFileSyntax(name, f.Bytes, body)
		} else if o, ok := f.Nav.(*lang.Outline); ok && f.Body == nil {
			fs = newOutlineSyntax(name, f.Bytes, o)
		} else {
			continue // JSON has no comments
		}
		out = append(out, suppressionsInFile(f.Bytes, fs)...)
	}
	return out
}

// segment is a stretch of a file that lexes on its own: a top-level block
// or attribute, or the gap (comments, blank lines) between two of them.
type segment struct {
	start, end hcl.Pos
	// prevEnd is the line where the code before a gap ends (0 at the top);
	// nextStart the line where the code after it starts (0 at the end).
	prevEnd, nextStart int
}

// segments cuts a file at its top-level items, so that only the parts
// holding a directive are lexed: HCL's lexer costs about as much as parsing
// the whole file again.
func (fs *fileSyntax) segments(size int) []segment {
	var segs []segment
	prev, prevEnd := hcl.InitialPos, 0
	for _, t := range fs.tops {
		r := t.rng
		segs = append(segs, segment{start: prev, end: r.Start, prevEnd: prevEnd, nextStart: r.Start.Line})
		segs = append(segs, segment{start: r.Start, end: r.End})
		prev, prevEnd = r.End, r.End.Line
	}
	return append(segs, segment{start: prev, end: hcl.Pos{Byte: size}, prevEnd: prevEnd})
}

func suppressionsInFile(src []byte, fs *fileSyntax) []*parsedSuppression {
	segs := fs.segments(len(src))
	var out []*parsedSuppression
	lexed := -1
	for off := 0; ; {
		i := bytes.Index(src[off:], []byte(directivePrefix))
		if i < 0 {
			break
		}
		at := off + i
		off = at + len(directivePrefix)
		k := sort.Search(len(segs), func(k int) bool { return segs[k].end.Byte > at })
		if k == len(segs) || k == lexed {
			continue
		}
		lexed = k
		out = append(out, suppressionsInSegment(src, fs, segs[k])...)
	}
	return out
}

func suppressionsInSegment(src []byte, fs *fileSyntax, seg segment) []*parsedSuppression {
	toks, _ := hclsyntax.LexConfig(src[seg.start.Byte:seg.end.Byte], fs.name, seg.start)
	var out []*parsedSuppression
	lastCodeLine := seg.prevEnd // line of the last token that was neither comment nor newline
	for i, tok := range toks {
		switch tok.Type {
		case hclsyntax.TokenNewline, hclsyntax.TokenEOF:
			continue
		case hclsyntax.TokenComment:
		default:
			lastCodeLine = tok.Range.Start.Line
			continue
		}
		text, rng, ok := directiveText(tok)
		if !ok {
			continue
		}
		ps := parseDirective(text, rng)
		out = append(out, ps)
		if ps.malformed {
			ps.subject = fs.fileSubject()
			continue
		}
		if ps.File {
			ps.subject = fs.fileSubject()
			if first := fs.firstByte(); first >= 0 && first < rng.Start.Byte {
				ps.problems = append(ps.problems, "archform:ignore-file must come before the first block of the file")
				ps.valid = false
			}
			ps.Target = fs.extent
			continue
		}
		var target syntaxItem
		found := false
		if lastCodeLine == rng.Start.Line {
			target, found = fs.itemStartingOn(rng.Start.Line) // at the end of an attribute's (or block header's) line
		} else if next := nextCodeLine(toks[i+1:], seg.nextStart); next > 0 {
			target, found = fs.itemStartingOn(next) // on the line above a block or attribute
		}
		if !found {
			ps.subject = fs.fileSubject()
			ps.problems = append(ps.problems, "archform:ignore must be on the line above a block or attribute, or at the end of an attribute's line")
			ps.valid = false
			continue
		}
		ps.Target = target.rng
		ps.subject = target.addr
	}
	return out
}

// nextCodeLine returns the line of the first token that is not a comment or
// newline, or after (the line where the code after the segment starts) when
// the segment has none.
func nextCodeLine(toks hclsyntax.Tokens, after int) int {
	for _, t := range toks {
		switch t.Type {
		case hclsyntax.TokenComment, hclsyntax.TokenNewline:
		case hclsyntax.TokenEOF:
			return after
		default:
			return t.Range.Start.Line
		}
	}
	return after
}

// directiveText returns the text after "archform:" of a line comment and the
// comment's range without its trailing newline.
func directiveText(tok hclsyntax.Token) (string, hcl.Range, bool) {
	raw := strings.TrimRight(string(tok.Bytes), "\r\n")
	var body string
	switch {
	case strings.HasPrefix(raw, "#"):
		body = raw[1:]
	case strings.HasPrefix(raw, "//"):
		body = raw[2:]
	default:
		return "", hcl.Range{}, false // block comments are not directives
	}
	body = strings.TrimSpace(body)
	if !strings.HasPrefix(body, directivePrefix) {
		return "", hcl.Range{}, false
	}
	rng := tok.Range
	rng.End = hcl.Pos{
		Line:   rng.Start.Line,
		Column: rng.Start.Column + utf8.RuneCountInString(raw),
		Byte:   rng.Start.Byte + len(raw),
	}
	return body[len(directivePrefix):], rng, true
}

// parseDirective reads "ignore RULE[,RULE] -- reason" or "ignore-file ...".
func parseDirective(text string, rng hcl.Range) *parsedSuppression {
	verb, rest, _ := strings.Cut(text, " ")
	ps := &parsedSuppression{Suppression: &Suppression{Range: rng}, valid: true}
	switch verb {
	case "ignore":
	case "ignore-file":
		ps.File = true
	default:
		ps.problems = append(ps.problems, fmt.Sprintf("unknown directive archform:%s: want archform:ignore or archform:ignore-file", verb))
		ps.valid, ps.malformed = false, true
		return ps
	}
	rules, reason, hasSep := strings.Cut(rest, reasonSep)
	ps.Reason = strings.TrimSpace(reason)
	for _, r := range strings.Split(rules, ",") {
		if r = strings.TrimSpace(r); r != "" {
			ps.Rules = append(ps.Rules, r)
		}
	}
	if len(ps.Rules) == 0 {
		ps.problems = append(ps.problems, fmt.Sprintf("archform:%s names no rule: write `# archform:%s RULE -- reason`", verb, verb))
		ps.valid, ps.malformed = false, true
		return ps
	}
	if !hasSep || ps.Reason == "" {
		ps.problems = append(ps.problems, fmt.Sprintf("archform:%s %s has no reason, so it silences nothing: write `-- why` after the rule", verb, strings.Join(ps.Rules, ",")))
		ps.valid = false
	}
	return ps
}

// covers reports whether rng lies inside the suppression's target.
func (s *Suppression) covers(rng hcl.Range) bool {
	if rng.Filename == "" || rng.Filename != s.Target.Filename {
		return false
	}
	if s.File {
		return true
	}
	return !posBefore(rng.Start, s.Target.Start) && !posBefore(s.Target.End, rng.End)
}

func posBefore(a, b hcl.Pos) bool {
	return a.Line < b.Line || (a.Line == b.Line && a.Column < b.Column)
}

// applySuppressions marks the report's findings that suppression comments
// cover, and appends the suppression rule's own findings (none saying that a
// suppression of a disabled or failed rule silences nothing). It returns the
// suppressions found.
func applySuppressions(d *lang.Design, rep *Report, cfg *Config, failed map[string]bool) []*Suppression {
	if d == nil {
		return nil
	}
	parsed := findSuppressions(d)
	known := map[string]bool{}
	for _, a := range rep.Suite {
		known[a.ID] = true
	}
	ran := map[string]bool{}
	for _, a := range rep.Suite {
		ran[a.ID] = a != SuppressionAnalyzer && cfg.Enabled(a.ID) && !failed[a.ID]
	}
	used := map[*Suppression]map[string]bool{}
	for i := range rep.Findings {
		f := &rep.Findings[i]
		for _, ps := range parsed {
			if !ps.valid || !ps.covers(f.Range) || !containsString(ps.Rules, f.Rule) {
				continue
			}
			if f.Suppressed == nil {
				f.Suppressed = ps.Suppression
			}
			ps.Used = true
			if used[ps.Suppression] == nil {
				used[ps.Suppression] = map[string]bool{}
			}
			used[ps.Suppression][f.Rule] = true
		}
	}
	var out []*Suppression
	var own []Finding
	var ids []string
	for _, a := range rep.Suite {
		ids = append(ids, a.ID)
	}
	for _, ps := range parsed {
		out = append(out, ps.Suppression)
		problems := ps.problems
		for _, r := range ps.Rules {
			switch {
			case !known[r]:
				problems = append(problems, fmt.Sprintf("archform:ignore names unknown rule %q, so it silences nothing.%s", r, didyoumean.Suffix(r, ids)))
			case ps.valid && ran[r] && !used[ps.Suppression][r]:
				where := "in its block or attribute"
				if ps.File {
					where = "in this file"
				}
				problems = append(problems, fmt.Sprintf("archform:ignore %s silences nothing: no %s finding lies %s", r, r, where))
			}
		}
		for _, p := range problems {
			own = append(own, Finding{
				Rule:     SuppressionAnalyzer.ID,
				Severity: cfg.Severity(SuppressionAnalyzer),
				Message:  p,
				Detail:   "Give every suppression a reason after ` -- `, name rules that exist ('archform rules' lists them), and delete suppressions that no longer silence anything.",
				Subject:  ps.subject,
				Range:    ps.Range,
			})
		}
	}
	if cfg.Enabled(SuppressionAnalyzer.ID) {
		rep.Findings = append(rep.Findings, own...)
	}
	return out
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
