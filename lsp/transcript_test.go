package lsp

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var record = flag.String("record", "", "record an editor session on testdata/shop as Markdown into this file (docs/lsp-transcript.md)")

// TestRecordTranscript records the messages of an editor session on the
// canonical example, both ways, for docs/lsp-transcript.md:
//
//	go test ./lsp -run RecordTranscript -record ../docs/lsp-transcript.md
//
// Without -record it runs the same session and only checks that every
// exchange got its answer.
func TestRecordTranscript(t *testing.T) {
	dir := copyDesign(t, "shop")
	path := filepath.Join(dir, "shop.arch.hcl")
	uri := pathToURI(path)
	src := readFile(t, path)
	c := newClient(t, Options{})
	var md bytes.Buffer
	show := func(who string, v any) {
		b, _ := json.MarshalIndent(v, "", "  ")
		s := strings.ReplaceAll(string(b), uri, "file:///home/me/shop/shop.arch.hcl")
		fmt.Fprintf(&md, "%s\n\n```json\n%s\n```\n\n", who, s)
	}
	exchange := func(title, method string, params any) json.RawMessage {
		t.Helper()
		fmt.Fprintf(&md, "### %s\n\n", title)
		show("Editor → server:", map[string]any{"jsonrpc": "2.0", "id": c.nextID + 1, "method": method, "params": params})
		res, rerr := c.call(method, params)
		if rerr != nil {
			t.Fatalf("%s: %v", method, rerr)
		}
		var v any
		json.Unmarshal(res, &v)
		show("Server → editor:", map[string]any{"jsonrpc": "2.0", "id": c.nextID, "result": v})
		return res
	}
	fmt.Fprintf(&md, "<!-- Recorded by go test ./lsp -run RecordTranscript -record ../docs/lsp-transcript.md: do not edit. -->\n")
	fmt.Fprintf(&md, "# A recorded `archform lsp` session\n\n")
	fmt.Fprintf(&md, "The messages an editor and `archform lsp` exchange on `testdata/shop` (the design's\n"+
		"directory copied to /home/me/shop). Long texts are cut (…); the rest is as sent.\n\n")
	exchange("Initialize", "initialize", map[string]any{"processId": nil, "rootUri": nil, "capabilities": map[string]any{}})

	fmt.Fprintf(&md, "### Open the file: the server publishes the design's diagnostics\n\n")
	show("Editor → server (notification):", map[string]any{"jsonrpc": "2.0", "method": "textDocument/didOpen",
		"params": map[string]any{"textDocument": map[string]any{"uri": uri, "languageId": "archform", "version": 1, "text": src[:60] + "…"}}})
	c.open(uri, src)
	c.settle(uri)
	diags := c.diags[uri]
	if len(diags) < 2 {
		t.Fatalf("%d diagnostics", len(diags))
	}
	var shown []Diagnostic
	for _, d := range diags {
		if d.Code == "zone-failure-capacity" || d.Code == "spof" && len(shown) < 2 {
			shown = append(shown, d)
		}
	}
	show(fmt.Sprintf("Server → editor (notification; %d of the %d diagnostics shown):", len(shown), len(diags)),
		map[string]any{"jsonrpc": "2.0", "method": "textDocument/publishDiagnostics", "params": map[string]any{"uri": uri, "diagnostics": shown}})

	exchange("Hover on the name of service \"api\": its figures", "textDocument/hover", at(uri, find(t, src, `service "api"`, 10)))
	exchange("Hover on an attribute: its documentation", "textDocument/hover", at(uri, find(t, src, "read_from", 2)))

	edited := strings.Replace(src, "    read_from = \"replicas\"\n", "    read_from = \"replicas\"\n    failover  = \n", 1)
	line := strings.Count(edited[:strings.Index(edited, "failover  = ")], "\n")
	fmt.Fprintf(&md, "### Type `failover  = ` in the replication block\n\n")
	change := map[string]any{"range": Range{Start: Position{line, 0}, End: Position{line, 0}}, "text": "    failover  = \n"}
	show("Editor → server (notification):", map[string]any{"jsonrpc": "2.0", "method": "textDocument/didChange",
		"params": map[string]any{"textDocument": map[string]any{"uri": uri, "version": 2}, "contentChanges": []any{change}}})
	c.change(uri, 2, TextDocumentContentChangeEvent{Range: &Range{Start: Position{line, 0}, End: Position{line, 0}}, Text: "    failover  = \n"})
	exchange("Completion after `failover  = `", "textDocument/completion", at(uri, pos(line, len("    failover  = "))))
	exchange("Go to the definition of `database.orders`", "textDocument/definition", at(uri, find(t, src, "to = database.orders", 10)))
	exchange("Shut down", "shutdown", nil)
	c.notify("exit", nil)

	if *record != "" {
		if err := os.WriteFile(*record, md.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	// The documentation shows this session as it is today, and the
	// README's excerpt of it is taken from it word for word.
	const doc = "../docs/lsp-transcript.md"
	committed, err := os.ReadFile(doc)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(committed, md.Bytes()) {
		t.Errorf("%s is not what this session sends today: run go test ./lsp -run RecordTranscript -record %s and review the diff", doc, doc)
	}
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(readme), "\n## In the editor\n")
	section, _, _ = strings.Cut(section, "\n## ")
	blocks := strings.Split(section, "```")
	if len(blocks) < 3 {
		t.Fatalf("README.md has no section \"In the editor\" with an excerpt of %s", doc)
	}
	for i := 1; i < len(blocks); i += 2 {
		_, code, _ := strings.Cut(blocks[i], "\n")
		for _, line := range strings.Split(strings.TrimSpace(code), "\n") {
			// A line cut with … must match on each side of the cut.
			for _, part := range strings.Split(strings.TrimSpace(line), "…") {
				if part = strings.TrimSpace(part); part != "" && !strings.Contains(md.String(), part) {
					t.Errorf("README.md's excerpt of the session has a line the session does not send: %s", part)
				}
			}
		}
	}
}
