package lsp

import (
	"sort"
	"strings"
	"testing"
)

// applyEdits applies one file's text edits.
func applyEdits(s string, edits []TextEdit) string {
	t := newText(s)
	sort.Slice(edits, func(i, j int) bool { return t.offset(edits[i].Range.Start) > t.offset(edits[j].Range.Start) })
	for _, e := range edits {
		s = s[:t.offset(e.Range.Start)] + e.NewText + s[t.offset(e.Range.End):]
	}
	return s
}

// fixes asks for the quick fixes of the diagnostics matching match.
func (c *client) fixes(uri string, match func(Diagnostic) bool) []CodeAction {
	c.t.Helper()
	var ds []Diagnostic
	for _, d := range c.diags[uri] {
		if match(d) {
			ds = append(ds, d)
		}
	}
	if len(ds) == 0 {
		c.t.Fatalf("no diagnostic to fix among %+v", c.diags[uri])
	}
	var actions []CodeAction
	c.request("textDocument/codeAction", map[string]any{"textDocument": map[string]any{"uri": uri}, "range": ds[0].Range,
		"context": map[string]any{"diagnostics": ds}}, &actions)
	return actions
}

func pick(t *testing.T, actions []CodeAction, title string) CodeAction {
	t.Helper()
	for _, a := range actions {
		if strings.Contains(a.Title, title) {
			return a
		}
	}
	t.Fatalf("no fix %q among %+v", title, actions)
	return CodeAction{}
}

// TestQuickFixes applies each quick fix and checks that the design is
// then what the fix promised: the typo corrected, failover automatic, the
// finding suppressed.
func TestQuickFixes(t *testing.T) {
	c, uri, src := openShop(t)
	version := 1
	edit := func(text string) {
		version++
		c.change(uri, version, TextDocumentContentChangeEvent{Text: text})
		c.settle(uri)
	}
	c.settle(uri)

	// Did you mean: an attribute name and a reference.
	typo := strings.Replace(src, "capacity_rps = 2000", "capacity_rp = 2000", 1)
	typo = strings.Replace(typo, "origin    = database.orders", "origin    = database.order", 1)
	edit(typo)
	fixed := typo
	for _, want := range []string{"capacity_rps", "database.orders"} {
		a := pick(t, c.fixes(uri, func(d Diagnostic) bool {
			return strings.Contains(d.Message, "Did you mean") && strings.Contains(d.Message, want)
		}), "to "+want)
		fixed = applyEdits(fixed, a.Edit.Changes[uri])
	}
	if fixed != src {
		t.Errorf("did-you-mean fixes do not restore the file:\n%s", fixed)
	}
	edit(src)

	// failover = "automatic" on the database whose primary is a single
	// point of failure.
	isFailover := func(d Diagnostic) bool {
		return d.Code == "spof" && strings.Contains(d.Message, `failover = "automatic"`)
	}
	a := pick(t, c.fixes(uri, isFailover), `failover = "automatic"`)
	withFailover := applyEdits(src, a.Edit.Changes[uri])
	if !strings.Contains(withFailover, "    read_from = \"replicas\"\n    failover = \"automatic\"\n  }") {
		t.Errorf("failover fix gave:\n%s", withFailover)
	}
	edit(withFailover)
	for _, d := range c.diags[uri] {
		if isFailover(d) || d.Severity == SeverityError && d.Code == "" {
			t.Errorf("after the failover fix: %s", d.Message)
		}
	}

	// A suppression comment above the component's block silences the
	// finding.
	isZone := func(d Diagnostic) bool { return d.Code == "zone-failure-capacity" }
	a = pick(t, c.fixes(uri, isZone), "Suppress zone-failure-capacity")
	suppressed := applyEdits(withFailover, a.Edit.Changes[uri])
	if !strings.Contains(suppressed, "# archform:ignore zone-failure-capacity -- "+SuppressionReason+"\nservice \"api\" {") {
		t.Errorf("suppression fix gave:\n%s", suppressed)
	}
	edit(suppressed)
	for _, d := range c.diags[uri] {
		if isZone(d) || d.Code == "suppression" {
			t.Errorf("after the suppression: %s: %s", d.Code, d.Message)
		}
	}
	c.shutdown()
}
