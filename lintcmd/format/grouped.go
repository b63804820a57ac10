package format

import (
	"path/filepath"
	"strconv"
	"strings"

	"github.com/archform/archform/analyze"
)

// memberLabel is how a grouped finding is introduced: "Same cause" for a
// finding of the same root cause, "Also" for a folded one (a rule's finding
// about the same component).
func memberLabel(f, m *analyze.Finding) string {
	if m.Cause != "" && m.Cause == f.Cause {
		return "Same cause"
	}
	return "Also"
}

// memberLine is a grouped finding in one line: its message, rule and where
// it points ("losing zone "b" leaves ... (spof, shop.arch.hcl line 43)").
func memberLine(m *analyze.Finding) string {
	where := m.Rule
	if m.Range.Filename != "" {
		where += ", " + filepath.ToSlash(m.Range.Filename) + " line " + strconv.Itoa(m.Range.Start.Line)
	}
	return m.Message + " (" + where + ")"
}

// explainLine is "Run 'archform explain spof' for more." naming each rule of
// a finding and its grouped findings once.
func explainLine(f *analyze.Finding) string {
	var cmds []string
	seen := map[string]bool{}
	for _, m := range f.Members() {
		if !seen[m.Rule] {
			seen[m.Rule] = true
			cmds = append(cmds, "'archform explain "+m.Rule+"'")
		}
	}
	if len(cmds) == 1 {
		return "Run " + cmds[0] + " for more."
	}
	return "Run " + strings.Join(cmds[:len(cmds)-1], ", ") + " or " + cmds[len(cmds)-1] + " for more."
}

// memberFingerprints maps each finding the rules reported (every member of
// every group) to its fingerprint, numbered as fingerprints numbers them.
type memberFingerprints struct {
	heads   []string   // by finding
	members [][]string // by finding, its Grouped
}

func groupFingerprints(fs []analyze.Finding) memberFingerprints {
	flat := analyze.Ungroup(fs)
	fps := fingerprints(flat)
	out := memberFingerprints{heads: make([]string, len(fs)), members: make([][]string, len(fs))}
	i := 0
	for n := range fs {
		out.heads[n] = fps[i]
		i++
		for range fs[n].Grouped {
			out.members[n] = append(out.members[n], fps[i])
			i++
		}
	}
	return out
}

// groupedText is a finding's grouped findings, a line each ("Same cause:
// ..."), for formats whose message is plain text; "" when it has none.
func groupedText(f *analyze.Finding) string {
	var lines []string
	for i := range f.Grouped {
		m := &f.Grouped[i]
		lines = append(lines, memberLabel(f, m)+": "+memberLine(m))
	}
	return strings.Join(lines, "\n")
}
