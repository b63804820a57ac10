package render

import (
	"fmt"
	"sort"
	"strings"

	"github.com/archform/archform/lang"
)

// Views of one design: the whole system, one zone or region (Options.Zone),
// the neighbourhood of a component (Options.Around, Options.Depth). A view
// draws a subset of the components and the edges between them; the figures
// and findings stay those of the whole design.

// ViewError reports a view that names nothing in the design (an unknown
// zone or component).
type ViewError struct{ Detail string }

func (e *ViewError) Error() string { return e.Detail }

// selectView sets v.shown from the options; nil means every component.
func (v *view) selectView(opts Options) error {
	if opts.Summary {
		if opts.Zone != "" || opts.Around != "" || opts.Tier != "" || opts.Flow != "" {
			return &ViewError{Detail: "the summary view draws the whole design: it takes no --zone, --around, --tier or --flow"}
		}
		v.viewName = fmt.Sprintf("summary of %d components", len(v.d.Components))
		return nil
	}
	if sel := opts.detail; sel != nil {
		v.shown, v.viewName = sel.members, sel.viewName
		return nil
	}
	if err := v.selectPlace(opts); err != nil {
		return err
	}
	if opts.Tier == "" {
		return nil
	}
	t, err := parseTier(opts.Tier)
	if err != nil {
		return err
	}
	shown := map[*lang.Component]bool{}
	for _, c := range v.comps() {
		if tierOf(c.Kind) == t {
			shown[c] = true
		}
	}
	v.shown = shown
	v.viewName = joinNonEmpty(", ", v.viewName, t.String()+" tier")
	return nil
}

// selectPlace sets v.shown for the --zone and --around views.
func (v *view) selectPlace(opts Options) error {
	switch {
	case opts.Zone != "" && opts.Around != "":
		return &ViewError{Detail: "--zone and --around choose different views: give one"}
	case opts.Zone != "":
		shown, err := zoneView(v.d, opts.Zone)
		if err != nil {
			return err
		}
		v.shown, v.viewName = shown, opts.Zone
		if v.d.Zone(opts.Zone) != nil {
			v.viewName = "zone " + opts.Zone
		} else {
			v.viewName = "region " + opts.Zone
		}
	case opts.Around != "":
		c := v.d.Component(opts.Around)
		if c == nil {
			return &ViewError{Detail: fmt.Sprintf("--around %s: no component with that address (want KIND.NAME, such as service.api)", opts.Around)}
		}
		depth := opts.Depth
		if depth <= 0 {
			depth = 1
		}
		v.shown = neighbourhood(v.d, c, depth)
		v.viewName = fmt.Sprintf("around %s, depth %d", c.Addr, depth)
	}
	return nil
}

// zoneView returns the components placed in a zone, or in any zone of a
// region when name is a region's.
func zoneView(d *lang.Design, name string) (map[*lang.Component]bool, error) {
	in := map[string]bool{}
	if z := d.Zone(name); z != nil {
		in[z.Name] = true
	}
	for _, r := range d.Regions {
		if r.Name == name {
			for _, z := range r.Zones {
				in[z.Name] = true
			}
		}
	}
	if len(in) == 0 {
		var names []string
		for _, r := range d.Regions {
			names = append(names, "region "+r.Name)
			for _, z := range r.Zones {
				names = append(names, z.Name)
			}
		}
		known := " (the design declares no regions)"
		if len(names) > 0 {
			known = " (" + strings.Join(names, ", ") + ")"
		}
		return nil, &ViewError{Detail: fmt.Sprintf("--zone %s: no zone or region of that name%s", name, known)}
	}
	shown := map[*lang.Component]bool{}
	for _, c := range d.Components {
		for _, z := range c.Zones {
			if in[z] {
				shown[c] = true
			}
		}
	}
	return shown, nil
}

// neighbours returns every component one edge away from c, either way:
// calls, fallbacks, a cache's origin, queues consumed, dead letters.
func neighbours(d *lang.Design) map[*lang.Component][]*lang.Component {
	adj := map[*lang.Component][]*lang.Component{}
	link := func(a, b *lang.Component) {
		if a == nil || b == nil || a == b {
			return
		}
		adj[a] = append(adj[a], b)
		adj[b] = append(adj[b], a)
	}
	for _, c := range d.Components {
		for _, call := range c.Calls {
			link(c, call.To)
			link(c, call.Fallback)
		}
		link(c, c.Origin)
		for _, cs := range c.Consumes {
			link(c, cs.Queue)
		}
		link(c, c.DeadLetter)
	}
	return adj
}

// neighbourhood returns c and every component within depth edges of it.
func neighbourhood(d *lang.Design, c *lang.Component, depth int) map[*lang.Component]bool {
	adj := neighbours(d)
	shown := map[*lang.Component]bool{c: true}
	frontier := []*lang.Component{c}
	for range depth {
		var next []*lang.Component
		for _, x := range frontier {
			for _, y := range adj[x] {
				if !shown[y] {
					shown[y] = true
					next = append(next, y)
				}
			}
		}
		frontier = next
	}
	return shown
}

// comps returns the components the view draws, in source order.
func (v *view) comps() []*lang.Component {
	if v.shown == nil {
		return v.d.Components
	}
	var out []*lang.Component
	for _, c := range v.d.Components {
		if v.shown[c] {
			out = append(out, c)
		}
	}
	return out
}

// isShown reports whether the view draws c.
func (v *view) isShown(c *lang.Component) bool { return v.shown == nil || v.shown[c] }

// filtered reports whether the view draws a subset of the design.
func (v *view) filtered() bool { return v.shown != nil }

// regionNote says what runs in a region besides the components placed in
// it alone: components whose zones span it and other regions, and
// multi_region copies (an active-passive standby) of components placed
// elsewhere; "" when there is nothing to say. A region with nothing at all
// says so, so that every region of the design is framed.
func (v *view) regionNote(r *lang.Region) string {
	var spans, copies []string
	for _, c := range v.comps() {
		_, home := v.home(c)
		inR := false
		for _, zn := range c.Zones {
			if z := v.d.Zone(zn); z != nil && z.Region == r {
				inR = true
			}
		}
		if inR && home == nil {
			spans = append(spans, c.Name)
			continue
		}
		if c.MultiRegion != nil && home != r {
			for _, rn := range c.MultiRegion.Regions {
				if rn == r.Name && !inR {
					copies = append(copies, c.Name+" ("+strings.ReplaceAll(c.MultiRegion.Mode, "_", "-")+" copy)")
				}
			}
		}
	}
	sort.Strings(spans)
	var lines []string
	if len(spans) > 0 {
		lines = append(lines, "also runs here:")
		lines = append(lines, wrapText(strings.Join(spans, ", "), 32)...)
	}
	if len(copies) > 0 {
		lines = append(lines, "copies here:")
		for _, c := range copies {
			lines = append(lines, wrapText(c, 32)...)
		}
	}
	if len(lines) == 0 {
		members := false
		for _, c := range v.comps() {
			if _, home := v.home(c); home == r {
				members = true
			}
		}
		if !members {
			return "nothing placed here"
		}
		return ""
	}
	return strings.Join(lines, "\n")
}
