package main

import (
	"bytes"
	"fmt"
	"github.com/archform/archform/drift"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/cmd/internal/cli"
	"github.com/archform/archform/lang"
)

// The documentation under docs/ is generated where it can be: each rule's
// page from its Analyzer and doc file, the rule index, and the attribute
// tables of the language reference from lang's catalogue. These tests fail
// when a generated part is stale; go test ./cmd/archform -run TestDocs
// -update rewrites them.

const docsDir = "../../docs"

// writeOrCompare checks that the file at path holds want, or with -update
// writes it.
func writeOrCompare(t *testing.T, path string, want []byte) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err == nil && bytes.Equal(got, want) {
		return
	}
	if *updateScripts {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	rel, _ := filepath.Rel("../..", path)
	t.Errorf("%s is out of date: run go test ./cmd/archform -run TestDocs -update and review the diff", rel)
}

// TestDocsRulePages generates docs/rules/ID.md for every rule from its
// Analyzer (ID, summary, default severity, parameters) and its doc, the text
// `archform explain` prints, and fails on a page no rule has.
func TestDocsRulePages(t *testing.T) {
	sources := ruleDocSources(t)
	want := map[string]bool{"README.md": true}
	for _, a := range cli.KnownRules() {
		name := a.ID + ".md"
		want[name] = true
		src, ok := sources[strings.TrimSpace(a.Doc)]
		if !ok {
			t.Errorf("rule %s: no .md file in the repository holds its doc", a.ID)
			continue
		}
		// A doc may say how a rule's severity varies; it must then name
		// the default severity, which lives in the Analyzer.
		if _, sev, ok := strings.Cut(a.Doc, "**Severity:**"); ok && !strings.Contains(strings.SplitN(sev, "\n\n", 2)[0], a.Severity.String()) {
			t.Errorf("%s: its Severity line does not name the default severity, %s", src, a.Severity)
		}
		writeOrCompare(t, filepath.Join(docsDir, "rules", name), []byte(rulePage(a, src)))
		var out, errOut bytes.Buffer
		if code := run([]string{"explain", a.ID}, &out, &errOut); code != 0 || !strings.Contains(out.String(), strings.TrimSpace(a.Doc)) {
			t.Errorf("archform explain %s (exit %d) does not print the rule's doc, the text of its page:\n%s%s", a.ID, code, out.String(), errOut.String())
		}
	}
	entries, err := os.ReadDir(filepath.Join(docsDir, "rules"))
	if err != nil && !*updateScripts {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !want[e.Name()] {
			t.Errorf("docs/rules/%s is the page of no rule: remove it", e.Name())
		}
	}
}

// rulePage is the page of rule a, whose doc is the file src.
func rulePage(a *analyze.Analyzer, src string) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "<!-- Generated from the %s rule's Analyzer and %s by go test ./cmd/archform -run TestDocs -update: edit those, not this page. -->\n\n", a.ID, src)
	doc := strings.TrimSpace(a.Doc)
	title, body, _ := strings.Cut(doc, "\n")
	sb.WriteString(title + "\n\n")
	sb.WriteString("| | |\n|---|---|\n")
	fmt.Fprintf(&sb, "| ID | `%s` |\n", a.ID)
	fmt.Fprintf(&sb, "| Summary | %s |\n", mdCell(a.Summary))
	fmt.Fprintf(&sb, "| Default severity | %s |\n", a.Severity)
	for _, p := range a.Params {
		fmt.Fprintf(&sb, "| Parameter `%s` | %s (default %g) |\n", p.Name, mdCell(p.Doc), p.Default)
	}
	fmt.Fprintf(&sb, "| Source | [%s](../../%s) |\n", src, src)
	fmt.Fprintf(&sb, "\n`archform explain %s` prints this page's text.", a.ID)
	if len(a.Params) > 0 {
		fmt.Fprintf(&sb, " Parameters are set in `.archform.hcl`: `rule \"%s\" { NAME = VALUE }` (see [lint](../lint.md#configuration-archformhcl)).", a.ID)
	}
	sb.WriteString("\n")
	if body = strings.TrimSpace(body); body != "" {
		sb.WriteString("\n" + body + "\n")
	}
	return sb.String()
}

func mdCell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// ruleDocSources maps the trimmed text of every Markdown file of the
// repository outside docs/ and testdata/ to its repository-relative path.
func ruleDocSources(t *testing.T) map[string]string {
	out := map[string]string{}
	err := filepath.WalkDir("../..", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("../..", path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".") && rel != "." || rel == "docs") {
			return filepath.SkipDir
		}
		if strings.HasSuffix(path, ".md") && rel != "README.md" {
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			out[strings.TrimSpace(string(b))] = rel
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestDocsRuleIndex keeps the table of docs/rules/README.md equal to the
// suite.
func TestDocsRuleIndex(t *testing.T) {
	var table strings.Builder
	table.WriteString("| rule | default severity | what it reports |\n|---|---|---|\n")
	for _, a := range cli.KnownRules() {
		fmt.Fprintf(&table, "| [`%s`](%s.md) | %s | %s |\n", a.ID, a.ID, a.Severity, mdCell(a.Summary))
	}
	regenerate(t, filepath.Join(docsDir, "rules", "README.md"), func(name string) (string, error) {
		if name != "rules" {
			return "", fmt.Errorf("unknown generated section %q", name)
		}
		return table.String(), nil
	})
}

// Generated sections of hand-written pages sit between these markers.
var generatedRE = regexp.MustCompile(`(?s)<!-- generated: ([^>]*?) -->\n.*?<!-- end generated -->`)

// regenerate rewrites every generated section of the page at path with
// gen(name) and compares (or with -update writes) the result.
func regenerate(t *testing.T, path string, gen func(name string) (string, error)) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	out := generatedRE.ReplaceAllFunc(src, func(m []byte) []byte {
		n++
		name := string(generatedRE.FindSubmatch(m)[1])
		body, err := gen(name)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			return m
		}
		return []byte("<!-- generated: " + name + " -->\n" + body + "<!-- end generated -->")
	})
	if n == 0 {
		t.Errorf("%s has no generated section", path)
	}
	writeOrCompare(t, path, out)
}

// TestDocsLanguage regenerates the attribute tables of docs/language.md from
// lang's catalogue, and checks that every block of the catalogue has its
// table there.
func TestDocsLanguage(t *testing.T) {
	shown := map[string]bool{}
	regenerate(t, filepath.Join(docsDir, "language.md"), func(name string) (string, error) {
		shown[name] = true
		return catalogueSection(name)
	})
	var missing []string
	var walk func(path string, b *lang.Block)
	walk = func(path string, b *lang.Block) {
		for _, nb := range b.Blocks {
			var p string
			switch {
			case nb.Kind != "":
				p = "kind " + nb.Type
			case isSharedBlock(nb):
				p = "block " + nb.Type
			case path == "":
				p = nb.Type
			default:
				p = path + "." + nb.Type
			}
			if !shown[p] && !nb.AnyAttributes {
				missing = append(missing, p)
			}
			walk(strings.TrimPrefix(strings.TrimPrefix(p, "kind "), "block "), nb)
		}
	}
	walk("", lang.Catalogue())
	for _, s := range []string{"common", "deployable", "types", "kinds"} {
		if !shown[s] {
			missing = append(missing, s)
		}
	}
	slices.Sort(missing)
	missing = slices.Compact(missing)
	if len(missing) > 0 {
		t.Errorf("docs/language.md has no generated section for %s", strings.Join(missing, ", "))
	}
}

// isSharedBlock reports a block nested in components (call, consume,
// health_check, ...) or in more than one place (slo): its section is named
// "block TYPE".
func isSharedBlock(b *lang.Block) bool {
	for _, k := range lang.Kinds {
		if lang.ComponentBlock(k).Block(b.Type) == b {
			return true
		}
	}
	return b.Type == "slo"
}

// catalogueSection is the generated Markdown of one section of the language
// reference: "types", "kinds", "common", "deployable", "kind KIND",
// "block TYPE" (a block nested in components, or slo) or a top-level block's
// path ("system", "system.defaults", "flow", ...).
func catalogueSection(name string) (string, error) {
	root := lang.Catalogue()
	switch {
	case name == "types":
		var sb strings.Builder
		sb.WriteString("| type | meaning |\n|---|---|\n")
		for _, ty := range lang.Types {
			fmt.Fprintf(&sb, "| %s | %s |\n", ty, mdCell(ty.Doc()))
		}
		return sb.String(), nil
	case name == "kinds":
		var sb strings.Builder
		sb.WriteString("| kind | deployed | nested blocks | what it is |\n|---|---|---|---|\n")
		for _, k := range lang.Kinds {
			b := lang.ComponentBlock(k)
			var blocks []string
			for _, nb := range b.Blocks {
				blocks = append(blocks, fmt.Sprintf("[`%s`](#%s)", nb.Type, nb.Type))
			}
			deployed := "no"
			if k.Deployable() {
				deployed = "yes"
			}
			fmt.Fprintf(&sb, "| [`%s`](#%s) | %s | %s | %s |\n", k, k, deployed, strings.Join(blocks, ", "), mdCell(b.Doc))
		}
		return sb.String(), nil
	case name == "common":
		return attributeTable(lang.CommonAttributes), nil
	case name == "deployable":
		return attributeTable(lang.DeployableAttributes), nil
	case strings.HasPrefix(name, "kind "):
		b := lang.ComponentBlock(lang.Kind(strings.TrimPrefix(name, "kind ")))
		if b == nil {
			return "", fmt.Errorf("no kind in %q", name)
		}
		var own []*lang.Attribute
		for _, a := range b.Attributes {
			if !slices.Contains(lang.CommonAttributes, a) && !slices.Contains(lang.DeployableAttributes, a) {
				own = append(own, a)
			}
		}
		var sb strings.Builder
		sb.WriteString(b.Doc + "\n\n")
		if len(own) > 0 {
			sb.WriteString(attributeTable(own))
		} else {
			sb.WriteString("It takes only the attributes every component takes.\n")
		}
		return sb.String(), nil
	case strings.HasPrefix(name, "block "):
		typ := strings.TrimPrefix(name, "block ")
		var b *lang.Block
		var takers []string
		for _, k := range lang.Kinds {
			if nb := lang.ComponentBlock(k).Block(typ); nb != nil {
				b = nb
				takers = append(takers, "`"+string(k)+"`")
			}
		}
		if typ == "slo" {
			b = root.Block("system").Block("slo")
			takers = []string{"`system`", "`flow`"}
		}
		if b == nil {
			return "", fmt.Errorf("no nested block in %q", name)
		}
		var sb strings.Builder
		sb.WriteString(b.Doc + " ")
		if b.Repeated {
			sb.WriteString("It may appear more than once ")
		} else {
			sb.WriteString("At most one ")
		}
		where := joinWords(takers)
		if len(takers) == len(lang.Kinds) {
			where = "every component"
		}
		fmt.Fprintf(&sb, "in %s.\n\n", where)
		sb.WriteString(attributeTable(b.Attributes))
		return sb.String(), nil
	}
	b := root
	for _, typ := range strings.Split(name, ".") {
		if b = b.Block(typ); b == nil {
			return "", fmt.Errorf("no block %q in the catalogue", name)
		}
	}
	var sb strings.Builder
	sb.WriteString(b.Doc + "\n\n")
	if len(b.Labels) > 0 {
		fmt.Fprintf(&sb, "Labels: %s.\n\n", strings.Join(b.Labels, ", "))
	}
	sb.WriteString(attributeTable(b.Attributes))
	return sb.String(), nil
}

func joinWords(xs []string) string {
	if len(xs) <= 1 {
		return strings.Join(xs, "")
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

func attributeTable(attrs []*lang.Attribute) string {
	var sb strings.Builder
	sb.WriteString("| attribute | type | default | meaning |\n|---|---|---|---|\n")
	for _, a := range attrs {
		def := a.Default
		if a.Required {
			def = "required"
		}
		fmt.Fprintf(&sb, "| `%s` | %s | %s | %s |\n", a.Name, mdCell(typeCell(a)), mdCell(def), mdCell(a.Doc))
	}
	return sb.String()
}

// typeCell is an attribute's type, allowed values and bounds.
func typeCell(a *lang.Attribute) string {
	if a.Values != nil {
		vals := make([]string, len(a.Values))
		for i, v := range a.Values {
			vals[i] = "`" + v + "`"
		}
		s := strings.Join(vals, " | ")
		if a.OpenValues {
			s += " | other"
		}
		return s
	}
	s := string(a.Type)
	var bounds []string
	if a.Min != nil {
		op := "≥"
		if a.MinExclusive {
			op = ">"
		}
		bounds = append(bounds, fmt.Sprintf("%s %g", op, *a.Min))
	}
	if a.Max != nil && *a.Max < lang.MaxNumber {
		bounds = append(bounds, fmt.Sprintf("≤ %g", *a.Max))
	}
	if len(bounds) > 0 {
		if a.Type == lang.TypeNumberList || a.Type == lang.TypeStringList {
			s += ", each"
		}
		s += " " + strings.Join(bounds, ", ")
	}
	if a.Unit != "" {
		s += " (" + a.Unit + ")"
	}
	return s
}

// messageBlockRE finds the ```message blocks of a rule's doc: each line is a
// finding message the rule must produce, word for word, on a design of the
// repository.
var messageBlockRE = regexp.MustCompile("(?s)```message\n(.*?)```")

// TestDocsExampleMessages checks that every example message a rule's doc
// shows (in a ```message block) is one the rule reports on one of the
// repository's designs (testdata/ and the rules' testdata/), so that a doc
// never shows a message archform does not print.
func TestDocsExampleMessages(t *testing.T) {
	produced := producedMessages(t)
	if os.Getenv("ARCHFORM_DUMP_MESSAGES") != "" {
		for _, a := range cli.KnownRules() {
			for _, m := range slices.Sorted(maps.Keys(produced[a.ID])) {
				fmt.Printf("%s\t%s\n", a.ID, m)
			}
		}
	}
	shown := 0
	for _, a := range cli.KnownRules() {
		if slices.Contains(drift.Rules, a) {
			continue // drift's TestDocExamples produces these, from edited manifests
		}
		for _, m := range messageBlockRE.FindAllStringSubmatch(a.Doc, -1) {
			for _, line := range strings.Split(strings.TrimSpace(m[1]), "\n") {
				shown++
				if !produced[a.ID][line] {
					t.Errorf("rule %s: its doc shows the message\n\t%s\nwhich no design of the repository produces", a.ID, line)
				}
			}
		}
	}
	if shown == 0 {
		t.Error("no rule doc shows an example message")
	}
}

// producedMessages runs the whole suite on every design of testdata/ and of
// the rules' testdata/ directories and returns the messages by rule.
func producedMessages(t *testing.T) map[string]map[string]bool {
	var paths []string
	for _, pattern := range []string{"../../testdata/*", "../../rules/*/testdata/*", "../../rules/*/testdata/*/*"} {
		matches, _ := filepath.Glob(pattern)
		for _, m := range matches {
			if fi, err := os.Stat(m); err == nil && (fi.IsDir() || lang.IsDesignFile(m)) {
				paths = append(paths, m)
			}
		}
	}
	if len(paths) < 40 {
		t.Fatalf("found %d designs, want at least 40", len(paths))
	}
	out := map[string]map[string]bool{}
	for _, path := range paths {
		d, diags := lang.Load(path, lang.Options{})
		if diags.HasErrors() {
			continue // a directory of several designs, or an invalid one on purpose
		}
		var suite []*analyze.Analyzer
		for _, a := range cli.KnownRules() {
			if a.Run != nil { // emit's rules report from emit, not from lint
				suite = append(suite, a)
			}
		}
		rep, err := analyze.Run(d, suite, nil)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, f := range analyze.Ungroup(rep.Findings) {
			if out[f.Rule] == nil {
				out[f.Rule] = map[string]bool{}
			}
			out[f.Rule][f.Message] = true
		}
	}
	return out
}

// TestDocsPackages keeps the package table of docs/development.md equal to
// the packages and their package comments (go list).
func TestDocsPackages(t *testing.T) {
	cmd := exec.Command("go", "list", "-f", "{{.ImportPath}}\t{{.Doc}}", "./...")
	cmd.Dir = "../.."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var table strings.Builder
	table.WriteString("| package | what it holds |\n|---|---|\n")
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		path, doc, _ := strings.Cut(line, "\t")
		path = strings.TrimPrefix(path, "github.com/archform/archform/")
		if doc == "" {
			doc = "(no package comment yet)"
		}
		fmt.Fprintf(&table, "| `%s` | %s |\n", path, mdCell(doc))
	}
	regenerate(t, filepath.Join(docsDir, "development.md"), func(name string) (string, error) {
		if name != "packages" {
			return "", fmt.Errorf("unknown generated section %q", name)
		}
		return table.String(), nil
	})
}

// TestDocsCauses regenerates the table of root causes in docs/lint.md from
// the engine's grouping table (analyze.CauseKinds, analyze.FoldedRules).
func TestDocsCauses(t *testing.T) {
	var table strings.Builder
	table.WriteString("| cause | what its findings have in common | rules, first shown first | summary class |\n|---|---|---|---|\n")
	for _, k := range analyze.CauseKinds {
		var rules []string
		for _, r := range k.Rules {
			rules = append(rules, fmt.Sprintf("[`%s`](rules/%s.md)", r, r))
		}
		fmt.Fprintf(&table, "| `%s` | %s | %s | [`%s`](rules/%s.md) |\n", k.Name, mdCell(k.Doc), strings.Join(rules, ", "), k.Class, k.Class)
	}
	var folded []string
	for _, r := range analyze.FoldedRules {
		folded = append(folded, fmt.Sprintf("[`%s`](rules/%s.md)", r, r))
	}
	fmt.Fprintf(&table, "\nFolded rules: %s.\n", strings.Join(folded, ", "))
	regenerate(t, filepath.Join(docsDir, "lint.md"), func(name string) (string, error) {
		if name != "causes" {
			return "", fmt.Errorf("unknown generated section %q", name)
		}
		return table.String(), nil
	})
}
