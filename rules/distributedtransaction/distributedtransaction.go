// Package distributedtransaction is the rule that checks the writes one
// request of a flow makes to several stores: without a transaction block a
// failure between them leaves some written and the others not; an outbox
// covers one database and the queues its writer publishes to; two-phase
// commit needs stores that speak XA and costs availability; a saga needs a
// compensation for every step.
package distributedtransaction

import (
	_ "embed"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/rules/internal/formula"
)

//go:embed doc.md
var doc string

// Analyzer is the distributed-transaction rule.
var Analyzer = &analyze.Analyzer{
	ID:       "distributed-transaction",
	Summary:  "a flow writing two or more stores with no saga, 2PC or outbox; an outbox over more than one database; 2PC over stores without XA, and its availability cost; a saga step with no compensation",
	Problem:  analyze.Noun{One: "unsafe multi-store write", Many: "unsafe multi-store writes"},
	Doc:      doc,
	Severity: analyze.Warning,
	Run:      run,
}

// xa lists the database engines that take part in two-phase commit as XA
// resource managers (PostgreSQL PREPARE TRANSACTION, MySQL and MariaDB XA,
// SQL Server through MSDTC, Oracle).
var xa = map[string]bool{"postgres": true, "mysql": true, "mariadb": true, "sqlserver": true, "oracle": true}

// write is one store a request of the flow writes, with the first call that
// writes it.
type write struct {
	store *lang.Component
	call  *lang.Call
}

func (w write) queue() bool { return w.store.Kind == lang.KindQueue }

// stores reports whether a component kind holds data whose writes a
// transaction must cover.
func store(c *lang.Component) bool {
	switch c.Kind {
	case lang.KindDatabase, lang.KindStorage, lang.KindSearch, lang.KindQueue:
		return true
	}
	return false
}

// carriesWrites reports whether a call is made for the write requests of its
// caller.
func carriesWrites(c *lang.Call) bool { return c.Op == lang.OpWrite || c.Op == lang.OpReadWrite }

// writes returns the stores one write request entering at entry writes, in
// the order a breadth-first walk meets them: databases, object storage and
// search indexes written through sync calls, and queues written by any call
// of a component the request reaches. The walk follows the write class as
// the analysis does: sync calls whose op carries writes, and a
// write_through or write_back cache's origin. A database's own call to a
// queue is change data capture (its commit log published): it commits with
// the database, so it is not a second write. Queues end the walk (what
// their consumers do is off the request's path), and so do async calls.
func writes(entry *lang.Component) []write {
	var out []write
	seen := map[*lang.Component]bool{entry: true}
	written := map[*lang.Component]bool{}
	queue := []*lang.Component{entry}
	visit := func(c *lang.Component) {
		if !seen[c] {
			seen[c] = true
			queue = append(queue, c)
		}
	}
	for i := 0; i < len(queue); i++ {
		c := queue[i]
		for _, call := range c.Calls {
			t := call.To
			if t == nil || !carriesWrites(call) {
				continue
			}
			if t.Kind != lang.KindQueue && !call.Sync() {
				continue
			}
			if t.Kind == lang.KindQueue && c.Kind == lang.KindDatabase {
				continue // change data capture: the events come from the database's own commit log
			}
			if store(t) && !written[t] {
				written[t] = true
				out = append(out, write{store: t, call: call})
			}
			if t.Kind == lang.KindQueue {
				continue
			}
			visit(t)
		}
		if c.Kind == lang.KindCache && c.Origin != nil && (c.Strategy == "write_through" || c.Strategy == "write_back") {
			if store(c.Origin) && !written[c.Origin] {
				written[c.Origin] = true
				out = append(out, write{store: c.Origin})
			}
			visit(c.Origin)
		}
	}
	return out
}

func run(pass *analyze.Pass) error {
	r := pass.Results()
	if r == nil {
		return nil
	}
	for _, name := range r.FlowOrder {
		fr := r.Flows[name]
		if fr == nil || fr.Entry == nil || fr.Op == lang.OpRead {
			continue
		}
		if fr.Flow == nil && fr.Entry.ReadRatio >= 1 {
			continue // an implicit flow of a client that only reads
		}
		ws := writes(fr.Entry)
		var tx *lang.Transaction
		if fr.Flow != nil {
			tx = fr.Flow.Transaction
		}
		switch {
		case tx == nil:
			if len(ws) >= 2 {
				pass.Report(unprotected(fr, ws))
			}
		case len(ws) < 2:
			pass.Report(needless(fr, tx, ws))
		case tx.Mode == "outbox":
			outbox(pass, fr, tx, ws)
		case tx.Mode == "2pc":
			twoPhase(pass, r, fr, tx, ws)
		case tx.Mode == "saga":
			saga(pass, fr, tx, ws)
		}
	}
	return nil
}

func names(ws []write) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.store.Addr
	}
	return out
}

// hasOp reports whether call states its op.
func hasOp(call *lang.Call) bool {
	_, ok := call.Ranges["op"]
	return ok
}

func related(ws []write) []analyze.Related {
	var out []analyze.Related
	for _, w := range ws {
		if w.call != nil && !hasOp(w.call) {
			out = append(out, analyze.Related{Message: w.call.From.Addr + " calls " + w.store.Addr + " with no op (read and write assumed)", Range: w.call.DeclRange})
		} else if w.call != nil {
			out = append(out, analyze.Related{Message: w.call.From.Addr + " writes " + w.store.Addr, Range: w.call.DeclRange})
		} else {
			out = append(out, analyze.Related{Message: w.store.Addr + " is written through its cache", Range: w.store.DeclRange})
		}
	}
	return out
}

// split returns the stores that are not queues and the queues.
func split(ws []write) (stores, queues []write) {
	for _, w := range ws {
		if w.queue() {
			queues = append(queues, w)
		} else {
			stores = append(stores, w)
		}
	}
	return stores, queues
}

func quoted(f *analyze.FlowResult) string {
	if f.Flow == nil {
		return f.Subject() + "'s implicit flow"
	}
	return fmt.Sprintf("flow %q", f.Name)
}

func unprotected(fr *analyze.FlowResult, ws []write) analyze.Finding {
	stores, queues := split(ws)
	fix := `transaction { mode = "saga" } with a compensate block for each store`
	if len(stores) == 1 && len(queues) > 0 {
		fix = `transaction { mode = "outbox" }: write the messages to an outbox table of ` + stores[0].store.Addr + ` in the same local transaction, and relay them to ` + formula.List(names(queues))
	}
	where := "the flow block"
	if fr.Flow == nil {
		where = "a flow block for these writes (implicit flows take no transaction block)"
	}
	// A call that states no op is taken to read and write (the
	// language's default): when no write states its op, as in an
	// imported design, the writes are an assumption and the finding
	// says so.
	verb, assumed, ifRead := "writes", "", ""
	if !slices.ContainsFunc(ws, func(w write) bool { return w.call == nil || hasOp(w.call) }) {
		verb, assumed = "may write", " (no call to them states its op, so each is taken to read and write)"
		ifRead = " If the calls only read, say so on them: op = \"read\"."
	}
	return analyze.Finding{
		Message: fmt.Sprintf("%s %s %d stores in one request with no transaction: %s%s; a failure between the writes leaves some written and the others not",
			quoted(fr), verb, len(ws), formula.List(names(ws)), assumed),
		Detail: fmt.Sprintf("Each store commits on its own: when the process or a store fails after the first write and before the last, the request is half done (an order with no payment, a payment with no event). "+
			"State how the writes stay atomic on %s: %s; or 2pc when every store speaks XA.%s", where, fix, ifRead),
		Subject: fr.Subject(),
		Key:     "no transaction",
		Range:   fr.DeclRange(),
		Related: related(ws),
		Data:    map[string]any{"stores": names(ws)},
	}
}

func needless(fr *analyze.FlowResult, tx *lang.Transaction, ws []write) analyze.Finding {
	what := "no store"
	if len(ws) == 1 {
		what = "one store, " + ws[0].store.Addr + ", whose local transaction is atomic already"
	}
	return analyze.Finding{
		Severity: analyze.Info,
		Message:  fmt.Sprintf("%s declares a %s transaction but its requests write %s", quoted(fr), tx.Mode, what),
		Detail:   "A transaction across stores is needed only where one request writes two or more (databases, object storage, search indexes through sync calls, queues through any call). Check the calls: a write the flow makes may have op = \"read\" or mode = \"async\".",
		Subject:  fr.Subject(),
		Key:      "transaction over fewer than two stores",
		Range:    tx.DeclRange,
		Data:     map[string]any{"stores": names(ws), "mode": tx.Mode},
	}
}

// outbox checks that the writes are one store and queues that the store's
// writer publishes to.
func outbox(pass *analyze.Pass, fr *analyze.FlowResult, tx *lang.Transaction, ws []write) {
	stores, queues := split(ws)
	if len(stores) != 1 || len(queues) == 0 {
		why := fmt.Sprintf("it writes %d stores that are not queues (%s)", len(stores), formula.List(names(stores)))
		if len(stores) == 1 {
			why = "it publishes to no queue"
		}
		pass.Report(analyze.Finding{
			Message: fmt.Sprintf("%s uses an outbox, which makes one database and the queues it publishes to atomic, but %s", quoted(fr), why),
			Detail: "An outbox is a table in the service's own database, written in the same local transaction as the data; a relay publishes its rows to the queue afterwards. " +
				"It cannot make two databases atomic: use a saga (with compensations) or 2PC for those, and the outbox for the events of each.",
			Subject: fr.Subject(),
			Key:     "outbox over several stores",
			Range:   tx.Range("mode"),
			Related: related(ws),
			Data:    map[string]any{"stores": names(stores), "queues": names(queues)},
		})
		return
	}
	db := stores[0]
	for _, q := range queues {
		if db.call != nil && q.call.From != db.call.From {
			pass.Report(analyze.Finding{
				Message: fmt.Sprintf("%s uses an outbox, but %s publishes to %s and %s writes %s: the outbox table must be written by the publisher, in its own database's transaction",
					quoted(fr), q.call.From.Addr, q.store.Addr, db.call.From.Addr, db.store.Addr),
				Detail:  "The outbox pattern needs the data and the message in one local transaction of one service. Here two services write: move the publish to " + db.call.From.Addr + " (its outbox, relayed to " + q.store.Addr + "), or make the steps a saga.",
				Subject: fr.Subject(),
				Key:     "outbox publisher is not the writer of " + q.store.Addr,
				Range:   q.call.DeclRange,
				Related: related([]write{db}),
				Data:    map[string]any{"store": db.store.Addr, "queue": q.store.Addr},
			})
		}
	}
}

// twoPhase checks that every participant speaks XA and reports what 2PC
// costs in availability.
func twoPhase(pass *analyze.Pass, r *analyze.Results, fr *analyze.FlowResult, tx *lang.Transaction, ws []write) {
	var bad []string
	for _, w := range ws {
		if w.store.Kind != lang.KindDatabase || !xa[w.store.Engine] {
			eng := w.store.Engine
			if eng == "" {
				eng = "no engine"
			}
			bad = append(bad, fmt.Sprintf("%s (%s)", w.store.Addr, eng))
		}
	}
	if len(bad) > 0 {
		pass.Report(analyze.Finding{
			Severity: analyze.Error,
			Message:  fmt.Sprintf("%s uses two-phase commit, but %s cannot take part in it: no XA prepare", quoted(fr), formula.List(bad)),
			Detail: "Two-phase commit needs every participant to prepare (make the write durable and hold its locks) and then commit or abort on the coordinator's word: PostgreSQL, MySQL, MariaDB, SQL Server and Oracle do (XA). " +
				"Kafka, other queues, object storage, search indexes and most NoSQL stores do not. Use an outbox for the queue's messages, or a saga.",
			Subject: fr.Subject(),
			Key:     "2pc without XA",
			Range:   tx.Range("mode"),
			Related: related(ws),
			Data:    map[string]any{"not_xa": bad},
		})
	}
	// The coordinator is the first writer; every participant and the
	// coordinator must be up for a request to commit.
	coord := ws[0].call
	if coord == nil {
		return
	}
	tiers := []*lang.Component{coord.From}
	for _, w := range ws {
		tiers = append(tiers, w.store)
	}
	terms := make([]string, len(tiers))
	all, local := 1.0, 1.0
	for i, c := range tiers {
		a := availability(r, fr, c)
		terms[i] = formula.Availability(a)
		all *= a
		if i <= 1 {
			local *= a
		}
	}
	ac := availability(r, fr, coord.From)
	month := 30 * 24 * 60.0
	pass.Report(analyze.Finding{
		Severity: analyze.Info,
		Message: fmt.Sprintf("%s uses two-phase commit: a request commits only while %s and all %d participants are up, A = %s = %s (a local transaction and an outbox or saga need %s: %s); while the coordinator is down ((1 − %s) × 43200 min = %s min a month) prepared transactions hold their locks in %s",
			quoted(fr), coord.From.Addr, len(ws), strings.Join(terms, " × "), formula.Availability(all),
			formula.List([]string{coord.From.Addr, ws[0].store.Addr}), formula.Availability(local),
			formula.Availability(ac), formula.Num(math.Round((1-ac)*month*10)/10), formula.List(names(ws))),
		Detail: "Two-phase commit is blocking: a participant that voted yes cannot decide alone, so when the coordinator fails between prepare and commit the participant keeps the transaction's locks until the coordinator recovers, and every request touching those rows waits. " +
			"Its availability is the product of all participants' and the coordinator's. A saga (each step a local transaction, undone by a compensation) or an outbox (the messages relayed after the local commit) needs only the first store at request time.",
		Subject: fr.Subject(),
		Key:     "2pc availability",
		Range:   tx.Range("mode"),
		Related: related(ws),
		Data:    map[string]any{"availability_2pc": all, "availability_local": local, "coordinator": coord.From.Addr, "coordinator_availability": ac},
	})
}

// availability is the tier's availability as the flow sees it (its hop),
// or the component's nominal figure for what is off the flow's path (a
// queue behind an async call).
func availability(r *analyze.Results, fr *analyze.FlowResult, c *lang.Component) float64 {
	a := 0.0
	found := false
	for _, h := range fr.Hops {
		if h.Component == c {
			if !found || h.Availability < a {
				a = h.Availability
			}
			found = true
		}
	}
	if found {
		return a
	}
	if cr := r.Components[c.Addr]; cr != nil {
		return cr.Availability
	}
	return c.Availability
}

// saga checks that every step has a compensation and that every
// compensation undoes a step.
func saga(pass *analyze.Pass, fr *analyze.FlowResult, tx *lang.Transaction, ws []write) {
	compensated := map[*lang.Component]bool{}
	for _, cp := range tx.Compensations {
		if cp.Write == nil {
			continue
		}
		compensated[cp.Write] = true
		if !slices.ContainsFunc(ws, func(w write) bool { return w.store == cp.Write }) {
			pass.Report(analyze.Finding{
				Message: fmt.Sprintf("%s's saga compensates %s, which its requests do not write (they write %s)", quoted(fr), cp.Write.Addr, formula.List(names(ws))),
				Detail:  "A compensation undoes a step the saga made. Name a store the flow writes, or check the calls: the write may have op = \"read\" or go through an async call.",
				Subject: fr.Subject(),
				Key:     "compensation of " + cp.Write.Addr + " without a step",
				Range:   cp.DeclRange,
			})
		}
	}
	var missing []write
	for _, w := range ws {
		if !compensated[w.store] {
			missing = append(missing, w)
		}
	}
	if len(missing) == 0 {
		return
	}
	pass.Report(analyze.Finding{
		Message: fmt.Sprintf("%s's saga has no compensation for %s: when a later step fails, that write stays", quoted(fr), formula.List(names(missing))),
		Detail: "A saga commits each step locally; when a step fails, the steps before it are undone by their compensations (a refund, a cancellation, a compensating event), in reverse order. " +
			"A step without one leaves its write behind. Add a compensate { write = STORE, with = COMPONENT } block for each; a step that cannot be undone (a message already sent) goes last, and still needs its compensating action declared.",
		Subject: fr.Subject(),
		Key:     "saga without compensations",
		Range:   tx.DeclRange,
		Related: related(missing),
		Data:    map[string]any{"uncompensated": names(missing)},
	})
}
