package analyze

import (
	"cmp"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// BaselineVersion is the version of the baseline file format.
const BaselineVersion = 1

// Baseline is a set of accepted findings: lint with a baseline reports only
// findings that are not in it. Entries are keyed by rule, subject and message
// key, never by line, so moving code does not break it.
type Baseline struct {
	Version int             `json:"version"`
	Entries []BaselineEntry `json:"findings"`
}

// BaselineEntry is one accepted problem, Count times.
type BaselineEntry struct {
	Rule    string `json:"rule"`
	Subject string `json:"subject"`
	Key     string `json:"key"`
	Count   int    `json:"count"`
	// Message is the finding's message when the baseline was written, for
	// people reading the file; matching ignores it.
	Message string `json:"message"`
}

type baselineKey struct{ rule, subject, key string }

func keyOf(f *Finding) baselineKey {
	return baselineKey{f.Rule, f.Subject, MessageKey(f)}
}

// MessageKey is what identifies a finding within its rule and subject: its
// Key, or else its message with every number replaced by "#", so that a
// changed figure or line number does not make it a new finding.
func MessageKey(f *Finding) string {
	if f.Key != "" {
		return f.Key
	}
	return blankNumbers(f.Message)
}

// blankNumbers replaces each number that stands on its own ("0.833", "12",
// "1e-3"), not digits inside a name ("r1", "us-east-1"), with "#".
func blankNumbers(s string) string {
	var b strings.Builder
	prev, prev2 := ' ', ' '
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		inName := partOfName(prev) && !((prev == '-' || prev == '.') && !partOfName(prev2))
		if unicode.IsDigit(r) && !inName {
			j := i
			for j < len(s) && (isASCIIDigit(s[j]) || (s[j] == '.' && j+1 < len(s) && isASCIIDigit(s[j+1]))) {
				j++
			}
			if j+1 < len(s) && (s[j] == 'e' || s[j] == 'E') {
				k := j + 1
				if s[k] == '-' || s[k] == '+' {
					k++
				}
				if k < len(s) && isASCIIDigit(s[k]) {
					for j = k; j < len(s) && isASCIIDigit(s[j]); j++ {
					}
				}
			}
			b.WriteByte('#')
			prev, prev2 = '0', '0'
			i = j
			continue
		}
		b.WriteRune(r)
		prev, prev2 = r, prev
		i += n
	}
	return b.String()
}

func isASCIIDigit(c byte) bool { return '0' <= c && c <= '9' }

func partOfName(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-' || r == '.'
}

// Fingerprint is a finding's identity across runs: a hash (FNV-1a, 128
// bits) of its rule, subject and message key (no line numbers), for SARIF
// partialFingerprints. It needs no cryptographic strength, and
// crypto/sha256 would link the FIPS 140 module, whose package
// initialisation costs every archform start.
func Fingerprint(f *Finding) string {
	k := keyOf(f)
	h := fnv.New128a()
	io.WriteString(h, k.rule+"\x00"+k.subject+"\x00"+k.key)
	return hex.EncodeToString(h.Sum(nil))
}

// WriteBaseline writes the report's unsuppressed findings (those a baseline
// already accepted included) as a baseline, sorted, as indented JSON.
func WriteBaseline(w io.Writer, r *Report) error {
	counts := map[baselineKey]*BaselineEntry{}
	add := func(f *Finding) {
		if f.Suppressed != nil {
			return
		}
		k := keyOf(f)
		if e, ok := counts[k]; ok {
			e.Count++
			return
		}
		counts[k] = &BaselineEntry{Rule: k.rule, Subject: k.subject, Key: k.key, Count: 1, Message: f.Message}
	}
	for i := range r.Findings {
		add(&r.Findings[i])
	}
	for i := range r.Baselined {
		add(&r.Baselined[i])
	}
	b := Baseline{Version: BaselineVersion, Entries: []BaselineEntry{}}
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

func compareEntries(a, b BaselineEntry) int {
	return cmp.Or(strings.Compare(a.Rule, b.Rule), strings.Compare(a.Subject, b.Subject), strings.Compare(a.Key, b.Key))
}

// ReadBaseline decodes a baseline; name is used in errors.
func ReadBaseline(rd io.Reader, name string) (*Baseline, error) {
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
	if b.Version != BaselineVersion {
		return nil, fmt.Errorf("%s: baseline version %d is not supported (want %d); write it again with --write-baseline", name, b.Version, BaselineVersion)
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

// LoadBaseline reads a baseline file.
func LoadBaseline(path string) (*Baseline, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadBaseline(f, path)
}

// ApplyBaseline moves the findings the baseline accepts from Findings to
// Baselined and lists the entries (or the part of an entry's count) that
// matched nothing in Stale. Suppressed findings are left alone. Findings
// are matched in their sorted order, so the same input gives the same split.
func (r *Report) ApplyBaseline(b *Baseline) {
	left := map[baselineKey]int{}
	for _, e := range b.Entries {
		left[baselineKey{e.Rule, e.Subject, e.Key}] += e.Count
	}
	kept := r.Findings[:0:0]
	for _, f := range r.Findings {
		k := keyOf(&f)
		if f.Suppressed == nil && left[k] > 0 {
			left[k]--
			r.Baselined = append(r.Baselined, f)
			continue
		}
		kept = append(kept, f)
	}
	r.Findings = kept
	r.Stale = nil
	for _, e := range b.Entries {
		k := baselineKey{e.Rule, e.Subject, e.Key}
		if n := left[k]; n > 0 {
			e.Count = min(n, e.Count)
			left[k] -= e.Count
			r.Stale = append(r.Stale, e)
		}
	}
	slices.SortFunc(r.Stale, compareEntries)
}
