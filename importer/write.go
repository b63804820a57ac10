package importer

import (
	"fmt"
	"sort"
	"strings"

	"github.com/archform/archform/lang"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// kindOrder is the order components are written in: where traffic enters
// first, data last.
var kindOrder = map[lang.Kind]int{}

func init() {
	for i, k := range lang.Kinds {
		kindOrder[k] = i
	}
}

// render writes the design as HCL (not yet formatted): the header comment,
// the system block, the region (when zones are known) and the components.
func render(d *design) []byte {
	comps := append([]*component(nil), d.comps...)
	sort.SliceStable(comps, func(i, j int) bool {
		a, b := comps[i], comps[j]
		if kindOrder[a.kind] != kindOrder[b.kind] {
			return kindOrder[a.kind] < kindOrder[b.kind]
		}
		return a.name < b.name
	})
	f := hclwrite.NewEmptyFile()
	body := f.Body()
	sys := body.AppendNewBlock("system", []string{d.system}).Body()
	sys.SetAttributeValue("description", cty.StringVal("Imported from "+d.source))
	if d.region != nil {
		body.AppendNewline()
		r := body.AppendNewBlock("region", []string{d.region.name}).Body()
		r.SetAttributeValue("zones", stringList(d.region.zones))
	}
	for _, c := range comps {
		body.AppendNewline()
		writeComponent(body.AppendNewBlock(string(c.kind), []string{c.name}).Body(), c)
	}
	for _, fl := range d.flows {
		body.AppendNewline()
		fb := body.AppendNewBlock("flow", []string{fl.name}).Body()
		fb.SetAttributeTraversal("entry", hcl.Traversal{
			hcl.TraverseRoot{Name: string(fl.entry.kind)},
			hcl.TraverseAttr{Name: fl.entry.name},
		})
	}
	return append(header(d), f.Bytes()...)
}

func writeComponent(b *hclwrite.Body, c *component) {
	if c.description != "" {
		b.SetAttributeValue("description", cty.StringVal(c.description))
	}
	if c.image != "" {
		b.SetAttributeValue("image", cty.StringVal(c.image))
	}
	if c.engine != "" {
		b.SetAttributeValue("engine", cty.StringVal(c.engine))
	}
	if c.role != "" {
		b.SetAttributeValue("role", cty.StringVal(c.role))
	}
	if c.replicas > 0 {
		b.SetAttributeValue("replicas", cty.NumberIntVal(int64(c.replicas)))
	}
	if len(c.zones) > 0 {
		b.SetAttributeValue("zones", stringList(c.zones))
	}
	if c.public {
		b.SetAttributeValue("public", cty.True)
	}
	if c.stateful {
		b.SetAttributeValue("stateful", cty.True)
	}
	if len(c.ports) > 0 {
		vals := make([]cty.Value, len(c.ports))
		for i, p := range c.ports {
			vals[i] = cty.NumberIntVal(int64(p))
		}
		b.SetAttributeValue("ports", cty.ListVal(vals))
	}
	if c.entrypoint != nil {
		b.SetAttributeValue("entrypoint", stringList(c.entrypoint))
	}
	if len(c.command) > 0 {
		b.SetAttributeValue("command", stringList(c.command))
	}
	if len(c.env) > 0 {
		b.SetAttributeValue("env", stringMap(c.env))
	}
	if len(c.passthrough) > 0 {
		b.SetAttributeValue("env_passthrough", stringList(c.passthrough))
	}
	if len(c.secrets) > 0 {
		b.SetAttributeValue("secrets", stringMap(c.secrets))
	}
	if c.repl > 0 {
		r := b.AppendNewBlock("replication", nil).Body()
		r.SetAttributeValue("mode", cty.StringVal("async"))
		r.SetAttributeValue("replicas", cty.NumberIntVal(int64(c.repl)))
	}
	if c.cpu != "" || c.memory != "" {
		r := b.AppendNewBlock("resources", nil).Body()
		if c.cpu != "" {
			r.SetAttributeValue("cpu", cty.StringVal(c.cpu))
		}
		if c.memory != "" {
			r.SetAttributeValue("memory", cty.StringVal(c.memory))
		}
	}
	if h := c.health; h != nil {
		hb := b.AppendNewBlock("health_check", nil).Body()
		if h.path != "" {
			hb.SetAttributeValue("path", cty.StringVal(h.path))
		}
		if h.port > 0 {
			hb.SetAttributeValue("port", cty.NumberIntVal(int64(h.port)))
		}
		if h.interval != "" {
			hb.SetAttributeValue("interval", cty.StringVal(h.interval))
		}
		if h.timeout != "" {
			hb.SetAttributeValue("timeout", cty.StringVal(h.timeout))
		}
		if h.unhealthyThreshold > 0 {
			hb.SetAttributeValue("unhealthy_threshold", cty.NumberIntVal(int64(h.unhealthyThreshold)))
		}
	}
	if a := c.autoscale; a != nil {
		ab := b.AppendNewBlock("autoscale", nil).Body()
		ab.SetAttributeValue("min", cty.NumberIntVal(int64(a.min)))
		ab.SetAttributeValue("max", cty.NumberIntVal(int64(a.max)))
		if a.target > 0 {
			ab.SetAttributeValue("target_utilization", cty.NumberFloatVal(a.target))
		}
	}
	if v := c.volume; v != nil {
		vb := b.AppendNewBlock("volume", nil).Body()
		vb.SetAttributeValue("path", cty.StringVal(v.path))
		if v.size != "" {
			vb.SetAttributeValue("size", cty.StringVal(v.size))
		}
		if v.name != "" {
			vb.SetAttributeValue("name", cty.StringVal(v.name))
		}
	}
	for _, p := range c.portSpecs {
		pb := b.AppendNewBlock("port", nil).Body()
		pb.SetAttributeValue("number", cty.NumberIntVal(int64(p.number)))
		if p.protocol != "" && p.protocol != "tcp" {
			pb.SetAttributeValue("protocol", cty.StringVal(p.protocol))
		}
		if p.hostPort > 0 {
			pb.SetAttributeValue("host_port", cty.NumberIntVal(int64(p.hostPort)))
		}
		if p.hostIP != "" {
			pb.SetAttributeValue("host_ip", cty.StringVal(p.hostIP))
		}
	}
	for _, m := range c.mounts {
		mb := b.AppendNewBlock("mount", nil).Body()
		if m.source != "" {
			mb.SetAttributeValue("source", cty.StringVal(m.source))
		}
		mb.SetAttributeValue("target", cty.StringVal(m.target))
		if m.typ == "volume" && hostPathSource(m.source) || m.typ == "bind" && !hostPathSource(m.source) {
			mb.SetAttributeValue("type", cty.StringVal(m.typ))
		}
		if m.readOnly {
			mb.SetAttributeValue("read_only", cty.True)
		}
	}
	calls := append([]*component(nil), c.calls...)
	sort.Slice(calls, func(i, j int) bool { return calls[i].addr() < calls[j].addr() })
	for _, to := range calls {
		cb := b.AppendNewBlock("call", nil).Body()
		cb.SetAttributeTraversal("to", hcl.Traversal{
			hcl.TraverseRoot{Name: string(to.kind)},
			hcl.TraverseAttr{Name: to.name},
		})
	}
}

// hostPathSource reports whether the language reads a mount's source as a
// host path (its default type is then bind).
func hostPathSource(s string) bool {
	return strings.HasPrefix(s, ".") || strings.HasPrefix(s, "/") || strings.HasPrefix(s, "~")
}

func stringList(ss []string) cty.Value {
	if len(ss) == 0 {
		return cty.ListValEmpty(cty.String)
	}
	vals := make([]cty.Value, len(ss))
	for i, s := range ss {
		vals[i] = cty.StringVal(s)
	}
	return cty.ListVal(vals)
}

func stringMap(m map[string]string) cty.Value {
	vals := make(map[string]cty.Value, len(m))
	for k, v := range m {
		vals[k] = cty.StringVal(v)
	}
	return cty.MapVal(vals)
}

// header is the comment at the top of the design: where it came from, what
// was guessed, what to fill in and what was left out.
func header(d *design) []byte {
	var b strings.Builder
	b.WriteString("# Imported by archform from " + d.source + ".\n")
	b.WriteString("# Review it: an import reads what runs, not what it must sustain.\n")
	calls, none, warnings := callSummary(d)
	for _, w := range warnings {
		b.WriteString("#\n# WARNING: " + oneLine(w) + "\n")
	}
	section := func(title string, lines []string, bySubject bool) {
		if len(lines) == 0 {
			return
		}
		b.WriteString("#\n# " + title + "\n")
		lines = append([]string(nil), lines...)
		if bySubject {
			sort.SliceStable(lines, func(i, j int) bool { return subject(lines[i]) < subject(lines[j]) })
		}
		for _, l := range lines {
			b.WriteString("#   - " + oneLine(l) + "\n")
		}
	}
	section("Calls found, with their evidence (file:line key):", calls, false)
	section("No call found from these (their calls, if any, live where the import cannot read: code, image defaults):", none, false)
	section("Guessed (check these):", d.guessed, true)
	section("Fill in (the input cannot say):", d.fill, false)
	section("Not imported:", d.skipped, true)
	b.WriteString("\n")
	return []byte(b.String())
}

// oneLine keeps a header line on one comment line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// subject is what a header line is about: its text before the first ": ",
// so that the lines about one component stand together.
func subject(line string) string {
	s, _, _ := strings.Cut(line, ": ")
	return s
}

// callSummary lists the calls with their evidence, the components the
// import looked for calls of and found none, and the warnings: none at all
// between components, or components whose calls were not found.
func callSummary(d *design) (calls, none, warnings []string) {
	comps := append([]*component(nil), d.comps...)
	sort.Slice(comps, func(i, j int) bool { return comps[i].addr() < comps[j].addr() })
	between := 0
	for _, c := range comps {
		for _, n := range c.notes {
			d.guess("%s: %s", c.addr(), n)
		}
		c.notes = nil
		if c.kind == lang.KindClient {
			continue
		}
		calls = append(calls, evidenceLines(c)...)
		between += len(c.evidence)
		if len(c.calls) == 0 && c.kind.Deployable() && !passive(c) {
			none = append(none, c.addr())
		}
	}
	if between == 0 && len(comps) > 1 {
		warnings = append(warnings, "no calls between components were found in what the import reads (environment, "+
			"command lines, mounted and source configuration files, links). The design has no call graph: lint cannot "+
			"find single points of failure along calls. Add call blocks by hand.")
	} else if len(none) > 0 {
		warnings = append(warnings, fmt.Sprintf("%d component(s) with no call found: %s. Add their calls by hand, or lint misses the failures they cause.",
			len(none), strings.Join(none, ", ")))
	}
	return calls, none, warnings
}

// passive reports whether a component usually calls nothing itself: a data
// store, a queue, a cache.
func passive(c *component) bool {
	switch c.kind {
	case lang.KindDatabase, lang.KindCache, lang.KindQueue, lang.KindStorage, lang.KindSearch, lang.KindExternal:
		return true
	}
	return false
}
