// Package analysistest runs archform rules on test designs and checks their
// findings against expectations written next to the input, in the manner of
// golang.org/x/tools/go/analysis/analysistest:
//
//	service "api" {
//	  replicas = 1 # want "spof" "service.api has one instance"
//	}
//
// A `want` comment lists (rule, regexp) pairs: each pair expects one finding
// of that rule, whose range starts on the comment's line in that file, and
// whose message the regexp matches. Several pairs may share a line:
// `# want "spof" "zone a" "capacity" "utilization"`. Strings are Go string
// literals (double-quoted or back-quoted). Any comment form works, so a
// finding on a line that already ends in a comment (a suppression, say) is
// expected with a block comment before it: `/* want "suppression" "no reason" */`.
//
// Findings that a suppression comment silences are not reported, so they
// need no want; a suppression comment that is wrong is a finding of the
// `suppression` rule like any other.
package analysistest

import (
	"fmt"
	"github.com/archform/archform/lintcmd/config"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// TestData returns the absolute path of the package's testdata directory.
func TestData() string {
	dir, err := filepath.Abs("testdata")
	if err != nil {
		panic(err) // only when the working directory is gone
	}
	return dir
}

// Run lints each design under dir with the analyzers (through the engine, so
// suppression comments apply) and checks the findings against the designs'
// want comments. A design is each *.arch.hcl or *.arch.json file directly in
// dir, and each sub-directory of dir. Unexpected findings and expectations
// that no finding meets are reported with t.Errorf, as are designs that do
// not load. It returns the reports, in the order of the designs' names.
func Run(t testing.TB, dir string, analyzers ...*analyze.Analyzer) []*analyze.Report {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Errorf("analysistest: %v", err)
		return nil
	}
	var reports []*analyze.Report
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() && !strings.HasSuffix(name, ".arch.hcl") && !strings.HasSuffix(name, ".arch.json") {
			continue
		}
		if rep := RunDesign(t, filepath.Join(dir, name), analyzers...); rep != nil {
			reports = append(reports, rep)
		}
	}
	if len(reports) == 0 && !t.Failed() {
		t.Errorf("analysistest: no designs (*.arch.hcl files or directories) in %s", dir)
	}
	return reports
}

// RunDesign is Run for one design: a directory or a single file. A design
// directory may hold a .archform.hcl, which configures the run (to test a
// rule's parameters or severities).
func RunDesign(t testing.TB, path string, analyzers ...*analyze.Analyzer) *analyze.Report {
	t.Helper()
	d, diags := lang.Load(path, lang.Options{})
	if diags.HasErrors() {
		t.Errorf("analysistest: design %s does not load:\n%s", path, diagText(d, diags))
		return nil
	}
	var cfg *analyze.Config
	if cfgPath := filepath.Join(path, config.FileName); fileExists(cfgPath) {
		var cdiags hcl.Diagnostics
		if cfg, cdiags = config.Load(cfgPath, analyzers); cdiags.HasErrors() {
			t.Errorf("analysistest: %s: %s", cfgPath, cdiags.Error())
			return nil
		}
	}
	rep, err := analyze.Run(d, analyzers, cfg)
	if err != nil {
		t.Errorf("analysistest: design %s: %v", path, err)
		return rep
	}
	Check(t, rep)
	return rep
}

// Check compares a report's unsuppressed findings with the want comments in
// the files of its design.
func Check(t testing.TB, rep *analyze.Report) {
	t.Helper()
	wants := map[lineKey][]*expectation{}
	var keys []lineKey
	names := make([]string, 0, len(rep.Design.Files))
	for n := range rep.Design.Files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, w := range parseWants(t, name, rep.Design.Files[name]) {
			k := lineKey{w.file, w.line}
			if wants[k] == nil {
				keys = append(keys, k)
			}
			wants[k] = append(wants[k], w)
		}
	}
	for _, f := range analyze.Ungroup(rep.Findings) {
		if f.Suppressed != nil {
			continue
		}
		if !claim(wants[lineKey{f.Range.Filename, f.Range.Start.Line}], f) {
			t.Errorf("%s: unexpected finding of %s: %s", position(f.Range), f.Rule, f.Message)
		}
	}
	for _, k := range keys {
		for _, w := range wants[k] {
			if !w.met {
				t.Errorf("%s:%d: no finding of %s matching %q", w.file, w.line, w.rule, w.re)
			}
		}
	}
}

type lineKey struct {
	file string
	line int
}

// expectation is one (rule, regexp) pair of a want comment.
type expectation struct {
	file string
	line int
	rule string
	re   *regexp.Regexp
	met  bool
}

// claim marks the first unmet expectation that f meets.
func claim(ws []*expectation, f analyze.Finding) bool {
	for _, w := range ws {
		if !w.met && w.rule == f.Rule && w.re.MatchString(f.Message) {
			w.met = true
			return true
		}
	}
	return false
}

func position(r hcl.Range) string {
	if r.Filename == "" {
		return "<no position>"
	}
	return fmt.Sprintf("%s:%d:%d", r.Filename, r.Start.Line, r.Start.Column)
}

// parseWants lexes a native-syntax file for want comments.
func parseWants(t testing.TB, name string, f *hcl.File) []*expectation {
	t.Helper()
	if f == nil || f.Bytes == nil {
		return nil
	}
	if _, ok := f.Body.(*hclsyntax.Body); !ok {
		return nil
	}
	toks, _ := hclsyntax.LexConfig(f.Bytes, name, hcl.InitialPos)
	var out []*expectation
	for _, tok := range toks {
		if tok.Type != hclsyntax.TokenComment {
			continue
		}
		text, ok := commentText(string(tok.Bytes))
		if !ok {
			continue
		}
		line := tok.Range.Start.Line
		pos := fmt.Sprintf("%s:%d", name, line)
		args, err := quotedStrings(text)
		if err != nil {
			t.Errorf("%s: malformed want comment: %v", pos, err)
			continue
		}
		if len(args) == 0 || len(args)%2 != 0 {
			t.Errorf("%s: a want comment needs \"rule\" \"regexp\" pairs, got %d strings", pos, len(args))
			continue
		}
		for i := 0; i < len(args); i += 2 {
			re, err := regexp.Compile(args[i+1])
			if err != nil {
				t.Errorf("%s: bad regexp in want comment: %v", pos, err)
				continue
			}
			out = append(out, &expectation{file: name, line: line, rule: args[i], re: re})
		}
	}
	return out
}

// commentText returns what follows "want" in a comment, if it is a want
// comment.
func commentText(c string) (string, bool) {
	c = strings.TrimRight(c, "\r\n")
	switch {
	case strings.HasPrefix(c, "#"):
		c = c[1:]
	case strings.HasPrefix(c, "//"):
		c = c[2:]
	case strings.HasPrefix(c, "/*"):
		c = strings.TrimSuffix(c[2:], "*/")
	}
	c = strings.TrimSpace(c)
	rest, ok := strings.CutPrefix(c, "want")
	if !ok || (rest != "" && rest[0] != ' ' && rest[0] != '\t') {
		return "", false
	}
	return strings.TrimSpace(rest), true
}

// quotedStrings reads a space-separated list of Go string literals.
func quotedStrings(s string) ([]string, error) {
	var out []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		lit, err := strconv.QuotedPrefix(s)
		if err != nil {
			return nil, fmt.Errorf("expected a quoted string at %q", s)
		}
		v, err := strconv.Unquote(lit)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		s = s[len(lit):]
	}
	return out, nil
}

func diagText(d *lang.Design, diags hcl.Diagnostics) string {
	var b strings.Builder
	var files map[string]*hcl.File
	if d != nil {
		files = d.Files
	}
	if err := lang.WriteDiagnostics(&b, files, diags, false); err != nil {
		return diags.Error()
	}
	return b.String()
}

func fileExists(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && !fi.IsDir()
}
