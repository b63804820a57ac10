package lsp

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// client drives a server through an in-process pipe pair with real LSP
// messages, as an editor does through the server's standard streams.
type client struct {
	t      testing.TB
	srv    *Server
	toSrv  *io.PipeWriter
	msgs   chan map[string]json.RawMessage
	nextID int
	done   chan error
	// diags holds the latest diagnostics published for each URI.
	diags map[string][]Diagnostic
}

func newClient(t testing.TB, opts Options) *client {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	if opts.Debounce == 0 {
		opts.Debounce = time.Millisecond
	}
	c := &client{t: t, toSrv: inW, msgs: make(chan map[string]json.RawMessage, 1024), done: make(chan error, 1), diags: map[string][]Diagnostic{}}
	c.srv = NewServer(outW, opts)
	go func() {
		err := c.srv.Run(inR)
		outW.Close()
		c.done <- err
	}()
	go func() {
		r := newReader(outR)
		for {
			body, err := r.read()
			if err != nil {
				close(c.msgs)
				return
			}
			var m map[string]json.RawMessage
			if err := json.Unmarshal(body, &m); err != nil {
				t.Errorf("server wrote invalid JSON: %v: %s", err, body)
			}
			c.msgs <- m
		}
	}()
	t.Cleanup(func() {
		inW.Close()
		if n := c.srv.Panics(); n > 0 {
			t.Errorf("the server recovered from %d panics", n)
		}
	})
	return c
}

func (c *client) send(v any) {
	c.t.Helper()
	body, err := json.Marshal(v)
	if err != nil {
		c.t.Fatal(err)
	}
	if _, err := io.WriteString(c.toSrv, "Content-Length: "+itoa(len(body))+"\r\n\r\n"+string(body)); err != nil {
		c.t.Fatalf("writing to the server: %v", err)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func (c *client) notify(method string, params any) {
	c.t.Helper()
	c.send(map[string]any{"jsonrpc": "2.0", "method": method, "params": params})
}

// next returns the next message from the server, failing after a timeout.
func (c *client) next() map[string]json.RawMessage {
	c.t.Helper()
	select {
	case m, ok := <-c.msgs:
		if !ok {
			c.t.Fatal("the server closed its output")
		}
		if string(m["method"]) == `"textDocument/publishDiagnostics"` {
			var p PublishDiagnosticsParams
			if err := json.Unmarshal(m["params"], &p); err != nil {
				c.t.Fatal(err)
			}
			c.diags[p.URI] = p.Diagnostics
		}
		return m
	case <-time.After(30 * time.Second):
		c.t.Fatal("no message from the server within 30 s")
	}
	return nil
}

// call sends a request and returns its response (result or error).
func (c *client) call(method string, params any) (result json.RawMessage, rerr *rpcError) {
	c.t.Helper()
	c.nextID++
	id := c.nextID
	c.send(map[string]any{"jsonrpc": "2.0", "id": id, "method": method, "params": params})
	for {
		m := c.next()
		if string(m["id"]) != itoa(id) || m["method"] != nil {
			continue
		}
		if e, ok := m["error"]; ok {
			var re rpcError
			json.Unmarshal(e, &re)
			return nil, &re
		}
		res, ok := m["result"]
		if !ok {
			c.t.Fatalf("%s: response without result or error", method)
		}
		return res, nil
	}
}

// request is call that fails the test on an error response and decodes the
// result into out.
func (c *client) request(method string, params, out any) {
	c.t.Helper()
	res, rerr := c.call(method, params)
	if rerr != nil {
		c.t.Fatalf("%s: %v", method, rerr)
	}
	if out != nil {
		if err := json.Unmarshal(res, out); err != nil {
			c.t.Fatalf("%s: result %s: %v", method, res, err)
		}
	}
}

func (c *client) initialize() {
	c.t.Helper()
	var res InitializeResult
	c.request("initialize", map[string]any{"processId": nil, "rootUri": nil, "capabilities": map[string]any{}}, &res)
	if !res.Capabilities.HoverProvider || res.Capabilities.TextDocumentSync.Change != 2 {
		c.t.Fatalf("capabilities: %+v", res.Capabilities)
	}
	c.notify("initialized", map[string]any{})
}

// settle waits until the server has analyzed every change: it asks for a
// document's symbols (which analyzes a pending change first) and then
// reads what was published.
func (c *client) settle(uri string) {
	c.t.Helper()
	c.request("textDocument/documentSymbol", map[string]any{"textDocument": map[string]any{"uri": uri}}, nil)
}

func (c *client) open(uri, text string) {
	c.t.Helper()
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": uri, "languageId": "archform", "version": 1, "text": text}})
}

func (c *client) change(uri string, version int, changes ...TextDocumentContentChangeEvent) {
	c.t.Helper()
	c.notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": uri, "version": version}, "contentChanges": changes})
}

func (c *client) shutdown() {
	c.t.Helper()
	c.request("shutdown", nil, nil)
	c.notify("exit", nil)
	select {
	case err := <-c.done:
		if err != nil {
			c.t.Errorf("Run after shutdown and exit: %v", err)
		}
	case <-time.After(10 * time.Second):
		c.t.Fatal("the server did not stop after exit")
	}
}

func pos(line, char int) map[string]any { return map[string]any{"line": line, "character": char} }

func at(uri string, p map[string]any) map[string]any {
	return map[string]any{"textDocument": map[string]any{"uri": uri}, "position": p}
}

// copyDesign copies an example design into a temporary directory.
func copyDesign(t testing.TB, name string) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join("..", "testdata", name)
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// find returns the LSP position of the first occurrence of needle in text
// (plus delta characters).
func find(t testing.TB, text, needle string, delta int) map[string]any {
	t.Helper()
	i := strings.Index(text, needle)
	if i < 0 {
		t.Fatalf("%q not in the text", needle)
	}
	p := newText(text).position(i)
	return pos(p.Line, p.Character+delta)
}

// openShop starts a session with a copy of testdata/shop, its file open.
func openShop(t testing.TB) (c *client, uri, src string) {
	t.Helper()
	path := filepath.Join(copyDesign(t, "shop"), "shop.arch.hcl")
	uri, src = pathToURI(path), readFile(t, path)
	c = newClient(t, Options{})
	c.initialize()
	c.open(uri, src)
	return c, uri, src
}
