package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/archform/archform/cmd/internal/cli"
)

const (
	rulesBegin = "<!-- rules:begin (generated from the rules' docs by go test ./cmd/archform -run TestReadmeRules -update) -->"
	rulesEnd   = "<!-- rules:end -->"
)

// TestReadmeRules keeps the README's rule table equal to the rules
// themselves: every rule's ID, default severity, summary and the doc file
// `archform explain` prints. Run with -update to rewrite it.
func TestReadmeRules(t *testing.T) {
	const readme = "../../README.md"
	src, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	begin := bytes.Index(src, []byte(rulesBegin))
	end := bytes.Index(src, []byte(rulesEnd))
	if begin < 0 || end < begin {
		t.Fatalf("README.md has no %q ... %q section", rulesBegin, rulesEnd)
	}
	docs := docFiles(t)
	var table strings.Builder
	table.WriteString("\n| rule | default severity | what it reports | doc |\n|---|---|---|---|\n")
	for _, a := range cli.KnownRules() {
		doc, ok := docs[strings.TrimSpace(a.Doc)]
		if !ok {
			t.Errorf("rule %s: no .md file in the repository holds its doc", a.ID)
		}
		fmt.Fprintf(&table, "| `%s` | %s | %s | [%s](%s) |\n", a.ID, a.Severity, a.Summary, filepath.Base(doc), doc)
	}
	want := append(append(append([]byte{}, src[:begin+len(rulesBegin)]...), table.String()...), src[end:]...)
	if bytes.Equal(src, want) {
		return
	}
	if *updateScripts {
		if err := os.WriteFile(readme, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md's rule table is out of date: run go test ./cmd/archform -run TestReadmeRules -update")
}

// docFiles maps the trimmed text of every Markdown file under rules/, emit/
// and analyze/ to its repository-relative path.
func docFiles(t *testing.T) map[string]string {
	out := map[string]string{}
	for _, dir := range []string{"rules", "emit", "analyze"} {
		root := filepath.Join("../..", dir)
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && d.Name() == "testdata" {
				return filepath.SkipDir
			}
			if strings.HasSuffix(path, ".md") {
				b, err := os.ReadFile(path)
				if err != nil {
					return err
				}
				rel, _ := filepath.Rel("../..", path)
				out[strings.TrimSpace(string(b))] = filepath.ToSlash(rel)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}
