// Package baseline reads, writes and applies lint baselines: files of
// accepted findings keyed by rule, subject and message key (never by line),
// so that lint reports only what is new. It is part of the lint driver.
package baseline

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
)

// Version is the version of the baseline file format.
const Version = 1

// Baseline is a set of accepted findings: lint with a baseline reports only
// findings that are not in it. Entries are keyed by rule, subject and message
// key, never by line, so moving code does not break it.
type Baseline struct {
	Version int     `json:"version"`
	Entries []Entry `json:"findings"`
}

// Entry is one accepted problem, Count times.
type Entry struct {
	Rule    string `json:"rule"`
	Subject string `json:"subject"`
	Key     string `json:"key"`
	Count   int    `json:"count"`
	// Message is the finding's message when the baseline was written, for
	// people reading the file; matching ignores it.
	Message string `json:"message"`
}

type key struct{ rule, subject, key string }

func keyOf(f *analyze.Finding) key {
	return key{f.Rule, f.Subject, analyze.MessageKey(f)}
}

// Write writes the report's unsuppressed findings, and those a baseline
// already accepted (applied, which may be nil), as a baseline, sorted, as
// indented JSON.
func Write(w io.Writer, r *analyze.Report, applied *Applied) error {
	counts := map[key]*Entry{}
	add := func(f *analyze.Finding) {
		if f.Suppressed != nil {
			return
		}
		k := keyOf(f)
		if e, ok := counts[k]; ok {
			e.Count++
			return
		}
		counts[k] = &Entry{Rule: k.rule, Subject: k.subject, Key: k.key, Count: 1, Message: f.Message}
	}
	for _, f := range analyze.Ungroup(r.Findings) {
		add(&f)
	}
	if applied != nil {
		for i := range applied.Matched {
			add(&applied.Matched[i])
		}
	}
	b := Baseline{Version: Version, Entries: []Entry{}}
	for _, e := range counts {
		b.Entries = append(b.Entries, *e)
	}
	slices.SortFunc(b.Entries, compareEntries)
	return encodeJSON(w, b)
}

// encodeJSON writes v as indented JSON without HTML escaping (a message's
// "<" stays readable).
func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func compareEntries(a, b Entry) int {
	return cmp.Or(strings.Compare(a.Rule, b.Rule), strings.Compare(a.Subject, b.Subject), strings.Compare(a.Key, b.Key))
}

// Read decodes a baseline; name is used in errors.
func Read(rd io.Reader, name string) (*Baseline, error) {
	src, err := io.ReadAll(rd)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if len(strings.TrimSpace(string(src))) == 0 {
		return nil, fmt.Errorf("%s: not an archform baseline: the file is empty; write one with --write-baseline", name)
	}
	dec := json.NewDecoder(strings.NewReader(string(src)))
	dec.DisallowUnknownFields()
	var b Baseline
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("%s%s: not an archform baseline: %v", name, jsonErrorPos(src, err), err)
	}
	if dec.More() {
		rest := int64(len(src) - len(strings.TrimLeft(string(src[dec.InputOffset():]), " \t\r\n")))
		return nil, fmt.Errorf("%s%s: not an archform baseline: more after the baseline's object", name, posAt(src, rest))
	}
	if b.Version != Version {
		return nil, fmt.Errorf("%s: baseline version %d is not supported (want %d); write it again with --write-baseline", name, b.Version, Version)
	}
	for i, e := range b.Entries {
		if e.Rule == "" || e.Count < 1 {
			return nil, fmt.Errorf("%s: entry %d needs a rule and a count of at least 1", name, i+1)
		}
	}
	return &b, nil
}

// jsonErrorPos is ":LINE:COL" where a JSON decoding error happened, or "".
func jsonErrorPos(src []byte, err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn): // Offset is just past the offending byte
		return posAt(src, syn.Offset-1)
	case errors.As(err, &typ):
		return posAt(src, typ.Offset-1)
	}
	return ""
}

// posAt is ":LINE:COL" of byte offset off in src (columns count characters).
func posAt(src []byte, off int64) string {
	off = min(max(off, 0), int64(len(src)))
	before := src[:off]
	line := 1 + strings.Count(string(before), "\n")
	col := 1 + utf8.RuneCount(before[strings.LastIndexByte(string(before), '\n')+1:])
	return fmt.Sprintf(":%d:%d", line, col)
}

// Load reads a baseline file.
func Load(path string) (*Baseline, error) {
	data, err := lang.ReadInput(path, lang.MaxFileSize)
	if err != nil {
		return nil, err
	}
	return Read(bytes.NewReader(data), path)
}

// Applied is what applying a baseline did to a report: the findings it
// accepted and its entries that matched nothing.
type Applied struct {
	// Matched are the findings the baseline accepted (no longer in the
	// report's Findings).
	Matched []analyze.Finding
	// Stale are the entries (or the part of an entry's count) that matched
	// no finding, sorted.
	Stale []Entry
}

// Apply removes the findings the baseline accepts from r.Findings and returns
// them with the entries that matched nothing. Suppressed findings are left
// alone. Findings are matched in their sorted order, so the same input gives
// the same split. A grouped finding (analyze.Group) is matched member by
// member, and what the baseline does not accept is grouped again.
func Apply(r *analyze.Report, b *Baseline) *Applied {
	out := &Applied{}
	left := map[key]int{}
	for _, e := range b.Entries {
		left[key{e.Rule, e.Subject, e.Key}] += e.Count
	}
	var kept []analyze.Finding
	for _, f := range analyze.Ungroup(r.Findings) {
		k := keyOf(&f)
		if f.Suppressed == nil && left[k] > 0 {
			left[k]--
			out.Matched = append(out.Matched, f)
			continue
		}
		kept = append(kept, f)
	}
	r.Findings = analyze.Group(kept)
	for _, e := range b.Entries {
		k := key{e.Rule, e.Subject, e.Key}
		if n := left[k]; n > 0 {
			e.Count = min(n, e.Count)
			left[k] -= e.Count
			out.Stale = append(out.Stale, e)
		}
	}
	slices.SortFunc(out.Stale, compareEntries)
	return out
}
