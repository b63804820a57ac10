package lsp

import (
	"github.com/archform/archform/lintcmd/config"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/rules"
	"github.com/hashicorp/hcl/v2"
)

// RuleDocBase is where a rule's page is: a finding's diagnostic links to
// RuleDocBase + ID + ".md" (docs/rules/ID.md in the repository).
var RuleDocBase = "https://github.com/archform/archform/blob/main/docs/rules/"

// workspace holds what the server knows of the designs it has seen: each
// design's files (open buffers over the disk), their parsed form and the
// last analysis.
type workspace struct {
	opts    Options
	designs map[string]*designState // by key: a directory, or "uri:" + URI for a buffer that is no file
	parsed  map[string]*parsedFile  // by filename
	pieces  map[string]*pieceCache  // by filename
	disk    map[string]*diskFile    // by filename
	configs map[string]*document    // open configuration files by path
}

// designState is one design (a directory) and its last analysis.
type designState struct {
	key   string
	names []string           // filenames, lexical order
	files map[string]*source // by filename

	design *lang.Design // nil when nothing could be decoded
	diags  hcl.Diagnostics
	report *analyze.Report // nil when the design is invalid
	// good is the last valid design and its figures, kept while the
	// user's buffer does not decode so that hover still shows numbers.
	good        *lang.Design
	goodResults *analyze.Results

	published map[string][]Diagnostic // URI -> the diagnostics last sent
	idx       *index                  // syntax index, built on demand
	// cache keeps the decoded component blocks from one analysis to the
	// next, so that a keystroke decodes again only the block it changed.
	cache lang.DecodeCache
}

// source is one file of a design as the analysis read it.
type source struct {
	name string
	uri  string
	text *text
	file *hcl.File // nil when it could not be parsed at all
}

type parsedFile struct {
	content string
	file    *hcl.File
	diags   hcl.Diagnostics
}

type diskFile struct {
	mod     time.Time
	size    int64
	content string
}

func newWorkspace(opts Options) *workspace {
	if opts.Rules == nil {
		opts.Rules = rules.All
	}
	if opts.KnownRules == nil {
		opts.KnownRules = append([]*analyze.Analyzer{analyze.SuppressionAnalyzer}, opts.Rules...)
	}
	return &workspace{
		opts:    opts,
		designs: map[string]*designState{},
		parsed:  map[string]*parsedFile{},
		pieces:  map[string]*pieceCache{},
		disk:    map[string]*diskFile{},
		configs: map[string]*document{},
	}
}

// uriToPath returns the file path of a file: URI.
func uriToPath(uri string) (string, bool) {
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "file" || u.Path == "" {
		return "", false
	}
	p := u.Path
	if runtime.GOOS == "windows" && len(p) > 2 && p[0] == '/' && p[2] == ':' {
		p = p[1:]
	}
	return filepath.Clean(filepath.FromSlash(p)), true
}

// pathToURI returns the file: URI of a path.
func pathToURI(path string) string {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}

// keyOf is the design a document belongs to ("" for none: not a design file).
func keyOf(doc *document) string {
	if doc.path == "" {
		return "uri:" + doc.uri
	}
	if lang.IsDesignFile(doc.path) {
		return filepath.Dir(doc.path)
	}
	return ""
}

func (w *workspace) open(doc *document) {
	if doc.path != "" && isConfigName(doc.path) {
		w.configs[doc.path] = doc
	}
}

func (w *workspace) close(doc *document) {
	if doc.path != "" {
		delete(w.configs, doc.path)
	}
}

// affected lists the designs to analyze again after a change of uri: its
// own, or for a configuration file, itself and every known design below it.
func (w *workspace) affected(uri string) []string {
	path, isFile := uriToPath(uri)
	if isFile && isConfigName(path) {
		keys := []string{"config:" + path}
		dir := filepath.Dir(path)
		for k := range w.designs {
			if k == dir || strings.HasPrefix(k, dir+string(filepath.Separator)) {
				keys = append(keys, k)
			}
		}
		return keys
	}
	if !isFile {
		return []string{"uri:" + uri}
	}
	if lang.IsDesignFile(path) {
		return []string{filepath.Dir(path)}
	}
	return nil
}

// analyze reads, decodes and lints one design (or checks one configuration
// file) and returns the diagnostics to publish: those of every file whose
// diagnostics changed since last time, and empty ones for files that had
// some and are no longer part of the design.
func (w *workspace) analyze(key string, docs map[string]*document) []PublishDiagnosticsParams {
	if path, ok := strings.CutPrefix(key, "config:"); ok {
		return w.analyzeConfig(key, path, docs)
	}
	ds := w.designs[key]
	if ds == nil {
		ds = &designState{key: key, published: map[string][]Diagnostic{}}
		w.designs[key] = ds
	}
	w.load(ds, docs)
	if len(ds.names) == 0 {
		// No design file left (the buffer closed, the file deleted).
		delete(w.designs, key)
		return w.publish(ds, nil)
	}
	perURI := map[string][]Diagnostic{}
	for _, name := range ds.names {
		perURI[ds.files[name].uri] = nil
	}
	var parseDiags hcl.Diagnostics
	hclFiles := make([]*hcl.File, len(ds.names))
	for i, name := range ds.names {
		p := w.parsed[name]
		hclFiles[i] = p.file
		parseDiags = append(parseDiags, p.diags...)
	}
	d, diags := lang.DecodeFiles(ds.names, hclFiles, lang.Options{Cache: &ds.cache})
	diags = append(parseDiags, diags...)
	ds.design, ds.diags, ds.report = d, diags, nil
	for _, dg := range diags {
		w.addHCLDiagnostic(ds, perURI, dg)
	}
	if d != nil && !diags.HasErrors() {
		d.Dir = key
		cfg := w.config(key, docs)
		rep, err := analyze.Run(d, w.opts.Rules, cfg)
		if rep != nil {
			ds.report = rep
			ds.good = d
			if res, rerr := rep.Results(); rerr == nil {
				ds.goodResults = res
			}
			for _, f := range rep.Findings {
				w.addFinding(ds, perURI, f)
			}
		}
		_ = err // internal errors of rules: the report holds the others' findings
	}
	return w.publish(ds, perURI)
}

// load refreshes a design's list of files and their content and parse.
func (w *workspace) load(ds *designState, docs map[string]*document) {
	byName := map[string]*source{}
	if uri, ok := strings.CutPrefix(ds.key, "uri:"); ok {
		if doc, ok := docs[uri]; ok {
			byName[uri] = &source{name: uri, uri: uri, text: doc.text}
		}
	} else {
		for _, doc := range docs {
			if doc.path != "" && lang.IsDesignFile(doc.path) && filepath.Dir(doc.path) == ds.key {
				byName[doc.path] = &source{name: doc.path, uri: doc.uri, text: doc.text}
			}
		}
		if names, diags := lang.DesignFiles(ds.key); !diags.HasErrors() {
			for _, name := range names {
				if byName[name] != nil {
					continue
				}
				content, ok := w.readDisk(name)
				if !ok {
					continue
				}
				byName[name] = &source{name: name, uri: pathToURI(name), text: newText(content)}
			}
		}
	}
	for _, name := range ds.names {
		if byName[name] == nil { // a file gone from the design: forget its parse
			delete(w.parsed, name)
			delete(w.pieces, name)
			delete(w.disk, name)
		}
	}
	ds.names = ds.names[:0]
	for name := range byName {
		ds.names = append(ds.names, name)
	}
	sort.Strings(ds.names)
	ds.files = byName
	ds.idx = nil
	for _, name := range ds.names {
		src := byName[name]
		p := w.parsed[name]
		if p == nil || p.content != src.text.s {
			p = &parsedFile{content: src.text.s}
			pc := w.pieces[name]
			if pc == nil {
				pc = &pieceCache{}
				w.pieces[name] = pc
			}
			p.file, p.diags = pc.parse(src.text.s, name)
			w.parsed[name] = p
		}
		src.file = p.file
	}
}

// readDisk returns a file's content, read again only when its size or
// modification time changed.
func (w *workspace) readDisk(name string) (string, bool) {
	info, err := os.Stat(name)
	if err != nil || info.IsDir() || info.Size() > lang.MaxFileSize {
		delete(w.disk, name)
		return "", false
	}
	if f := w.disk[name]; f != nil && f.mod.Equal(info.ModTime()) && f.size == info.Size() {
		return f.content, true
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return "", false
	}
	w.disk[name] = &diskFile{mod: info.ModTime(), size: info.Size(), content: string(b)}
	return string(b), true
}

// config returns the lint configuration of a design: the .archform.hcl
// found as `archform lint` finds it (an open buffer's text over the disk's),
// or the default one when there is none or it is invalid (its own
// diagnostics say why).
func (w *workspace) config(key string, docs map[string]*document) *analyze.Config {
	if strings.HasPrefix(key, "uri:") {
		return analyze.DefaultConfig()
	}
	path, err := config.Find(key)
	if err != nil || path == "" {
		return analyze.DefaultConfig()
	}
	var src []byte
	if doc := w.configs[path]; doc != nil {
		src = []byte(doc.text.s)
	} else if content, ok := w.readDisk(path); ok {
		src = []byte(content)
	} else {
		return analyze.DefaultConfig()
	}
	cfg, diags := config.Parse(src, path, w.opts.KnownRules)
	if cfg == nil || diags.HasErrors() {
		return analyze.DefaultConfig()
	}
	return cfg
}

// analyzeConfig checks an open configuration file.
func (w *workspace) analyzeConfig(key, path string, docs map[string]*document) []PublishDiagnosticsParams {
	ds := w.designs[key]
	if ds == nil {
		ds = &designState{key: key, published: map[string][]Diagnostic{}}
		w.designs[key] = ds
	}
	doc := w.configs[path]
	if doc == nil {
		delete(w.designs, key)
		return w.publish(ds, nil)
	}
	src := &source{name: path, uri: doc.uri, text: doc.text}
	ds.names = []string{path}
	ds.files = map[string]*source{path: src}
	perURI := map[string][]Diagnostic{doc.uri: nil}
	_, diags := config.Parse([]byte(doc.text.s), path, w.opts.KnownRules)
	for _, dg := range diags {
		w.addHCLDiagnostic(ds, perURI, dg)
	}
	return w.publish(ds, perURI)
}

// publish returns the diagnostics that changed since the last publication.
func (w *workspace) publish(ds *designState, perURI map[string][]Diagnostic) []PublishDiagnosticsParams {
	var out []PublishDiagnosticsParams
	uris := make([]string, 0, len(perURI))
	for uri := range perURI {
		uris = append(uris, uri)
	}
	for uri := range ds.published {
		if _, ok := perURI[uri]; !ok {
			uris = append(uris, uri)
		}
	}
	sort.Strings(uris)
	for _, uri := range uris {
		list := perURI[uri]
		if list == nil {
			list = []Diagnostic{}
		}
		if prev, ok := ds.published[uri]; ok && reflect.DeepEqual(prev, list) {
			continue
		}
		if _, inDesign := perURI[uri]; !inDesign {
			delete(ds.published, uri)
		} else {
			ds.published[uri] = list
		}
		out = append(out, PublishDiagnosticsParams{URI: uri, Diagnostics: list})
	}
	return out
}

// location converts an HCL range in one of the design's files.
func (ds *designState) location(r hcl.Range) (Location, bool) {
	src, ok := ds.files[r.Filename]
	if !ok {
		return Location{}, false
	}
	return Location{URI: src.uri, Range: src.text.rng(r)}, true
}

func (w *workspace) addHCLDiagnostic(ds *designState, perURI map[string][]Diagnostic, dg *hcl.Diagnostic) {
	var loc Location
	ok := false
	if dg.Subject != nil {
		loc, ok = ds.location(*dg.Subject)
	}
	if !ok {
		if len(ds.names) == 0 {
			return
		}
		// No place in a file (or a file outside the design): the top of
		// the design's first file.
		loc = Location{URI: ds.files[ds.names[0]].uri}
	}
	sev := SeverityError
	if dg.Severity == hcl.DiagWarning {
		sev = SeverityWarning
	}
	msg := dg.Summary
	if dg.Detail != "" {
		msg += ": " + dg.Detail
	}
	perURI[loc.URI] = append(perURI[loc.URI], Diagnostic{Range: loc.Range, Severity: sev, Source: "archform", Message: msg})
}

func (w *workspace) addFinding(ds *designState, perURI map[string][]Diagnostic, f analyze.Finding) {
	if f.Suppressed != nil {
		return
	}
	loc, ok := ds.location(f.Range)
	if !ok {
		return
	}
	sev := SeverityInformation
	switch f.Severity {
	case analyze.Error:
		sev = SeverityError
	case analyze.Warning:
		sev = SeverityWarning
	}
	msg := f.Message
	if f.Detail != "" {
		msg += "\n" + f.Detail
	}
	dg := Diagnostic{
		Range:           loc.Range,
		Severity:        sev,
		Code:            f.Rule,
		CodeDescription: &CodeDescription{Href: RuleDocBase + f.Rule + ".md"},
		Source:          "archform",
		Message:         msg,
		Data:            &DiagnosticData{Rule: f.Rule, Subject: f.Subject},
	}
	for _, rel := range f.Related {
		if rl, ok := ds.location(rel.Range); ok {
			dg.RelatedInformation = append(dg.RelatedInformation, DiagnosticRelatedInformation{Location: rl, Message: rel.Message})
		}
	}
	perURI[loc.URI] = append(perURI[loc.URI], dg)
}
