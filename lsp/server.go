// Package lsp is archform's language server: `archform lsp` speaks the
// Language Server Protocol over standard input and output to an editor, for
// design files (*.arch.hcl, *.arch.json) and lint configuration
// (.archform.hcl). It publishes the design's diagnostics and lint findings as
// the user types, and answers completion, hover, go to definition, find
// references, rename, document symbols, formatting and quick fixes.
//
// One goroutine reads messages; one loop handles them in order and runs the
// analysis, so that the state (open documents, parsed files, the last
// analysis of each design) has a single owner and needs no locks. A change
// schedules the analysis of its design after a short quiet time (the
// debounce); messages that arrive meanwhile are handled first, so a burst of
// keystrokes costs one analysis.
package lsp

import (
	"encoding/json"
	"errors"
	"fmt"
	"github.com/archform/archform/analyze"
	"io"
	"runtime/debug"
	"sort"
	"strings"
	"sync/atomic"
	"time"
)

// DefaultDebounce is how long the server waits after a change before it
// analyzes the design.
const DefaultDebounce = 40 * time.Millisecond

// Options configure a server.
type Options struct {
	// Debounce is the quiet time after a change before the analysis
	// (DefaultDebounce when zero; negative: none).
	Debounce time.Duration
	// Log receives the server's log lines (nil: none). `archform lsp`
	// passes standard error, which editors show in their output panel.
	Log io.Writer
	// Version is archform's version, reported in serverInfo.
	Version string
	// Rules is the lint suite run on a design (rules.All when nil).
	Rules []*analyze.Analyzer
	// KnownRules are the rules a configuration or suppression may name
	// (the suppression rule, Rules and the emit rules in archform): the
	// same list as the CLI's, so that a configuration valid for
	// `archform lint` is valid here. Rules when nil.
	KnownRules []*analyze.Analyzer
	// OnPublish, when set, is called after each round of published
	// diagnostics with the time since the oldest change the round covers.
	// Benchmarks read latency through it.
	OnPublish func(sinceChange time.Duration)
}

// Server is one language server session.
type Server struct {
	opts Options
	out  *writer

	initialized bool
	shutdown    bool

	docs    map[string]*document // by URI
	ws      *workspace
	dirty   map[string]bool // design keys waiting for analysis
	changed time.Time       // oldest change not yet analyzed
	// lastChange is the newest change, which the debounce waits after.
	lastChange time.Time

	panics atomic.Int64
}

// document is an open editor buffer.
type document struct {
	uri     string
	path    string // "" for a document that is not a file
	version int
	text    *text
}

// Serve runs a session on in and out until the client sends exit or closes
// the stream. It returns nil after shutdown and exit, and an error when the
// stream ended or broke without them.
func Serve(in io.Reader, out io.Writer, opts Options) error {
	return NewServer(out, opts).Run(in)
}

// NewServer makes a server that writes to out.
func NewServer(out io.Writer, opts Options) *Server {
	if opts.Debounce == 0 {
		opts.Debounce = DefaultDebounce
	}
	return &Server{
		opts:  opts,
		out:   &writer{w: out},
		docs:  map[string]*document{},
		ws:    newWorkspace(opts),
		dirty: map[string]bool{},
	}
}

// Panics returns how many handler panics the server recovered from (each
// answered with an internal error); tests assert it stays zero.
func (s *Server) Panics() int64 { return s.panics.Load() }

type incoming struct {
	body []byte
	err  error
}

// Run reads and handles messages from in until exit or the end of in.
func (s *Server) Run(in io.Reader) error {
	msgs := make(chan incoming, 256)
	r := newReader(in)
	go func() {
		for {
			body, err := r.read()
			msgs <- incoming{body, err}
			if err != nil {
				return
			}
		}
	}()
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	pending := false
	for {
		select {
		case m := <-msgs:
			if done, err := s.receive(m); done {
				return err
			}
		case <-timer.C:
			pending = false
			// Handle what arrived meanwhile first: a burst of changes
			// costs one analysis.
			for drained := false; !drained; {
				select {
				case m := <-msgs:
					if done, err := s.receive(m); done {
						return err
					}
				default:
					drained = true
				}
			}
			if wait := s.opts.Debounce - time.Since(s.lastChange); wait > 0 {
				timer.Reset(wait)
				pending = true
				continue
			}
			s.analyzeDirty()
		}
		if len(s.dirty) > 0 && !pending {
			timer.Reset(max(s.opts.Debounce, 0))
			pending = true
		}
	}
}

// receive handles one message from the reader; done reports the end of the
// session, with its error.
func (s *Server) receive(m incoming) (done bool, err error) {
	if m.err != nil {
		if errors.Is(m.err, io.EOF) {
			if s.shutdown {
				return true, nil
			}
			return true, errors.New("lsp: the client closed the connection without shutdown and exit")
		}
		return true, m.err
	}
	return s.handle(m.body)
}

// handle processes one message; done reports exit.
func (s *Server) handle(body []byte) (done bool, err error) {
	var m message
	if err := json.Unmarshal(body, &m); err != nil {
		s.replyError(json.RawMessage("null"), codeParseError, "invalid JSON: "+err.Error())
		return false, nil
	}
	if m.Method == "" {
		// A response to a request of ours (the server sends none that
		// need an answer) or garbage: nothing to do.
		return false, nil
	}
	if m.Method == "exit" {
		if s.shutdown {
			return true, nil
		}
		return true, errors.New("lsp: exit before shutdown")
	}
	if !m.isRequest() {
		s.notify(m.Method, m.Params)
		return false, nil
	}
	switch {
	case !s.initialized && m.Method != "initialize":
		s.replyError(m.ID, codeServerNotInitialized, "the server is not initialized")
		return false, nil
	case s.shutdown:
		s.replyError(m.ID, codeInvalidRequest, "the server is shut down")
		return false, nil
	}
	result, rerr := s.call(m.Method, m.Params)
	if rerr != nil {
		s.replyError(m.ID, rerr.Code, rerr.Message)
		return false, nil
	}
	s.write(response{JSONRPC: "2.0", ID: m.ID, Result: result})
	return false, nil
}

// call runs a request's handler, turning a panic into an internal error so
// that no input stops the server.
func (s *Server) call(method string, params json.RawMessage) (result any, rerr *rpcError) {
	defer func() {
		if v := recover(); v != nil {
			s.panics.Add(1)
			s.logf("internal error in %s: %v\n%s", method, v, debug.Stack())
			result, rerr = nil, &rpcError{Code: codeInternalError, Message: fmt.Sprintf("internal error in archform's %s: %v", method, v)}
		}
	}()
	h, ok := requests[method]
	if !ok {
		return nil, &rpcError{Code: codeMethodNotFound, Message: "method not supported: " + method}
	}
	return h(s, params)
}

// notify runs a notification's handler; a panic is logged.
func (s *Server) notify(method string, params json.RawMessage) {
	defer func() {
		if v := recover(); v != nil {
			s.panics.Add(1)
			s.logf("internal error in %s: %v\n%s", method, v, debug.Stack())
		}
	}()
	if !s.initialized {
		return // the specification: notifications before initialize are dropped
	}
	if h, ok := notifications[method]; ok {
		if err := h(s, params); err != nil {
			s.logf("%s: %v", method, err)
		}
	}
}

type requestHandler func(s *Server, params json.RawMessage) (any, *rpcError)
type notificationHandler func(s *Server, params json.RawMessage) error

// requests and notifications are the methods the server answers, by name.
var (
	requests      map[string]requestHandler
	notifications map[string]notificationHandler
)

func init() {
	requests = map[string]requestHandler{
		"initialize":                  (*Server).initialize,
		"shutdown":                    func(s *Server, _ json.RawMessage) (any, *rpcError) { s.shutdown = true; return nil, nil },
		"textDocument/completion":     (*Server).completion,
		"textDocument/hover":          (*Server).hover,
		"textDocument/definition":     (*Server).definition,
		"textDocument/references":     (*Server).references,
		"textDocument/documentSymbol": (*Server).documentSymbol,
		"textDocument/formatting":     (*Server).formatting,
		"textDocument/prepareRename":  (*Server).prepareRename,
		"textDocument/rename":         (*Server).rename,
		"textDocument/codeAction":     (*Server).codeAction,
	}
	notifications = map[string]notificationHandler{
		"initialized":                     func(*Server, json.RawMessage) error { return nil },
		"textDocument/didOpen":            (*Server).didOpen,
		"textDocument/didChange":          (*Server).didChange,
		"textDocument/didClose":           (*Server).didClose,
		"textDocument/didSave":            (*Server).didSave,
		"workspace/didChangeWatchedFiles": (*Server).didChangeWatchedFiles,
	}
}

// decode unmarshals params, as an invalid-params error.
func decodeParams(params json.RawMessage, v any) *rpcError {
	if len(params) == 0 {
		return &rpcError{Code: codeInvalidParams, Message: "missing params"}
	}
	if err := json.Unmarshal(params, v); err != nil {
		return &rpcError{Code: codeInvalidParams, Message: "invalid params: " + err.Error()}
	}
	return nil
}

func (s *Server) write(v any) {
	if err := s.out.write(v); err != nil {
		s.logf("writing to the client: %v", err)
	}
}

func (s *Server) replyError(id json.RawMessage, code int, msg string) {
	s.write(errorResponse{JSONRPC: "2.0", ID: id, Error: &rpcError{Code: code, Message: msg}})
}

func (s *Server) sendNotification(method string, params any) {
	s.write(notification{JSONRPC: "2.0", Method: method, Params: params})
}

func (s *Server) logf(format string, args ...any) {
	if s.opts.Log != nil {
		fmt.Fprintf(s.opts.Log, "archform lsp: "+format+"\n", args...)
	}
}

func (s *Server) initialize(params json.RawMessage) (any, *rpcError) {
	var p InitializeParams
	if err := decodeParams(params, &p); err != nil {
		return nil, err
	}
	s.initialized = true
	return InitializeResult{
		Capabilities: ServerCapabilities{
			PositionEncoding:           "utf-16",
			TextDocumentSync:           TextDocumentSyncOpts{OpenClose: true, Change: 2, Save: true},
			CompletionProvider:         &CompletionOptions{TriggerCharacters: []string{".", "\"", "="}},
			HoverProvider:              true,
			DefinitionProvider:         true,
			ReferencesProvider:         true,
			DocumentSymbolProvider:     true,
			DocumentFormattingProvider: true,
			RenameProvider:             &RenameOptions{PrepareProvider: true},
			CodeActionProvider:         &CodeActionOptions{CodeActionKinds: []string{"quickfix"}},
		},
		ServerInfo: &ServerInfo{Name: "archform", Version: s.opts.Version},
	}, nil
}

func (s *Server) didOpen(params json.RawMessage) error {
	var p DidOpenTextDocumentParams
	if err := decodeParams(params, &p); err != nil {
		return err
	}
	doc := &document{uri: p.TextDocument.URI, version: p.TextDocument.Version, text: newText(p.TextDocument.Text)}
	doc.path, _ = uriToPath(doc.uri)
	s.docs[doc.uri] = doc
	s.ws.open(doc)
	s.touch(doc.uri)
	return nil
}

func (s *Server) didChange(params json.RawMessage) error {
	var p DidChangeTextDocumentParams
	if err := decodeParams(params, &p); err != nil {
		return err
	}
	doc, ok := s.docs[p.TextDocument.URI]
	if !ok {
		return fmt.Errorf("change of a document that is not open: %s", p.TextDocument.URI)
	}
	for _, c := range p.ContentChanges {
		doc.text = newText(doc.text.apply(c))
	}
	doc.version = p.TextDocument.Version
	s.ws.open(doc)
	s.touch(doc.uri)
	return nil
}

func (s *Server) didClose(params json.RawMessage) error {
	var p DidCloseTextDocumentParams
	if err := decodeParams(params, &p); err != nil {
		return err
	}
	doc, ok := s.docs[p.TextDocument.URI]
	if !ok {
		return nil
	}
	delete(s.docs, doc.uri)
	s.ws.close(doc)
	s.touch(doc.uri)
	return nil
}

func (s *Server) didSave(params json.RawMessage) error {
	var p DidSaveTextDocumentParams
	if err := decodeParams(params, &p); err != nil {
		return err
	}
	s.touch(p.TextDocument.URI)
	return nil
}

func (s *Server) didChangeWatchedFiles(params json.RawMessage) error {
	var p struct {
		Changes []struct {
			URI string `json:"uri"`
		} `json:"changes"`
	}
	if err := decodeParams(params, &p); err != nil {
		return err
	}
	for _, c := range p.Changes {
		s.touch(c.URI)
	}
	return nil
}

// touch marks the design a document belongs to (or every design, for a
// configuration file) for analysis.
func (s *Server) touch(uri string) {
	if s.changed.IsZero() {
		s.changed = time.Now()
	}
	s.lastChange = time.Now()
	for _, key := range s.ws.affected(uri) {
		s.dirty[key] = true
	}
}

// analyzeDirty analyzes every design waiting for it and publishes the
// diagnostics that changed.
func (s *Server) analyzeDirty() {
	keys := make([]string, 0, len(s.dirty))
	for k := range s.dirty {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	clear(s.dirty)
	for _, k := range keys {
		func() {
			defer func() {
				if v := recover(); v != nil {
					s.panics.Add(1)
					s.logf("internal error analyzing %s: %v\n%s", k, v, debug.Stack())
				}
			}()
			for _, p := range s.ws.analyze(k, s.docs) {
				s.sendNotification("textDocument/publishDiagnostics", p)
			}
		}()
	}
	if s.opts.OnPublish != nil && !s.changed.IsZero() {
		s.opts.OnPublish(time.Since(s.changed))
	}
	s.changed = time.Time{}
}

// errorf is a request failure with a message for the user.
func errorf(format string, args ...any) *rpcError {
	return &rpcError{Code: codeRequestFailed, Message: fmt.Sprintf(format, args...)}
}

// isConfigName reports whether a path is a lint configuration file.
func isConfigName(path string) bool {
	return path == ".archform.hcl" || strings.HasSuffix(path, "/.archform.hcl") || strings.HasSuffix(path, `\.archform.hcl`)
}
