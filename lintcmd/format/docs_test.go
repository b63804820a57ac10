package format

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/archform/archform/lang"
)

// TestDocsJSONExample: every line docs/lint.md shows of the shop's JSON
// report, but for the lines it leaves out ("..."), is a line of the report
// `archform lint testdata/shop --format json` writes.
func TestDocsJSONExample(t *testing.T) {
	t.Chdir("../..")
	doc, err := os.ReadFile("docs/lint.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)\\*\\*json\\*\\* prints.*?```json\n(.*?)```").FindSubmatch(doc)
	if m == nil {
		t.Fatal("docs/lint.md shows no example of the JSON format")
	}
	d, diags := lang.Load("testdata/shop", lang.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	lines := map[string]bool{}
	for line := range strings.Lines(lintJSON(t, d)) {
		lines[strings.TrimSuffix(strings.TrimSuffix(line, "\n"), ",")] = true
	}
	shown := 0
	for line := range strings.Lines(string(m[1])) {
		line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), ",")
		if strings.TrimSpace(line) == "..." {
			continue
		}
		shown++
		if !lines[line] {
			t.Errorf("docs/lint.md shows a line the shop's report does not have:\n%s", line)
		}
	}
	if shown < 10 {
		t.Errorf("docs/lint.md shows %d lines of the shop's report", shown)
	}
}
