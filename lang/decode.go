package lang

import (
	"fmt"
	"github.com/archform/archform/internal/didyoumean"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// decoder holds the state of one decoding run. Decoding never stops at an
// error: every block is decoded, and every problem becomes a diagnostic.
type decoder struct {
	ctx *hcl.EvalContext
	fns map[string]function.Function // guardedFunctions, with the load's budget
	// budget is what fns spend (set by declarations; nil in the decoders
	// of single components).
	budget *budget
	diags  hcl.Diagnostics
	d      *Design
	refs   []pendingRef
	// zoneUses are the zones components name, checked once every region is known.
	zoneUses []zoneUse
	// regionUses are multi_region regions, checked likewise.
	regionUses []zoneUse
}

// pendingRef is a reference waiting for every component to be known.
type pendingRef struct {
	ref
	from *Component // the component whose block holds the reference, if any
	// set receives the decoder that resolves the reference, which may not
	// be the one that read it (see components).
	set func(*decoder, *Component)
}

type zoneUse struct {
	name  string
	rng   hcl.Range
	owner *Component // nil for a multi_region region
}

// decode turns parsed files (nil where a file could not be parsed) into a
// Design.
func decode(names []string, files []*hcl.File, opts Options) (*Design, hcl.Diagnostics) {
	d := &Design{Files: make(map[string]*hcl.File, len(files))}
	dc := &decoder{d: d}
	var blocks hcl.Blocks
	parsedAny := false
	cache := opts.Cache
	var seenBlocks map[hcl.Body]bool
	if cache != nil {
		seenBlocks = map[hcl.Body]bool{}
	}
	for i, f := range files {
		if f == nil {
			continue
		}
		parsedAny = true
		if cache != nil {
			cache.wrapBlocks(f, seenBlocks)
		} else {
			budgetForExpressions(f)
		}
		d.Files[names[i]] = f
		_, fblocks, diags := bodyContent(f.Body, rootSchema)
		dc.diags = append(dc.diags, diags...)
		blocks = append(blocks, fblocks...)
	}
	if cache != nil {
		cache.blocks = seenBlocks
	}
	if !parsedAny {
		if len(names) == 0 {
			rng := hcl.Range{Filename: "<design>", Start: hcl.InitialPos, End: hcl.InitialPos}
			dc.errorf(rng, "No design files", "The design has no files.")
		}
		return nil, dc.diags
	}

	byType := map[string]hcl.Blocks{}
	for _, b := range blocks {
		byType[b.Type] = append(byType[b.Type], b)
	}
	dc.declarations(byType, opts.Vars, names, files)
	if cache != nil {
		cache.begin(dc)
	}
	seen := make(map[string]*Component)
	for _, c := range dc.components(blocks, cache) {
		dc.addComponent(c, seen)
	}
	flows := make(map[string]*Flow)
	for _, b := range byType["flow"] {
		dc.addFlow(b, flows)
	}
	dc.finish()
	return d, dc.diags
}

// declarations makes the evaluation context and decodes what every
// component reads: the variables, locals, system and regions (byType holds
// the top-level blocks by type, in source order).
func (dc *decoder) declarations(byType map[string]hcl.Blocks, overrides map[string]string, names []string, files []*hcl.File) {
	dc.budget = &budget{}
	dc.fns = guardedFunctions(dc.budget)
	dc.ctx = &hcl.EvalContext{Functions: dc.fns}
	vars := dc.variables(byType["variable"], overrides)
	dc.ctx.Variables = map[string]cty.Value{"var": objectOrEmpty(vars)}
	locals := dc.locals(byType["locals"])
	dc.ctx.Variables["local"] = objectOrEmpty(locals)
	dc.system(byType["system"], names, files)
	for _, b := range byType["region"] {
		dc.region(b)
	}
}

// addComponent adds a decoded component to the design, or reports it as a
// duplicate of one added before (seen holds those by address).
func (dc *decoder) addComponent(c *Component, seen map[string]*Component) {
	if first, dup := seen[c.Addr]; dup {
		dc.errorf(c.NameRange, "Duplicate component",
			"A %s named %q is already declared at %s. Component names must be unique within their kind.", c.Kind, c.Name, rangeString(first.DeclRange))
		return
	}
	seen[c.Addr] = c
	dc.d.Components = append(dc.d.Components, c)
}

// addFlow decodes a flow block and adds the flow to the design, or reports
// it as a duplicate of one added before (flows holds those by name).
func (dc *decoder) addFlow(b *hcl.Block, flows map[string]*Flow) {
	f := dc.flow(b)
	if first, dup := flows[f.Name]; dup {
		dc.errorf(f.NameRange, "Duplicate flow", "A flow named %q is already declared at %s.", f.Name, rangeString(first.DeclRange))
		return
	}
	flows[f.Name] = f
	dc.d.Flows = append(dc.d.Flows, f)
}

// finish resolves references and checks what needs every block decoded:
// zones, defaults that depend on other blocks, names, flows' queues.
func (dc *decoder) finish() {
	d := dc.d
	d.Index()
	dc.resolve()
	dc.checkZones()
	for _, c := range d.Components {
		dc.finishComponent(c)
	}
	for _, f := range d.Flows {
		dc.finishFlow(f)
	}
	dc.checkNames(d)
	d.Index()
	for _, f := range d.Flows {
		dc.checkThrough(f)
	}
}

// parallelThreshold is the number of component blocks to decode above
// which they are decoded by several goroutines.
const parallelThreshold = 256

// components decodes the component blocks, in order, each by a decoder of
// its own (the evaluation context and the system defaults are only read),
// whose diagnostics and pending references are then joined in order. Many
// blocks are decoded by one goroutine per CPU. With a cache, the blocks
// whose decode it holds are not decoded again.
func (dc *decoder) components(blocks hcl.Blocks, cache *DecodeCache) []*Component {
	var cblocks hcl.Blocks
	for _, b := range blocks {
		if Kind(b.Type).valid() {
			cblocks = append(cblocks, b)
		}
	}
	out := make([]*Component, len(cblocks))
	done := make([]*cachedComponent, len(cblocks))
	var todo []int
	for i, b := range cblocks {
		if cache != nil {
			if e := cache.reuse(b); e != nil {
				out[i], done[i] = e.c, e
				continue
			}
		}
		todo = append(todo, i)
	}
	subs := make([]decoder, len(cblocks))
	decodeOne := func(i int) {
		subs[i] = decoder{ctx: dc.ctx, fns: dc.fns, d: dc.d}
		out[i] = subs[i].component(cblocks[i])
	}
	workers := min(runtime.GOMAXPROCS(0), (len(todo)+parallelThreshold-1)/parallelThreshold)
	if workers < 2 {
		for _, i := range todo {
			decodeOne(i)
		}
	} else {
		var used int64
		spent := true
		if dc.budget != nil {
			used, spent = dc.budget.used.Load(), dc.budget.spent.Load()
		}
		chunk := (len(todo) + workers - 1) / workers
		var wg sync.WaitGroup
		for w := range workers {
			part := todo[min(w*chunk, len(todo)):min((w+1)*chunk, len(todo))]
			wg.Add(1)
			go func() {
				defer wg.Done()
				for _, i := range part {
					decodeOne(i)
				}
			}()
		}
		wg.Wait()
		if !spent && dc.budget.spent.Load() {
			// Which call spent the budget, and so which one is reported,
			// depended on the goroutines' timing: decode the blocks again
			// one by one, from the budget as it was, so that it is the
			// same call every run.
			dc.budget.reset(used)
			for _, i := range todo {
				decodeOne(i)
			}
		}
	}
	var next map[hcl.Body]*cachedComponent
	if cache != nil {
		next = make(map[hcl.Body]*cachedComponent, len(cblocks))
		cache.reused, cache.decoded = len(cblocks)-len(todo), len(todo)
	}
	var nd, nr, nz, nrg int
	for i := range cblocks {
		if e := done[i]; e != nil {
			nd, nr, nz, nrg = nd+len(e.diags), nr+len(e.refs), nz+len(e.zoneUses), nrg+len(e.regionUses)
		} else {
			sub := &subs[i]
			nd, nr, nz, nrg = nd+len(sub.diags), nr+len(sub.refs), nz+len(sub.zoneUses), nrg+len(sub.regionUses)
		}
	}
	dc.diags = slices.Grow(dc.diags, nd)
	dc.refs = slices.Grow(dc.refs, nr)
	dc.zoneUses = slices.Grow(dc.zoneUses, nz)
	dc.regionUses = slices.Grow(dc.regionUses, nrg)
	for i, b := range cblocks {
		if e := done[i]; e != nil {
			e.addTo(dc)
			next[b.Body] = e
			continue
		}
		sub := &subs[i]
		if cache != nil {
			cache.store(b, out[i], sub, next)
		}
		dc.diags = append(dc.diags, sub.diags...)
		dc.refs = append(dc.refs, sub.refs...)
		dc.zoneUses = append(dc.zoneUses, sub.zoneUses...)
		dc.regionUses = append(dc.regionUses, sub.regionUses...)
	}
	if cache != nil {
		cache.entries = next
	}
	return out
}

func objectOrEmpty(m map[string]cty.Value) cty.Value {
	if len(m) == 0 {
		return cty.EmptyObjectVal
	}
	return cty.ObjectVal(m)
}

// rangeString is a range's start as FILE:LINE,COLUMN, for "already declared
// at" details.
func rangeString(r hcl.Range) string {
	return fmt.Sprintf("%s:%d,%d", r.Filename, r.Start.Line, r.Start.Column)
}

// checkName reports a block label that cannot be written in a reference.
func (dc *decoder) checkName(b *hcl.Block, what string) {
	if len(b.Labels) == 0 || len(b.LabelRanges) == 0 {
		return
	}
	if !hclsyntax.ValidIdentifier(b.Labels[0]) {
		dc.errorf(b.LabelRanges[0], "Invalid name",
			"%q is not a valid %s name: a name starts with a letter or underscore and holds only letters, digits, underscores and dashes.", b.Labels[0], what)
	}
}

// --- system ---------------------------------------------------------------

func (dc *decoder) system(blocks hcl.Blocks, names []string, files []*hcl.File) {
	if len(blocks) == 0 {
		filename := "<design>"
		for i, f := range files {
			if f != nil {
				filename = names[i]
				break
			}
		}
		rng := hcl.Range{Filename: filename, Start: hcl.InitialPos, End: hcl.InitialPos}
		detail := "A design needs exactly one system block, such as:\n\n  system \"shop\" {\n    description = \"Online shop\"\n  }"
		if allEmpty(files) {
			detail = "The design's files are empty. " + detail
		}
		dc.errorf(rng, "Missing system block", "%s", detail)
		dc.d.System = &System{Defaults: Defaults{Availability: DefaultAvailability, MaxUtilization: DefaultMaxUtilization}, Ranges: Ranges{}}
		return
	}
	for _, b := range blocks[1:] {
		dc.errorf(b.DefRange, "Duplicate system block",
			"A design has exactly one system block; the first is at %s.", rangeString(blocks[0].DefRange))
	}
	b := blocks[0]
	dc.labelText(b.LabelRanges[0], "system", b.Labels[0])
	s := &System{
		Name:      b.Labels[0],
		DeclRange: b.DefRange,
		NameRange: b.LabelRanges[0],
		Defaults:  Defaults{Availability: DefaultAvailability, MaxUtilization: DefaultMaxUtilization},
		Ranges:    Ranges{},
	}
	dc.d.System = s
	content, diags := b.Body.Content(systemSchema)
	dc.diags = append(dc.diags, diags...)
	if attr, ok := content.Attributes["description"]; ok {
		if v, ok := dc.str(attr); ok {
			s.Description = v
			s.Ranges["description"] = attr.Range
		}
	}
	var seenDefaults, seenSLO *hcl.Block
	for _, blk := range content.Blocks {
		switch blk.Type {
		case "defaults":
			if dc.duplicateBlock(blk, &seenDefaults, "system") {
				continue
			}
			s.Ranges["defaults"] = blk.DefRange
			dcontent, diags := blk.Body.Content(defaultsSchema)
			dc.diags = append(dc.diags, diags...)
			if attr, ok := dcontent.Attributes["availability"]; ok {
				if v, ok := dc.ratio(attr); ok {
					s.Defaults.Availability = v
					s.Ranges["defaults.availability"] = attr.Range
				}
			}
			if attr, ok := dcontent.Attributes["max_utilization"]; ok {
				if v, ok := dc.ratio(attr); ok {
					s.Defaults.MaxUtilization = v
					s.Ranges["defaults.max_utilization"] = attr.Range
				}
			}
		case "slo":
			if dc.duplicateBlock(blk, &seenSLO, "system") {
				continue
			}
			s.Ranges["slo"] = blk.DefRange
			s.SLO = dc.slo(blk)
		}
	}
}

func allEmpty(files []*hcl.File) bool {
	for _, f := range files {
		if f != nil && len(strings.TrimSpace(string(f.Bytes))) > 0 {
			return false
		}
	}
	return true
}

// duplicateBlock reports a second block of a type that may appear once, and
// remembers the first.
func (dc *decoder) duplicateBlock(b *hcl.Block, first **hcl.Block, owner string) bool {
	if *first != nil {
		dc.errorf(b.DefRange, "Duplicate "+b.Type+" block",
			"This %s already has a %s block at %s; merge the two.", owner, b.Type, rangeString((*first).DefRange))
		return true
	}
	*first = b
	return false
}

func (dc *decoder) slo(b *hcl.Block) SLO {
	slo := SLO{DeclRange: b.DefRange, Ranges: Ranges{}}
	content, diags := b.Body.Content(sloSchema)
	dc.diags = append(dc.diags, diags...)
	for _, attr := range content.Attributes {
		var ok bool
		switch attr.Name {
		case "availability":
			slo.Availability, ok = dc.ratio(attr)
		case "latency_p99":
			slo.LatencyP99, ok = dc.duration(attr)
		case "latency_mean":
			slo.LatencyMean, ok = dc.duration(attr)
		case "rpo":
			slo.RPO, ok = dc.duration(attr)
			slo.HasRPO = ok
		case "under":
			slo.Under, ok = dc.enumList(attr, SLOScenarioKinds)
		}
		if ok {
			slo.Ranges[attr.Name] = attr.Range
		}
	}
	return slo
}

// --- regions --------------------------------------------------------------

func (dc *decoder) region(b *hcl.Block) {
	dc.checkName(b, "region")
	r := &Region{Name: b.Labels[0], DeclRange: b.DefRange, NameRange: b.LabelRanges[0], Ranges: Ranges{}}
	for _, other := range dc.d.Regions {
		if other.Name == r.Name {
			dc.errorf(r.NameRange, "Duplicate region", "A region named %q is already declared at %s.", r.Name, rangeString(other.DeclRange))
			return
		}
	}
	dc.d.Regions = append(dc.d.Regions, r)
	content, diags := b.Body.Content(regionSchema)
	dc.diags = append(dc.diags, diags...)
	if attr, ok := content.Attributes["description"]; ok {
		if _, ok := dc.str(attr); ok {
			r.Ranges["description"] = attr.Range
		}
	}
	attr, ok := content.Attributes["zones"]
	if !ok {
		return
	}
	names, ok := dc.strList(attr)
	if !ok {
		return
	}
	r.Ranges["zones"] = attr.Range
	if len(names) == 0 {
		dc.errorf(attr.Expr.Range(), "Invalid value", "A region needs at least one zone.")
		return
	}
	ranges := elementRanges(attr, len(names))
	for i, name := range names {
		if name == "" {
			dc.errorf(ranges[i], "Invalid zone name", "A zone name must not be empty.")
			continue
		}
		if !dc.labelText(ranges[i], "zone", name) {
			continue
		}
		if z := dc.d.zoneByNm[name]; z != nil {
			dc.errorf(ranges[i], "Duplicate zone",
				"The zone %q is already declared at %s, in region %q. Zone names are unique in a design.", name, rangeString(z.Range), z.Region.Name)
			continue
		}
		z := &Zone{Name: name, Region: r, Range: ranges[i]}
		if dc.d.zoneByNm == nil {
			dc.d.zoneByNm = map[string]*Zone{}
		}
		dc.d.zoneByNm[name] = z
		r.Zones = append(r.Zones, z)
		dc.d.Zones = append(dc.d.Zones, z)
	}
}

// elementRanges returns the range of each element of a list attribute when
// it is written as a list, or the whole expression's range for each.
func elementRanges(attr *hcl.Attribute, n int) []hcl.Range {
	out := make([]hcl.Range, n)
	exprs, diags := hcl.ExprList(attr.Expr)
	for i := range out {
		if !diags.HasErrors() && len(exprs) == n {
			out[i] = exprs[i].Range()
		} else {
			out[i] = attr.Expr.Range()
		}
	}
	return out
}

// checkZones reports zones that no region declares, once all are known.
func (dc *decoder) checkZones() {
	zoneNames := func() []string {
		out := make([]string, len(dc.d.Zones))
		for i, z := range dc.d.Zones {
			out[i] = z.Name
		}
		return out
	}
	for _, u := range dc.zoneUses {
		if dc.d.zoneByNm[u.name] != nil {
			continue
		}
		if len(dc.d.Zones) == 0 {
			dc.errorf(u.rng, "Undefined zone",
				"%s %q is placed in zone %q, but the design declares no zones. Declare them in a region block: region \"r1\" { zones = [%q] }.", u.owner.Kind, u.owner.Name, u.name, u.name)
			continue
		}
		dc.errorf(u.rng, "Undefined zone", "No region declares a zone named %q.%s Declared zones: %s.",
			u.name, didyoumean.Suffix(u.name, zoneNames()), quoteList(zoneNames()))
	}
	for _, u := range dc.regionUses {
		found := false
		var names []string
		for _, r := range dc.d.Regions {
			names = append(names, r.Name)
			found = found || r.Name == u.name
		}
		if !found {
			dc.errorf(u.rng, "Undefined region", "There is no region named %q in this design.%s", u.name, didyoumean.Suffix(u.name, names))
		}
	}
}

// --- flows ----------------------------------------------------------------

func (dc *decoder) flow(b *hcl.Block) *Flow {
	dc.checkName(b, "flow")
	f := &Flow{Name: b.Labels[0], Op: OpReadWrite, DeclRange: b.DefRange, NameRange: b.LabelRanges[0], Ranges: Ranges{}}
	content, diags := b.Body.Content(flowSchema)
	dc.diags = append(dc.diags, diags...)
	for _, attr := range content.Attributes {
		ok := false
		switch attr.Name {
		case "entry":
			var r ref
			if r, ok = dc.reference(attr); ok {
				dc.refs = append(dc.refs, pendingRef{ref: r, set: func(dc *decoder, c *Component) {
					if c.Kind != KindClient {
						dc.errorf(r.Range, "Invalid flow entry",
							"A flow starts at a client, and %s is a %s. Declare a client that calls it and start the flow there.", c.Addr, c.Kind)
						return
					}
					f.Entry = c
				}})
			}
		case "op":
			var v string
			if v, ok = dc.enum(attr, opValues); ok {
				f.Op = Op(v)
			}
		case "rps":
			f.RPS, ok = dc.number(attr, 0)
		case "consistency":
			var v string
			if v, ok = dc.enum(attr, consistencyValues); ok {
				f.Consistency = Consistency(v)
			}
		case "max_staleness":
			f.MaxStaleness, ok = dc.duration(attr)
		case "partition":
			f.Partition, ok = dc.enum(attr, partitionValues)
		case "description":
			_, ok = dc.str(attr)
		case "through":
			var r ref
			if r, ok = dc.reference(attr); ok {
				dc.refs = append(dc.refs, pendingRef{ref: r, set: func(dc *decoder, c *Component) {
					if c.Kind != KindQueue {
						dc.errorf(r.Range, "Invalid flow through",
							"A flow follows a queue to its consumers, and %s is a %s. Name the queue its path writes to (through = queue.NAME), or leave through out.", c.Addr, c.Kind)
						return
					}
					f.Through = c
				}})
			}
		}
		if ok {
			f.Ranges[attr.Name] = attr.Range
		}
	}
	dc.checkStaleness(f.Ranges, f.Consistency, "flow")
	var seenSLO, seenTx, seenData *hcl.Block
	for _, blk := range content.Blocks {
		if blk.Type == "data" {
			if dc.duplicateBlock(blk, &seenData, "flow") {
				continue
			}
			f.Ranges["data"] = blk.DefRange
			f.Data = dc.data(blk, flowDataSchema, func(attr *hcl.Attribute, ok bool) {
				if ok {
					f.Ranges["data."+attr.Name] = attr.Range
				}
			})
			continue
		}
		if blk.Type == "transaction" {
			if dc.duplicateBlock(blk, &seenTx, "flow") {
				continue
			}
			f.Ranges["transaction"] = blk.DefRange
			f.Transaction = dc.transaction(blk)
			continue
		}
		if dc.duplicateBlock(blk, &seenSLO, "flow") {
			continue
		}
		f.Ranges["slo"] = blk.DefRange
		f.SLO = dc.slo(blk)
	}
	return f
}

// transaction decodes a flow's transaction block.
func (dc *decoder) transaction(b *hcl.Block) *Transaction {
	t := &Transaction{DeclRange: b.DefRange, Ranges: Ranges{}}
	content, diags := b.Body.Content(transactionSchema)
	dc.diags = append(dc.diags, diags...)
	for _, attr := range content.Attributes {
		ok := false
		switch attr.Name {
		case "mode":
			t.Mode, ok = dc.enum(attr, transactionModes)
		case "isolation":
			t.Isolation, ok = dc.enum(attr, isolationValues)
		}
		if ok {
			t.Ranges[attr.Name] = attr.Range
		}
	}
	for _, blk := range content.Blocks {
		cp := &Compensation{DeclRange: blk.DefRange, Ranges: Ranges{}}
		t.Compensations = append(t.Compensations, cp)
		body, diags := blk.Body.Content(compensateSchema)
		dc.diags = append(dc.diags, diags...)
		for _, attr := range body.Attributes {
			r, ok := dc.reference(attr)
			if !ok {
				continue
			}
			cp.Ranges[attr.Name] = attr.Range
			switch attr.Name {
			case "write":
				dc.refs = append(dc.refs, pendingRef{ref: r, set: func(dc *decoder, c *Component) { cp.Write = c }})
			case "with":
				dc.refs = append(dc.refs, pendingRef{ref: r, set: func(dc *decoder, c *Component) { cp.With = c }})
			}
		}
	}
	if len(t.Compensations) > 0 && t.Mode != "" && t.Mode != "saga" {
		dc.errorf(t.Compensations[0].DeclRange, "compensate without a saga",
			"A compensate block says how a saga undoes a step; this transaction's mode is %q, which rolls back by itself.", t.Mode)
	}
	return t
}

// checkStaleness reports max_staleness without bounded_staleness and the
// reverse.
func (dc *decoder) checkStaleness(r Ranges, c Consistency, owner string) {
	if r.Has("max_staleness") && c != BoundedStaleness {
		dc.errorf(r["max_staleness"], "max_staleness without bounded_staleness",
			"max_staleness bounds how stale a read may be, which only means something with consistency = \"bounded_staleness\"; this %s's consistency is %s.", owner, describeConsistency(c))
	}
	if c == BoundedStaleness && !r.Has("max_staleness") {
		dc.errorf(r["consistency"], "Missing max_staleness",
			"consistency = \"bounded_staleness\" needs max_staleness, the bound (such as max_staleness = \"5s\").")
	}
}

func describeConsistency(c Consistency) string {
	if c == "" {
		return "not set"
	}
	return fmt.Sprintf("%q", string(c))
}

// finishFlow applies the defaults that depend on other blocks: the entry's
// rps and the system's SLO.
func (dc *decoder) finishFlow(f *Flow) {
	if !f.Ranges.Has("rps") && f.Entry != nil {
		f.RPS = f.Entry.RPS
	}
	sys := dc.d.System.SLO
	own := f.SLO
	eff := sys
	eff.Ranges = Ranges{}
	for k, v := range sys.Ranges {
		eff.Ranges[k] = v
	}
	if f.Ranges.Has("slo") {
		eff.DeclRange = own.DeclRange
	}
	if own.Ranges.Has("availability") {
		eff.Availability = own.Availability
	}
	if own.Ranges.Has("latency_p99") {
		eff.LatencyP99 = own.LatencyP99
	}
	if own.Ranges.Has("latency_mean") {
		eff.LatencyMean = own.LatencyMean
	}
	if own.HasRPO {
		eff.RPO, eff.HasRPO = own.RPO, true
	}
	if own.Ranges.Has("under") {
		eff.Under = own.Under
	}
	for k, v := range own.Ranges {
		eff.Ranges[k] = v
	}
	f.SLO = eff
}

// --- references -----------------------------------------------------------

// resolve points every reference at its component.
func (dc *decoder) resolve() {
	for _, p := range dc.refs {
		c := dc.d.byAddr[p.addr()]
		if c == nil {
			dc.undefined(p)
			continue
		}
		if p.from != nil && c == p.from {
			dc.errorf(p.Range, "Reference to itself", "%s cannot name itself as its %s.", c.Addr, refRole(p.Attr))
			continue
		}
		p.set(dc, c)
	}
}

func refRole(attr string) string {
	switch attr {
	case "to":
		return "call target"
	case "from":
		return "queue to consume"
	case "dead_letter":
		return "dead-letter queue"
	}
	return attr
}

func (dc *decoder) undefined(p pendingRef) {
	var sameName []string
	var addrs []string
	for _, c := range dc.d.Components {
		addrs = append(addrs, c.Addr)
		if c.Name == p.Name {
			sameName = append(sameName, c.Addr)
		}
	}
	hint := ""
	switch {
	case len(sameName) > 0:
		hint = fmt.Sprintf(" Did you mean %s?", strings.Join(sameName, " or "))
	default:
		if s := didyoumean.Nearest(p.addr(), addrs); s != "" {
			hint = fmt.Sprintf(" Did you mean %s?", s)
		}
	}
	dc.errorf(p.Range, "Reference to undefined component",
		"There is no %s named %q in this design.%s", p.Kind, p.Name, hint)
}

// checkThrough reports a flow's through queue that the flow cannot follow:
// no tier of its path (what its requests reach through sync calls whose op
// matches, and caches' origins) writes to the queue, or nothing consumes it.
func (dc *decoder) checkThrough(f *Flow) {
	q := f.Through
	if q == nil || f.Entry == nil {
		return
	}
	rng := f.Range("through")
	if len(dc.d.Consumers(q)) == 0 {
		dc.errorf(rng, "Flow through a queue nothing consumes",
			"flow %q follows %s to its consumers, and no component consumes it. Add a consume block (from = %s) to the component that delivers its messages.", f.Name, q.Addr, q.Addr)
		return
	}
	type state struct {
		c  *Component
		op Op
	}
	var todo []state
	seen := map[state]bool{}
	visit := func(s state) {
		if s.c != nil && !seen[s] {
			seen[s] = true
			todo = append(todo, s)
		}
	}
	for _, op := range []Op{OpRead, OpWrite} {
		if f.Op.Matches(op) {
			visit(state{f.Entry, op})
		}
	}
	for len(todo) > 0 {
		s := todo[0]
		todo = todo[1:]
		for _, call := range s.c.Calls {
			if !call.Op.Matches(s.op) || call.To == nil {
				continue
			}
			if call.To == q {
				return // a tier of the path writes to the queue
			}
			if call.Sync() {
				visit(state{call.To, s.op})
			}
		}
		if s.c.Kind == KindCache && s.c.Origin != nil && (s.op == OpRead || s.c.Strategy == "write_through" || s.c.Strategy == "write_back") {
			visit(state{s.c.Origin, s.op})
		}
	}
	dc.errorf(rng, "Flow does not reach its queue",
		"flow %q follows %s to its consumers, but no tier of its path calls %s with an op that matches the flow's (%s). Name the queue a tier on the flow's path writes to, or change the flow's op.", f.Name, q.Addr, q.Addr, f.Op)
}
