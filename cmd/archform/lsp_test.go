package main

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

func frame(msgs ...string) string {
	var b strings.Builder
	for _, m := range msgs {
		fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n%s", len(m), m)
	}
	return b.String()
}

// TestLSPCommand runs `archform lsp` with a whole session on its standard
// input: initialize, open the shop, hover, shutdown, exit.
func TestLSPCommand(t *testing.T) {
	path, _ := filepath.Abs(filepath.Join("..", "..", "testdata", "shop", "shop.arch.hcl"))
	uri := "file://" + filepath.ToSlash(path)
	in := frame(
		`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{}}}`,
		`{"jsonrpc":"2.0","method":"initialized","params":{}}`,
		`{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"`+uri+`","languageId":"archform","version":1,"text":"system \"s\" {}\nservice \"api\" {\n  replicas = 2\n}\n"}}}`,
		`{"jsonrpc":"2.0","id":2,"method":"textDocument/hover","params":{"textDocument":{"uri":"`+uri+`"},"position":{"line":2,"character":4}}}`,
		`{"jsonrpc":"2.0","id":3,"method":"shutdown"}`,
		`{"jsonrpc":"2.0","method":"exit"}`,
	)
	var out, errOut bytes.Buffer
	cmd := newLSPCmd()
	cmd.SetIn(strings.NewReader(in))
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs([]string{"--stdio"})
	if err := cmd.Execute(); err != nil {
		t.Fatalf("archform lsp: %v\n%s", err, errOut.String())
	}
	for _, want := range []string{`"id":1,"result":{"capabilities"`, `"id":2,"result":{"contents":{"kind":"markdown","value":"**replicas**`, `"id":3,"result":null`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %s:\n%s", want, out.String())
		}
	}
	// Without shutdown and exit, the session ends in an error (exit 1).
	cmd = newLSPCmd()
	cmd.SetIn(strings.NewReader(frame(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}`)))
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs(nil)
	if err := cmd.Execute(); err == nil {
		t.Error("a session that ends without shutdown: no error")
	}
}
