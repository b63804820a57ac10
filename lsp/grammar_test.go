package lsp

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/archform/archform/lang"
)

var grammarPath = filepath.Join("..", "editors", "vscode", "syntaxes", "archform.tmLanguage.json")

type grammarRule struct {
	Match string `json:"match"`
}

func loadGrammar(t *testing.T) map[string]grammarRule {
	t.Helper()
	var g struct {
		ScopeName  string                 `json:"scopeName"`
		Repository map[string]grammarRule `json:"repository"`
	}
	b, err := os.ReadFile(grammarPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatalf("%s: %v", grammarPath, err)
	}
	if g.ScopeName != "source.archform" {
		t.Errorf("scopeName %q", g.ScopeName)
	}
	return g.Repository
}

// alternation returns the words of the first (a|b|c) group of a pattern.
func alternation(t *testing.T, pattern string) []string {
	t.Helper()
	m := regexp.MustCompile(`\(((?:[a-z_]+\|)+[a-z_]+)\)`).FindStringSubmatch(pattern)
	if m == nil {
		t.Fatalf("no alternation in %q", pattern)
	}
	words := strings.Split(m[1], "|")
	slices.Sort(words)
	return words
}

// TestGrammarCatalogue: the grammar's component kinds are lang.Kinds, and
// its other block types are the catalogue's.
func TestGrammarCatalogue(t *testing.T) {
	repo := loadGrammar(t)
	var kinds []string
	for _, k := range lang.Kinds {
		kinds = append(kinds, string(k))
	}
	slices.Sort(kinds)
	if got := alternation(t, repo["component_block"].Match); !slices.Equal(got, kinds) {
		t.Errorf("grammar kinds %q, want %q", got, kinds)
	}
	seen := map[string]bool{}
	var walk func(b *lang.Block)
	walk = func(b *lang.Block) {
		for _, nb := range b.Blocks {
			if nb.Kind == "" {
				seen[nb.Type] = true
			}
			walk(nb)
		}
	}
	walk(lang.Catalogue())
	var blocks []string
	for b := range seen {
		blocks = append(blocks, b)
	}
	slices.Sort(blocks)
	if got := alternation(t, repo["block"].Match); !slices.Equal(got, blocks) {
		t.Errorf("grammar block types %q, want %q", got, blocks)
	}
}

type token struct {
	Line   int      `json:"line"`
	Text   string   `json:"text"`
	Scopes []string `json:"scopes"`
}

// TestGrammarTokens tokenizes a design with VS Code's own TextMate engine
// (vscode-textmate and vscode-oniguruma, from npm: ARCHFORM_TEXTMATE_MODULES
// names their node_modules, as .ci/run installs them) and checks the scopes
// of block types, component kinds and names, attributes, references, units
// and suppression comments.
func TestGrammarTokens(t *testing.T) {
	modules := os.Getenv("ARCHFORM_TEXTMATE_MODULES")
	if modules == "" {
		modules = filepath.Join("..", "editors", "vscode", "test", "node_modules")
	}
	node, err := exec.LookPath("node")
	_, statErr := os.Stat(filepath.Join(modules, "vscode-textmate"))
	if err != nil || statErr != nil {
		msg := "node or vscode-textmate not found: install them with npm install --prefix editors/vscode/test (or set ARCHFORM_TEXTMATE_MODULES)"
		if os.Getenv("ARCHFORM_REQUIRE_TOOLS") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	src := `# archform:ignore spof -- the demo has one instance
system "shop" {
  slo {
    latency_p99 = "200ms"
  }
}

service "api" {
  replicas     = 3
  zones        = local.zones
  memory_limit = "256Mi"
  call {
    to      = database.orders
    timeout = "1h30m"
    op      = "write"
  }
}
`
	file := filepath.Join(t.TempDir(), "x.arch.hcl")
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(filepath.Join("..", "editors", "vscode", "test", "tokenize.js"))
	cmd := exec.Command(node, abs, file)
	cmd.Env = append(os.Environ(), "NODE_PATH="+modules)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tokenize.js: %v", err)
	}
	var toks []token
	if err := json.Unmarshal(out, &toks); err != nil {
		t.Fatal(err)
	}
	want := []struct {
		line  int
		text  string
		scope string
	}{
		{0, "archform:ignore", "keyword.other.directive.archform"},
		{0, "spof", "entity.name.tag.rule.archform"},
		{1, "system", "keyword.other.block.archform"},
		{1, "shop", "entity.name.section.archform"},
		{2, "slo", "keyword.other.block.archform"},
		{3, "latency_p99", "variable.other.property.archform"},
		{3, "200", "constant.numeric.duration.archform"},
		{3, "ms", "keyword.other.unit.duration.archform"},
		{7, "service", "storage.type.component.archform"},
		{7, "api", "entity.name.type.component.archform"},
		{8, "3", "constant.numeric.archform"},
		{9, "local", "variable.language.archform"},
		{10, "Mi", "keyword.other.unit.size.archform"},
		{11, "call", "keyword.other.block.archform"},
		{12, "database", "support.class.component.archform"},
		{12, "orders", "variable.other.reference.archform"},
		{13, "h", "keyword.other.unit.duration.archform"},
		{14, "write", "string.quoted.double.archform"},
	}
	for _, w := range want {
		found := false
		for _, tok := range toks {
			if tok.Line == w.line && tok.Text == w.text {
				found = true
				if !slices.Contains(tok.Scopes, w.scope) {
					t.Errorf("line %d %q: scopes %q, want %s", w.line, w.text, tok.Scopes, w.scope)
				}
			}
		}
		if !found {
			t.Errorf("line %d: no token %q", w.line, w.text)
		}
	}
}
