package analyze

import (
	"flag"
	"os"
	"regexp"
	"strings"
	"testing"
)

var updateDocs = flag.Bool("updatedocs", false, "rewrite the engine table in docs/consistency.md")

// TestEngineTable: every row has an ID, engines, a configuration, a reason
// and a source that names a manual, a paper or a Jepsen analysis; IDs are
// unique; every ID the code names is a row, and every row is named by the
// code (a row nothing selects is a claim nothing checks).
func TestEngineTable(t *testing.T) {
	ids := map[RowID]bool{}
	source := regexp.MustCompile(`(?i)manual|documentation|guide|jepsen|kleppmann|bailis|shapiro|decandia|nishtala|terry|rfc \d+|whitepaper|reference|programmer's guide`)
	for _, r := range EngineTable {
		if r.ID == "" || r.Engines == "" || r.Config == "" || r.Why == "" {
			t.Errorf("row %+v lacks an ID, engines, configuration or reason", r)
		}
		if ids[r.ID] {
			t.Errorf("row %s appears twice", r.ID)
		}
		ids[r.ID] = true
		if !source.MatchString(r.Source) {
			t.Errorf("row %s: source %q names no manual section, paper or Jepsen analysis", r.ID, r.Source)
		}
	}
	// The code names rows by constants: read them from the source.
	named := map[RowID]bool{}
	constRe := regexp.MustCompile(`(?m)^\s+(Row\w+)\s+RowID = "([^"]+)"`)
	useRe := regexp.MustCompile(`\bRow[A-Z]\w*\b`)
	var code strings.Builder
	for _, f := range []string{"consistency_table.go", "consistency_guarantees.go", "consistency.go", "consistency_durability.go"} {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		code.WriteString(string(b))
	}
	byName := map[string]RowID{}
	for _, m := range constRe.FindAllStringSubmatch(code.String(), -1) {
		byName[m[1]] = RowID(m[2])
		if !ids[RowID(m[2])] {
			t.Errorf("the code names row %q (%s), which the table lacks", m[2], m[1])
		}
	}
	// Uses outside the constant block and the table itself.
	src := code.String()
	src = src[strings.Index(src, "var EngineTable"):]
	_, src, _ = strings.Cut(src, "\n}\n")
	for _, u := range useRe.FindAllString(src, -1) {
		if id, ok := byName[u]; ok {
			named[id] = true
		}
	}
	for _, r := range EngineTable {
		if !named[r.ID] {
			t.Errorf("row %s is selected by no code", r.ID)
		}
	}
}

// TestEngineTableDoc keeps docs/consistency.md's engine table generated from
// EngineTable; go test ./analyze -run TestEngineTableDoc -updatedocs
// rewrites it.
func TestEngineTableDoc(t *testing.T) {
	const path = "../docs/consistency.md"
	const begin, end = "<!-- engine table: generated from analyze.EngineTable -->\n", "<!-- end of engine table -->\n"
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	i, j := strings.Index(doc, begin), strings.Index(doc, end)
	if i < 0 || j < i {
		t.Fatalf("%s has no engine table markers", path)
	}
	want := doc[:i+len(begin)] + EngineTableMarkdown() + doc[j:]
	if want == doc {
		return
	}
	if *updateDocs {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("docs/consistency.md's engine table is out of date: run go test ./analyze -run TestEngineTableDoc -updatedocs")
}
