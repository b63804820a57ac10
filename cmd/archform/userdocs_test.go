package main

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// userDocs lists the Markdown files users read: README.md, everything under
// docs/, and the rule docs (every .md outside docs/ and testdata/).
func userDocs(t *testing.T) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir("../..", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".") && path != "../..") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".md") {
			out = append(out, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 30 {
		t.Fatalf("found %d Markdown files, want at least 30", len(out))
	}
	return out
}

// fetchRE finds a go install of archform from a module proxy, which cannot
// work until the module is published.
var fetchRE = regexp.MustCompile(`go install [^ ]*archform[^ ]*@`)

// Engineers' notes outside the repository, which no user has.
var privateRE = regexp.MustCompile(`\.\./shared|LANGUAGE\.md|STYLE\.md|ORACLES`)

// TestNoPrivateReferences checks that nothing a user reads points at files
// outside the repository: the Markdown documentation and the string literals
// of every program's code (help texts, messages).
func TestNoPrivateReferences(t *testing.T) {
	for _, path := range userDocs(t) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			if m := privateRE.FindString(line); m != "" {
				t.Errorf("%s:%d mentions %s, which users do not have", path, i+1, m)
			}
		}
	}
	fset := token.NewFileSet()
	n := 0
	err := filepath.WalkDir("../..", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".") && path != "../..") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		n++
		ast.Inspect(f, func(node ast.Node) bool {
			lit, ok := node.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			if s, err := strconv.Unquote(lit.Value); err == nil {
				if m := privateRE.FindString(s); m != "" {
					t.Errorf("%s: a string mentions %s, which users do not have", fset.Position(lit.Pos()), m)
				}
				if m := fetchRE.FindString(s); m != "" {
					t.Errorf("%s: a string tells users to run %s..., but the module is not published", fset.Position(lit.Pos()), m)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 50 {
		t.Errorf("read %d Go files, want at least 50", n)
	}
}

var (
	linkRE    = regexp.MustCompile(`\]\(([^)\s]+)\)`)
	headingRE = regexp.MustCompile("(?m)^#{1,6} +(.+)$")
	fenceRE   = regexp.MustCompile("(?s)```.*?```")
)

// anchors returns the GitHub anchors of a Markdown file's headings.
func anchors(src string) map[string]bool {
	out := map[string]bool{}
	seen := map[string]int{}
	for _, m := range headingRE.FindAllStringSubmatch(fenceRE.ReplaceAllString(src, ""), -1) {
		var sb strings.Builder
		for _, r := range strings.ToLower(strings.TrimSpace(m[1])) {
			switch {
			case r == ' ':
				sb.WriteRune('-')
			case r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r > 127 && !strings.ContainsRune("→×÷≥≤—–…’“”", r):
				sb.WriteRune(r)
			}
		}
		a := sb.String()
		if k := seen[a]; k > 0 {
			out[a+"-"+strconv.Itoa(k)] = true
		} else {
			out[a] = true
		}
		seen[a]++
	}
	return out
}

// TestDocLinks checks every relative link of the user documentation: the
// file exists, and so does the heading an anchor names.
func TestDocLinks(t *testing.T) {
	for _, path := range userDocs(t) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		src := string(b)
		for _, m := range linkRE.FindAllStringSubmatch(fenceRE.ReplaceAllString(src, ""), -1) {
			link := m[1]
			if strings.Contains(link, "://") || strings.HasPrefix(link, "mailto:") {
				continue
			}
			file, anchor, _ := strings.Cut(link, "#")
			target := path
			if file != "" {
				target = filepath.Join(filepath.Dir(path), file)
			}
			tb, err := os.ReadFile(target)
			if err != nil {
				if fi, serr := os.Stat(target); serr == nil && fi.IsDir() && anchor == "" {
					continue
				}
				t.Errorf("%s: link %s: %v", path, link, err)
				continue
			}
			if anchor != "" && !anchors(string(tb))[anchor] {
				t.Errorf("%s: link %s: %s has no heading with that anchor", path, link, target)
			}
		}
	}
}

// TestDocOutputs runs each command the README and docs/*.md show with its
// output (a ```text block whose first line is "$ go run ./cmd/archform ARGS"
// or "$ archform ARGS") from the repository's root, and checks that the
// lines shown ("..." stands for lines left out) are what it prints, in
// order. The README must show one.
func TestDocOutputs(t *testing.T) {
	pages, _ := filepath.Glob("../../docs/*.md")
	pages = append([]string{"../../README.md"}, pages...)
	var blocks [][][]byte
	readmeBlocks := 0
	for _, page := range pages {
		src, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		found := regexp.MustCompile("(?s)```text\n(\\$ .*?)```").FindAllSubmatch(src, -1)
		if page == "../../README.md" {
			readmeBlocks = len(found)
		}
		blocks = append(blocks, found...)
	}
	if readmeBlocks == 0 {
		t.Error("README shows no command's output")
	}
	t.Chdir("../..")
	for _, b := range blocks {
		lines := strings.Split(strings.TrimSuffix(string(b[1]), "\n"), "\n")
		cmdline, ok := strings.CutPrefix(lines[0], "$ ")
		if !ok {
			continue
		}
		args := strings.Fields(cmdline)
		switch {
		case len(args) > 3 && args[0] == "go" && args[1] == "run" && args[2] == "./cmd/archform":
			args = args[3:]
		case len(args) > 1 && args[0] == "archform":
			args = args[1:]
		default:
			t.Errorf("the docs show the output of %q, which this test cannot run", cmdline)
			continue
		}
		var stdout, stderr bytes.Buffer
		run(args, &stdout, &stderr)
		out := strings.Split(stdout.String()+stderr.String(), "\n")
		i := 0
		for _, want := range lines[1:] {
			if want == "..." {
				continue
			}
			for i < len(out) && out[i] != want {
				i++
			}
			if i == len(out) {
				t.Errorf("the docs show %s printing (in this order)\n\t%s\nbut it prints:\n%s", cmdline, want, stdout.String())
				break
			}
			i++
		}
	}
}

// TestDocsCommands checks that docs/cli.md's command table names every
// command archform has.
func TestDocsCommands(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"help"}, &stdout, &stderr); code != 0 {
		t.Fatalf("archform help exits %d: %s", code, stderr.String())
	}
	_, list, ok := strings.Cut(stdout.String(), "Available Commands:\n")
	if !ok {
		t.Fatalf("archform help lists no commands:\n%s", stdout.String())
	}
	list, _, _ = strings.Cut(list, "\n\n")
	doc, err := os.ReadFile("../../docs/cli.md")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(list, "\n") {
		name := strings.Fields(line)[0]
		if name == "help" || name == "completion" {
			continue
		}
		n++
		if !bytes.Contains(doc, []byte("`archform "+name)) {
			t.Errorf("docs/cli.md does not document the command %s", name)
		}
	}
	if n < 10 {
		t.Errorf("archform help lists %d commands, want at least 10", n)
	}
}

// TestDocsIndex checks that every page under docs/ can be reached from
// docs/README.md by following links.
func TestDocsIndex(t *testing.T) {
	pages, _ := filepath.Glob("../../docs/*.md")
	if len(pages) < 10 {
		t.Fatalf("docs/ has %d pages, want at least 10", len(pages))
	}
	reached := map[string]bool{"README.md": true}
	queue := []string{"README.md"}
	for len(queue) > 0 {
		page := queue[0]
		queue = queue[1:]
		src, err := os.ReadFile(filepath.Join("../../docs", page))
		if err != nil {
			continue
		}
		for _, m := range linkRE.FindAllStringSubmatch(string(src), -1) {
			file, _, _ := strings.Cut(m[1], "#")
			if strings.Contains(file, "/") || !strings.HasSuffix(file, ".md") || reached[file] {
				continue
			}
			reached[file] = true
			queue = append(queue, file)
		}
	}
	for _, p := range pages {
		if name := filepath.Base(p); !reached[name] {
			t.Errorf("docs/%s is linked from no page reachable from docs/README.md", name)
		}
	}
}

// TestNoFetchFromProxy checks that no page tells users to install with
// go install ...@VERSION: the module path is not published yet.
func TestNoFetchFromProxy(t *testing.T) {
	for _, path := range userDocs(t) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if m := fetchRE.Find(b); m != nil {
			t.Errorf("%s tells users to run %s..., but the module is not published", path, m)
		}
	}
}
