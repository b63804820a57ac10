// Package dataprotection is the rule that follows classified data: a
// datastore that keeps confidential, pii or secret data must encrypt it at
// rest and be reached over TLS, and a flow that carries such data must carry
// it over TLS on every call and store it only encrypted at rest.
package dataprotection

import (
	_ "embed"
	"fmt"
	"strings"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
)

//go:embed doc.md
var doc string

// Analyzer is the data-protection rule.
var Analyzer = &analyze.Analyzer{
	ID:       "data-protection",
	Summary:  "confidential, pii or secret data stored without encryption at rest, or carried over a call without TLS (the flow's path is shown)",
	Problem:  analyze.Noun{One: "unprotected sensitive data", Many: "unprotected sensitive data"},
	Doc:      doc,
	Severity: analyze.Warning,
	Run:      run,
}

// levels are the sensitive classifications, most sensitive first: a call or
// store reported for one is not reported again for a lesser one.
var levels = []string{"secret", "pii", "confidential"}

// atRest reports whether a store keeps what it holds encrypted on disk, or
// keeps nothing on disk (a cache without persistence).
func atRest(c *lang.Component) bool {
	if c.Kind == lang.KindCache && (c.Persistence == "" || c.Persistence == "none") {
		return true
	}
	return c.Data != nil && c.Data.EncryptedAtRest
}

type checker struct {
	pass      *analyze.Pass
	doneStore map[*lang.Component]bool
	doneCall  map[*lang.Call]bool
}

func run(pass *analyze.Pass) error {
	d := pass.Design
	ck := &checker{pass: pass, doneStore: map[*lang.Component]bool{}, doneCall: map[*lang.Call]bool{}}
	// What the stores say they keep.
	for _, c := range d.Components {
		if c.Kind.Stateful() && c.Data.Sensitive() {
			ck.store(d, c)
		}
	}
	// What the flows carry: one traversal per classification and op, from
	// the entries of every flow that carries it; each component and call is
	// visited once per traversal.
	for _, level := range levels {
		for _, op := range []lang.Op{lang.OpRead, lang.OpWrite, lang.OpReadWrite} {
			var flows []*lang.Flow
			for _, f := range d.Flows {
				if f.Data != nil && f.Data.Classification == level && f.Op == op && f.Entry != nil {
					flows = append(flows, f)
				}
			}
			if len(flows) > 0 {
				ck.flows(d, level, op, flows)
			}
		}
	}
	return nil
}

// store reports a classified store not encrypted at rest, and the callers
// and consumers that reach it without TLS.
func (ck *checker) store(d *lang.Design, c *lang.Component) {
	class := c.Data.Classification
	if !atRest(c) {
		ck.doneStore[c] = true
		ck.pass.Report(analyze.Finding{
			Subject: c.Addr,
			Range:   c.Range("data.classification"),
			Message: fmt.Sprintf("%s keeps %s data and is not encrypted at rest", c.Addr, class),
			Detail:  "A stolen disk, snapshot or backup, or a volume attached to the wrong instance, gives the data away: set data { encrypted_at_rest = true } once the engine or the volume encrypts it (TDE, encrypted EBS volumes, SSE-KMS).",
			Key:     "at rest",
			Data:    map[string]any{"classification": class},
		})
	}
	var plain []string
	var first *lang.Call
	for _, in := range d.Incoming(c) {
		if !in.Encrypted() {
			ck.doneCall[in] = true
			plain = append(plain, in.From.Addr)
			if first == nil {
				first = in
			}
		}
	}
	if !c.TLS {
		for _, cs := range d.Consumers(c) {
			plain = append(plain, cs.Consumer.Addr+" (consumer)")
		}
	}
	if len(plain) == 0 {
		return
	}
	f := analyze.Finding{
		Subject: c.Addr,
		Range:   c.Range("tls"),
		Message: fmt.Sprintf("%s keeps %s data, but is reached without TLS from %s", c.Addr, class, strings.Join(plain, ", ")),
		Detail:  "Whoever can read the network between them reads the data in flight: set tls = true on " + c.Addr + " (it accepts only TLS) or on each call.",
		Key:     "in transit",
		Data:    map[string]any{"classification": class, "plaintext_from": plain},
	}
	if first != nil {
		f.Related = []analyze.Related{{Message: "the call from " + first.From.Addr, Range: first.DeclRange}}
	}
	ck.pass.Report(f)
}

// flows follows the flows of one classification and op from their entries
// along the calls whose op carries it (sync or async) and from queues to
// their consumers, and reports each plaintext call and each store not
// encrypted at rest once, with the path that brings the data there.
func (ck *checker) flows(d *lang.Design, level string, op lang.Op, flows []*lang.Flow) {
	parent := map[*lang.Component]*lang.Component{}
	owner := map[*lang.Component]*lang.Flow{}
	var queue []*lang.Component
	for _, f := range flows {
		if _, ok := owner[f.Entry]; !ok {
			owner[f.Entry] = f
			parent[f.Entry] = nil
			queue = append(queue, f.Entry)
		}
	}
	path := func(c *lang.Component) string {
		var rev []string
		for n := c; n != nil; n = parent[n] {
			rev = append(rev, n.Addr)
		}
		for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
			rev[i], rev[j] = rev[j], rev[i]
		}
		return strings.Join(rev, " → ")
	}
	visit := func(t, from *lang.Component) {
		if _, ok := owner[t]; ok {
			return
		}
		owner[t] = owner[from]
		parent[t] = from
		queue = append(queue, t)
	}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		f := owner[c]
		if c.Kind.Stateful() && !atRest(c) && !ck.doneStore[c] {
			ck.doneStore[c] = true
			ck.pass.Report(analyze.Finding{
				Subject: c.Addr,
				Range:   c.DeclRange,
				Message: fmt.Sprintf("flow %q carries %s data to %s, which is not encrypted at rest: %s", f.Name, level, c.Addr, path(c)),
				Detail:  "Declare what the store keeps and that it is encrypted: data { classification = \"" + level + "\", encrypted_at_rest = true }, once the engine or the volume encrypts it.",
				Key:     "at rest",
				Data:    map[string]any{"flow": f.Name, "classification": level, "path": path(c)},
			})
		}
		for _, call := range c.Calls {
			if call.To == nil || !call.Op.Matches(op) {
				continue
			}
			if !call.Encrypted() && !ck.doneCall[call] {
				ck.doneCall[call] = true
				ck.pass.Report(analyze.Finding{
					Subject: c.Addr,
					Range:   call.Range("tls"),
					Message: fmt.Sprintf("flow %q carries %s data over %s → %s without TLS: %s → %s", f.Name, level, c.Addr, call.To.Addr, path(c), call.To.Addr),
					Detail:  "Set tls = true on the call, or on " + call.To.Addr + " (it accepts only TLS).",
					Key:     "in transit " + call.To.Addr,
					Data:    map[string]any{"flow": f.Name, "classification": level},
				})
			}
			visit(call.To, c)
		}
		if c.Kind == lang.KindQueue {
			for _, cs := range d.Consumers(c) {
				visit(cs.Consumer, c)
			}
		}
	}
}
