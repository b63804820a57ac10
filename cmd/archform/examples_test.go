package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/archform/archform/rules"
)

// headerList is the line that opens an example's list of what lint reports.
const headerList = "# archform lint reports (a test keeps this list true):"

// TestExamplesSayWhatLintReports runs `archform lint` on every example and
// checks what its header comment and its row of docs/examples.md say about
// it: the header lists, by severity, every rule lint reports and those
// suppressed, nothing more; the row names (in backticks) every rule lint
// reports and no rule that it does not. shop has no header: `archform init`
// writes it and the README quotes it by line.
func TestExamplesSayWhatLintReports(t *testing.T) {
	dirs, err := filepath.Glob("../../testdata/*")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile("../../docs/examples.md")
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, a := range rules.All {
		known[a.ID] = true
	}
	rows := map[string]string{}
	rowRE := regexp.MustCompile("^\\| `([a-z]+)` \\|(.*)\\|$")
	for line := range strings.SplitSeq(string(doc), "\n") {
		if m := rowRE.FindStringSubmatch(line); m != nil {
			cells := strings.Split(m[2], "|")
			rows[m[1]] = cells[len(cells)-1]
		}
	}
	n := 0
	for _, dir := range dirs {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			continue
		}
		n++
		name := filepath.Base(dir)
		got := lintReports(t, dir)

		// The header.
		if name != "shop" {
			header := exampleHeader(t, dir)
			if header == nil {
				t.Errorf("%s: no file's header comment has the line %q", dir, headerList)
			} else if d := diffLists(header, got); d != "" {
				t.Errorf("%s: the header's list is not what lint reports:\n%s", dir, d)
			}
		}

		// The row of docs/examples.md.
		row, ok := rows[name]
		if !ok {
			t.Errorf("docs/examples.md has no row for %s", name)
			continue
		}
		named := map[string]bool{}
		for _, m := range regexp.MustCompile("`([a-z-]+)`").FindAllStringSubmatch(row, -1) {
			if known[m[1]] {
				named[m[1]] = true
			}
		}
		reported := map[string]bool{}
		for sev, list := range got {
			for _, r := range list {
				reported[r] = true
				if sev != "suppressed" && !named[r] {
					t.Errorf("docs/examples.md, row %s: lint reports %s (%s), the row does not name it", name, r, sev)
				}
			}
		}
		for r := range named {
			if !reported[r] {
				t.Errorf("docs/examples.md, row %s: names %s, which lint does not report", name, r)
			}
		}
	}
	if n < 10 {
		t.Errorf("found %d examples, want at least 10", n)
	}
}

// lintReports runs lint on dir and returns the rules it reports, by
// severity ("error", "warning", "info") and "suppressed", each sorted.
func lintReports(t *testing.T, dir string) map[string][]string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	run([]string{"lint", dir, "--format", "json", "--fail-on", "none"}, &stdout, &stderr)
	var report struct {
		Findings []struct {
			Rule       string
			Severity   string
			Suppressed bool
		}
	}
	if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
		t.Fatalf("lint %s: %v\n%s", dir, err, stderr.String())
	}
	out := map[string][]string{}
	for _, f := range report.Findings {
		key := f.Severity
		if f.Suppressed {
			key = "suppressed"
		}
		if !slices.Contains(out[key], f.Rule) {
			out[key] = append(out[key], f.Rule)
		}
	}
	for _, list := range out {
		sort.Strings(list)
	}
	return out
}

// exampleHeader reads the list under headerList in the leading comment of
// one of dir's files: lines "#   SEVERITY: rule, rule".
func exampleHeader(t *testing.T, dir string) map[string][]string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.arch.hcl"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		var out map[string][]string
		for sc.Scan() {
			line := sc.Text()
			if !strings.HasPrefix(line, "#") {
				break
			}
			if line == headerList {
				out = map[string][]string{}
				continue
			}
			if out == nil {
				continue
			}
			sev, list, ok := strings.Cut(strings.TrimSpace(strings.TrimPrefix(line, "#")), ":")
			if !ok {
				break
			}
			for r := range strings.SplitSeq(list, ",") {
				out[sev] = append(out[sev], strings.TrimSpace(r))
			}
			sort.Strings(out[sev])
		}
		if out != nil {
			return out
		}
	}
	return nil
}

// diffLists says where two lists by severity differ ("" when they agree).
func diffLists(header, lint map[string][]string) string {
	var b strings.Builder
	for _, sev := range []string{"error", "warning", "info", "suppressed"} {
		if !slices.Equal(header[sev], lint[sev]) {
			b.WriteString("  " + sev + ": header " + strings.Join(header[sev], ", ") + "; lint " + strings.Join(lint[sev], ", ") + "\n")
		}
	}
	for sev := range header {
		if !slices.Contains([]string{"error", "warning", "info", "suppressed"}, sev) {
			b.WriteString("  unknown severity " + sev + "\n")
		}
	}
	return b.String()
}
