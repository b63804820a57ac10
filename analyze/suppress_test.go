package analyze

import (
	"reflect"
	"testing"

	"github.com/archform/archform/lang"
	"github.com/archform/archform/lang/designgen"
	"github.com/hashicorp/hcl/v2"
)

func TestSuppressions(t *testing.T) {
	d := loadTestDesign(t, "suppress.arch.hcl")
	rep, err := Run(d, []*Analyzer{singleReplica, describe}, nil)
	if err != nil {
		t.Fatal(err)
	}
	const f = "testdata/engine/suppress.arch.hcl"
	checkLines(t, findingLines(rep.Findings), []string{
		f + ":4:3 error single-replica replicas = 1 < min_replicas = 2 [suppressed: the api is rebuilt in Q3 (PLAT-12)]",
		f + ":9:3 error single-replica replicas = 1 < min_replicas = 2 [suppressed: batch jobs tolerate restarts]",
		f + ":15:3 error single-replica replicas = 1 < min_replicas = 2 [suppressed: runs once a day]",
		f + ":18:1 warning suppression archform:ignore single-replica has no reason, so it silences nothing: write `-- why` after the rule",
		f + ":21:3 error single-replica replicas = 1 < min_replicas = 2",
		f + ":24:1 warning suppression archform:ignore names unknown rule \"single-replic\", so it silences nothing. Did you mean \"single-replica\"?",
		f + ":27:3 error single-replica replicas = 1 < min_replicas = 2",
		f + ":30:1 warning suppression archform:ignore single-replica silences nothing: no single-replica finding lies in its block or attribute",
		f + ":37:1 warning suppression archform:ignore describe silences nothing: no describe finding lies in its block or attribute",
		f + ":40:3 error single-replica replicas = 1 < min_replicas = 2 [suppressed: two rules, one silences nothing]",
		f + ":45:3 error single-replica replicas = 1 < min_replicas = 2",
		f + ":46:3 warning suppression archform:ignore must be on the line above a block or attribute, or at the end of an attribute's line",
		f + ":50:1 info describe service.nodesc has no description [suppressed: covers the block, and the finding is in it]",
		f + ":54:1 warning suppression archform:ignore-file must come before the first block of the file",
		f + ":55:1 warning suppression unknown directive archform:ignoer: want archform:ignore or archform:ignore-file",
		f + ":56:1 warning suppression archform:ignore names no rule: write `# archform:ignore RULE -- reason`",
	})
	if len(rep.Suppressions) != 12 {
		t.Errorf("%d suppressions, want 12", len(rep.Suppressions))
	}
	// The suppression findings name what they are about: the block, or the
	// file by its base name.
	for _, f := range rep.Findings {
		if f.Rule == "suppression" && f.Range.Start.Line == 30 && f.Subject != "service.fine" {
			t.Errorf("subject = %q, want service.fine", f.Subject)
		}
		if f.Rule == "suppression" && f.Range.Start.Line == 55 && f.Subject != "suppress.arch.hcl" {
			t.Errorf("subject = %q, want suppress.arch.hcl", f.Subject)
		}
	}
}

func TestSuppressFile(t *testing.T) {
	d := loadTestDesign(t, "suppress_file.arch.hcl")
	rep, err := Run(d, []*Analyzer{singleReplica, describe}, nil)
	if err != nil {
		t.Fatal(err)
	}
	const f = "testdata/engine/suppress_file.arch.hcl"
	checkLines(t, findingLines(rep.Findings), []string{
		f + ":3:1 warning suppression archform:ignore single-replica silences nothing: no single-replica finding lies in this file",
		f + ":5:1 info describe service.one has no description [suppressed: descriptions live in the wiki]",
		f + ":9:1 info describe service.two has no description [suppressed: descriptions live in the wiki]",
	})
}

func TestSuppressionRuleConfigured(t *testing.T) {
	d := loadTestDesign(t, "suppress_file.arch.hcl")
	errSev := Error
	cfg := configOf(&RuleConfig{ID: "suppression", Severity: &errSev})
	rep, _ := Run(d, suppressSuite, cfg)
	if len(rep.Findings) != 3 || rep.Findings[0].Severity != Error {
		t.Errorf("findings = %v", findingLines(rep.Findings))
	}
	off := false
	cfg = configOf(&RuleConfig{ID: "suppression", Enabled: &off})
	rep, _ = Run(d, suppressSuite, cfg)
	if len(rep.Findings) != 2 || rep.Findings[0].Rule != "describe" || rep.Findings[0].Suppressed == nil {
		t.Errorf("findings = %v", findingLines(rep.Findings))
	}
	// A disabled rule named in a suppression is known but did not run: no
	// "silences nothing" for it.
	cfg = configOf(&RuleConfig{ID: "single-replica", Enabled: &off})
	rep, _ = Run(d, suppressSuite, cfg)
	if len(rep.Findings) != 2 {
		t.Errorf("findings = %v", findingLines(rep.Findings))
	}
}

func TestDirectiveParsing(t *testing.T) {
	for _, tc := range []struct {
		text   string
		rules  string
		reason string
		ok     bool
	}{
		{"ignore spof -- why", "spof", "why", true},
		{"ignore spof,capacity -- a -- b", "spof capacity", "a -- b", true},
		{"ignore spof , capacity--tight", "spof capacity", "tight", true},
		{"ignore-file spof -- why", "spof", "why", true},
		{"ignore spof --", "spof", "", false},
		{"ignore spof", "spof", "", false},
		{"ignore", "", "", false},
		{"nolint spof -- x", "", "", false},
	} {
		ps := parseDirective(tc.text, hclRangeForTest())
		got := ""
		for i, r := range ps.Rules {
			if i > 0 {
				got += " "
			}
			got += r
		}
		if got != tc.rules || ps.Reason != tc.reason || ps.valid != tc.ok {
			t.Errorf("%q: rules %q reason %q valid %v", tc.text, got, ps.Reason, ps.valid)
		}
	}
}

func hclRangeForTest() hcl.Range {
	return hcl.Range{Filename: "x.arch.hcl", Start: hcl.InitialPos, End: hcl.InitialPos}
}

func TestDirectivesOnlyInComments(t *testing.T) {
	src := `service "api" {
  description = <<-EOT
    # archform:ignore single-replica -- inside a heredoc, not a comment
  EOT
  replicas = 1
}

service "web" {
  description = "# archform:ignore single-replica -- inside a string"
  replicas    = 1
} # archform:ignore single-replica -- after a closing brace

/* archform:ignore single-replica -- a block comment is not a directive */
service "db" {
  description = "x"
  replicas    = 1
}

service "header" { # archform:ignore single-replica -- on the block header's line: the whole block
  description = "x"
  replicas    = 1
}
`
	d := testDesign(t, map[string]string{"h.arch.hcl": src})
	rep, err := Run(d, []*Analyzer{singleReplica}, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, findingLines(rep.Findings), []string{
		"h.arch.hcl:5:3 error single-replica replicas = 1 < min_replicas = 2",
		"h.arch.hcl:10:3 error single-replica replicas = 1 < min_replicas = 2",
		"h.arch.hcl:11:3 warning suppression archform:ignore must be on the line above a block or attribute, or at the end of an attribute's line",
		"h.arch.hcl:16:3 error single-replica replicas = 1 < min_replicas = 2",
		"h.arch.hcl:21:3 error single-replica replicas = 1 < min_replicas = 2 [suppressed: on the block header's line: the whole block]",
	})
}

var suppressSuite = []*Analyzer{singleReplica, describe}

// A file loaded without its syntax (lang.Options.DropSyntax) is read
// through its outline, and a block a suppression points into is parsed
// again from its text: the findings and suppressions are those of the file
// loaded with its syntax. The engine's test files hold every kind of
// suppression; the generated design is large enough for lang to load it
// in pieces, and holds suppressions of a block and of an attribute.
func TestSuppressionsWithoutSyntax(t *testing.T) {
	check := func(t *testing.T, with, without *lang.Design) {
		t.Helper()
		for name, f := range without.Files {
			if _, ok := f.Nav.(*lang.Outline); f.Body != nil || !ok {
				t.Fatalf("%s keeps its syntax", name)
			}
		}
		want, err := Run(with, suppressSuite, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Run(without, suppressSuite, nil)
		if err != nil {
			t.Fatal(err)
		}
		checkLines(t, findingLines(got.Findings), findingLines(want.Findings))
		if len(got.Suppressions) == 0 || !reflect.DeepEqual(got.Suppressions, want.Suppressions) {
			t.Errorf("suppressions %+v, want %+v", got.Suppressions, want.Suppressions)
		}
	}
	for _, name := range []string{"suppress.arch.hcl", "suppress_file.arch.hcl"} {
		t.Run(name, func(t *testing.T) {
			without := loadTestDesign(t, name)
			without.DropSyntax()
			check(t, loadTestDesign(t, name), without)
		})
	}
	t.Run("generated", func(t *testing.T) {
		src := string(designgen.Generate(600, 1))
		starts := lang.SplitTopLevel(src)
		mid := starts[len(starts)/2]
		src = src[:mid] + `# archform:ignore single-replica -- covers the block
service "whole" {
  replicas = 1
}

service "attribute" {
  description = "x"
  replicas    = 1 # archform:ignore single-replica -- the attribute
}

` + src[mid:]
		files := map[string][]byte{"gen.arch.hcl": []byte(src)}
		with, diags := lang.LoadFiles(files, lang.Options{})
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		without, _ := lang.LoadFiles(files, lang.Options{DropSyntax: true})
		check(t, with, without)
		rep, _ := Run(without, suppressSuite, nil)
		suppressed := 0
		for _, f := range rep.Findings {
			if f.Rule == "single-replica" && f.Suppressed != nil {
				suppressed++
			}
		}
		if suppressed != 2 {
			t.Errorf("%d single-replica findings suppressed, want 2", suppressed)
		}
	})
}
