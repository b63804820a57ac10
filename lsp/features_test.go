package lsp

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func readFile(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestShopSession is an editor session on the canonical example: the
// diagnostics of open, hover, definition, references, symbols, formatting,
// then shutdown.
func TestShopSession(t *testing.T) {
	c, uri, src := openShop(t)
	c.settle(uri)

	// The lint findings of `archform lint testdata/shop`, with rule, link
	// and related locations.
	var sawZone bool
	for _, d := range c.diags[uri] {
		if d.Code == "zone-failure-capacity" {
			sawZone = true
			if d.Severity != SeverityError || !strings.Contains(d.Message, "losing zone") {
				t.Errorf("zone-failure-capacity diagnostic: %+v", d)
			}
			if d.CodeDescription == nil || d.CodeDescription.Href != RuleDocBase+"zone-failure-capacity.md" {
				t.Errorf("link: %+v", d.CodeDescription)
			}
			if len(d.RelatedInformation) == 0 || d.RelatedInformation[0].Location.URI != uri {
				t.Errorf("related: %+v", d.RelatedInformation)
			}
			if want := find(t, src, "replicas     = 12", 0); d.Range.Start.Line != want["line"] {
				t.Errorf("range %+v, want line %v", d.Range, want["line"])
			}
		}
	}
	if !sawZone {
		t.Errorf("no zone-failure-capacity finding among %d diagnostics", len(c.diags[uri]))
	}

	// Hover on a reference shows the target's figures.
	var h Hover
	c.request("textDocument/hover", at(uri, find(t, src, "to = database.orders", 6)), &h)
	if !strings.Contains(h.Contents.Value, "**database.orders**") || !strings.Contains(h.Contents.Value, "availability") || strings.Contains(h.Contents.Value, "instances needed") {
		t.Errorf("hover on database.orders:\n%s", h.Contents.Value)
	}
	// On a declaration's name too: service.api takes 10000 rps on 12
	// instances of 1000 rps.
	c.request("textDocument/hover", at(uri, find(t, src, `service "api"`, 10)), &h)
	for _, want := range []string{"load | 10000 rps", "12 placed", "instances needed | 13"} {
		if !strings.Contains(h.Contents.Value, want) {
			t.Errorf("hover on service.api lacks %q:\n%s", want, h.Contents.Value)
		}
	}

	// Definition of a reference is the declaration's name.
	var locs []Location
	c.request("textDocument/definition", at(uri, find(t, src, "to = database.orders", 14)), &locs)
	want := find(t, src, `database "orders"`, 10)
	if len(locs) != 1 || locs[0].URI != uri || locs[0].Range.Start.Line != want["line"] || locs[0].Range.Start.Character != want["character"] {
		t.Errorf("definition: %+v, want %v", locs, want)
	}

	// References of database.orders: the call and the cache's origin.
	c.request("textDocument/references", map[string]any{
		"textDocument": map[string]any{"uri": uri}, "position": find(t, src, `database "orders"`, 11),
		"context": map[string]any{"includeDeclaration": true}}, &locs)
	if len(locs) != 3 {
		t.Errorf("references of database.orders: %d, want 3 (declaration, call, origin): %+v", len(locs), locs)
	}

	var syms []DocumentSymbol
	c.request("textDocument/documentSymbol", map[string]any{"textDocument": map[string]any{"uri": uri}}, &syms)
	var names []string
	for _, s := range syms {
		names = append(names, s.Name)
	}
	if got := strings.Join(names, " "); got != "system.shop region.r1 client.web load_balancer.edge service.api cache.sessions database.orders flow.browse flow.order" {
		t.Errorf("symbols: %s", got)
	}

	// Formatting is archform fmt's: once formatted, a file formats to no
	// edit; a misaligned attribute is aligned again.
	var edits []TextEdit
	fmtParams := map[string]any{"textDocument": map[string]any{"uri": uri}, "options": map[string]any{"tabSize": 2, "insertSpaces": true}}
	c.request("textDocument/formatting", fmtParams, &edits)
	canonical := src
	if len(edits) == 1 {
		canonical = edits[0].NewText
	}
	c.change(uri, 2, TextDocumentContentChangeEvent{Text: canonical})
	c.request("textDocument/formatting", fmtParams, &edits)
	if len(edits) != 0 {
		t.Errorf("formatting a formatted file: %+v", edits)
	}
	c.change(uri, 3, TextDocumentContentChangeEvent{Text: strings.Replace(canonical, "rps        = 10000", "rps = 10000", 1)})
	c.request("textDocument/formatting", fmtParams, &edits)
	if len(edits) != 1 || edits[0].NewText != canonical {
		t.Errorf("formatting gave %+v, want the canonical text back", edits)
	}
	c.shutdown()
}

// TestHalfTyped opens files in the states a user passes through while
// typing and checks that every request is answered and errors are
// published, never a crash.
func TestHalfTyped(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.arch.hcl")
	uri := pathToURI(path)
	c := newClient(t, Options{})
	c.initialize()
	c.open(uri, "")
	steps := []string{
		`s`,
		`service "a`,
		`service "api" {`,
		"service \"api\" {\n  replicas = ",
		"service \"api\" {\n  call {\n    to = serv",
		"service \"api\" {\n  call {\n    to = service.\n  }\n}",
		"service \"api\" {\n  zones = [\"a\", \n}\n",
		"system \"x\" {}\nservice \"api\" {\n  replicas = 2\n  call {\n    to = database.db\n  }\n}\n",
		"\x00\xff{{{{",
	}
	for i, text := range steps {
		c.change(uri, i+2, TextDocumentContentChangeEvent{Text: text})
		end := newText(text).position(len(text))
		p := pos(end.Line, end.Character)
		for _, m := range []string{"textDocument/hover", "textDocument/definition", "textDocument/completion", "textDocument/prepareRename"} {
			if _, rerr := c.call(m, at(uri, p)); rerr != nil {
				t.Errorf("step %d %s: %v", i, m, rerr)
			}
		}
		c.request("textDocument/formatting", map[string]any{"textDocument": map[string]any{"uri": uri}, "options": map[string]any{}}, nil)
		c.settle(uri)
		if i < len(steps)-2 {
			continue
		}
	}
	// The last valid-syntax step has an undefined reference: an error with
	// a did-you-mean free message pointing at it.
	found := false
	for _, d := range c.diags[uri] {
		if d.Severity == SeverityError {
			found = true
		}
	}
	if !found {
		t.Errorf("no error published for a broken file: %+v", c.diags[uri])
	}
	c.shutdown()
}

// TestRenameAcrossFiles renames a component declared in one file and used
// in others.
func TestRenameAcrossFiles(t *testing.T) {
	dir := copyDesign(t, "timeline")
	entries, _ := os.ReadDir(dir)
	c := newClient(t, Options{})
	c.initialize()
	var declFile, declText string
	for _, e := range entries {
		text := readFile(t, filepath.Join(dir, e.Name()))
		if strings.Contains(text, `database "tweets"`) {
			declFile, declText = filepath.Join(dir, e.Name()), text
		}
	}
	if declFile == "" {
		t.Fatal("no database.tweets in testdata/timeline")
	}
	uri := pathToURI(declFile)
	c.open(uri, declText)
	var r Range
	c.request("textDocument/prepareRename", at(uri, find(t, declText, `database "tweets"`, 10)), &r)
	if r.End.Character-r.Start.Character != len("tweets") {
		t.Errorf("prepareRename range %+v", r)
	}
	var edit WorkspaceEdit
	c.request("textDocument/rename", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": find(t, declText, `database "tweets"`, 10), "newName": "posts"}, &edit)
	total := 0
	for u, edits := range edit.Changes {
		path, _ := uriToPath(u)
		text := newText(readFile(t, path))
		for _, e := range edits {
			total++
			old := text.s[text.offset(e.Range.Start):text.offset(e.Range.End)]
			if old != "tweets" || e.NewText != "posts" {
				t.Errorf("%s: edit replaces %q with %q", filepath.Base(path), old, e.NewText)
			}
		}
	}
	refs := 0
	for _, e := range entries {
		refs += strings.Count(readFile(t, filepath.Join(dir, e.Name())), "database.tweets")
	}
	if total != refs+1 || refs == 0 {
		t.Errorf("%d edits, want the declaration and %d references", total, refs)
	}
	if len(edit.Changes) < 2 {
		t.Errorf("edits in %d files, want the declaring file and another", len(edit.Changes))
	}
	// A name that is taken, and one that is not a name, are refused.
	if _, rerr := c.call("textDocument/rename", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": find(t, declText, `database "tweets"`, 10), "newName": "9 lives"}); rerr == nil {
		t.Error("rename to an invalid name accepted")
	}
	c.shutdown()
}

// TestProtocolErrors: requests before initialize, unknown methods, invalid
// JSON and params are answered with errors, and the session goes on.
func TestProtocolErrors(t *testing.T) {
	c := newClient(t, Options{})
	if _, rerr := c.call("textDocument/hover", at("file:///x.arch.hcl", pos(0, 0))); rerr == nil || rerr.Code != codeServerNotInitialized {
		t.Errorf("hover before initialize: %v", rerr)
	}
	c.initialize()
	if _, rerr := c.call("workspace/symbol", map[string]any{"query": ""}); rerr == nil || rerr.Code != codeMethodNotFound {
		t.Errorf("unknown method: %v", rerr)
	}
	if _, rerr := c.call("textDocument/hover", json.RawMessage(`[1,2]`)); rerr == nil || rerr.Code != codeInvalidParams {
		t.Errorf("invalid params: %v", rerr)
	}
	c.toSrv.Write([]byte("Content-Length: 5\r\n\r\n{oops"))
	m := c.next()
	if !strings.Contains(string(m["error"]), "-32700") {
		t.Errorf("invalid JSON answered with %s", m["error"])
	}
	if _, rerr := c.call("textDocument/hover", at("file:///not-open.arch.hcl", pos(0, 0))); rerr == nil {
		t.Error("hover on a document that is not open: no error")
	}
	c.shutdown()
}

// TestCompletion completes block types, attributes, enum values,
// references by kind, and zones, in a half-typed file of a design.
func TestCompletion(t *testing.T) {
	dir := copyDesign(t, "shop")
	path := filepath.Join(dir, "new.arch.hcl")
	uri := pathToURI(path)
	c := newClient(t, Options{})
	c.initialize()
	c.open(uri, "")
	labels := func(text string) []string {
		t.Helper()
		c.change(uri, 2, TextDocumentContentChangeEvent{Text: text})
		end := newText(text).position(len(text))
		var list CompletionList
		c.request("textDocument/completion", at(uri, pos(end.Line, end.Character)), &list)
		var out []string
		for _, it := range list.Items {
			out = append(out, it.Label)
		}
		return out
	}
	has := func(text string, want ...string) {
		t.Helper()
		got := labels(text)
		for _, w := range want {
			found := false
			for _, g := range got {
				if g == w {
					found = true
				}
			}
			if !found {
				t.Errorf("completing %q: %q not among %q", text, w, got)
			}
		}
	}
	lacks := func(text string, unwanted ...string) {
		t.Helper()
		got := labels(text)
		for _, u := range unwanted {
			for _, g := range got {
				if g == u {
					t.Errorf("completing %q offers %q", text, u)
				}
			}
		}
	}
	has("", "system", "service", "database", "flow", "region")
	has("ser", "service")
	has("service \"x\" {\n  ", "replicas", "capacity_rps", "call", "rate_limit")
	lacks("service \"x\" {\n  ", "engine", "replication")
	has("database \"x\" {\n  replication {\n    ", "mode", "failover")
	has("database \"x\" {\n  replication {\n    failover = ", "automatic", "manual")
	has("database \"x\" {\n  replication {\n    failover = \"au", "automatic")
	has("service \"x\" {\n  call {\n    to = ", "database.orders", "service.api", "cache.sessions")
	has("service \"x\" {\n  call {\n    to = service.", "api")
	lacks("service \"x\" {\n  call {\n    to = service.", "orders")
	has("service \"x\" {\n  call {\n    to = database.or", "orders")
	has("service \"x\" {\n  zones = [\"", "a", "b", "c")
	has("service \"x\" {\n  public = ", "true", "false")
	has("flow \"f\" {\n  entry = ", "client.web")
	lacks("flow \"f\" {\n  entry = ", "service.api")
	lacks("flow \"f\" {\n  through = ", "service.api", "client.web") // queues only
	// Inside an expression's brackets, no attribute names.
	lacks("service \"x\" {\n  labels = {\n    ", "replicas")
	c.shutdown()
}

// TestAttributeHover shows the catalogue's documentation of an attribute
// and of a block type.
func TestAttributeHover(t *testing.T) {
	c, uri, src := openShop(t)
	var h Hover
	c.request("textDocument/hover", at(uri, find(t, src, "read_from", 2)), &h)
	if !strings.Contains(h.Contents.Value, "**read_from**") || !strings.Contains(h.Contents.Value, "`primary` | `replicas` | `any`") {
		t.Errorf("hover on read_from:\n%s", h.Contents.Value)
	}
	c.request("textDocument/hover", at(uri, find(t, src, "replication {", 3)), &h)
	if !strings.Contains(h.Contents.Value, "**replication** block") {
		t.Errorf("hover on replication:\n%s", h.Contents.Value)
	}
	c.shutdown()
}

// TestRenameRefusesJSON: a component named in a JSON file of the design is
// not renamed (the JSON reference would be left behind).
func TestRenameRefusesJSON(t *testing.T) {
	dir := copyDesign(t, "notifications")
	var path, text string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if s := readFile(t, filepath.Join(dir, e.Name())); strings.HasSuffix(e.Name(), ".hcl") && strings.Contains(s, "external.apns") {
			path, text = filepath.Join(dir, e.Name()), s
		}
	}
	if path == "" {
		t.Fatal("no reference to external.apns in testdata/notifications")
	}
	uri := pathToURI(path)
	c := newClient(t, Options{})
	c.initialize()
	c.open(uri, text)
	_, rerr := c.call("textDocument/rename", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": find(t, text, "external.apns", 10), "newName": "apple"})
	if rerr == nil || !strings.Contains(rerr.Message, "JSON") {
		t.Errorf("rename of a component declared in JSON: %v", rerr)
	}
	// Definition still finds it in the JSON file.
	var locs []Location
	c.request("textDocument/definition", at(uri, find(t, text, "external.apns", 10)), &locs)
	if len(locs) != 1 || !strings.HasSuffix(locs[0].URI, "providers.arch.json") {
		t.Errorf("definition of external.apns: %+v", locs)
	}
	c.shutdown()
}
