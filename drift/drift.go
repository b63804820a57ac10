// Package drift compares a design with the deployment files that say what
// runs (Compose files, Kubernetes manifests): components missing on either
// side, replicas, images and engines, zone spread, resources and calls that
// differ. Each difference is a finding of a drift-* rule that points at
// both places, the design's attribute and the manifest's line, so that drift
// reports through every lint output format, SARIF included.
//
// What the design implies is what `archform emit` makes of it: drift emits
// the design in memory, reads that output the way it reads the user's files,
// and compares the two. The manifests archform emitted for a design therefore
// show no drift from it, and hand-written ones are judged by the same
// standard.
package drift

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/emit"
	"github.com/archform/archform/lang"
	"github.com/docker/go-units"
	"github.com/hashicorp/hcl/v2"
	"k8s.io/apimachinery/pkg/api/resource"
)

// Target is "compose" or "kubernetes".
type Target = string

// Check compares the design with the deployment read from files of the
// target. It returns the findings, sorted.
func Check(d *lang.Design, target Target, actual *Deployment) ([]analyze.Finding, error) {
	expected, err := expectedDeployment(d, target)
	if err != nil {
		return nil, err
	}
	c := &checker{d: d, target: target, names: emit.WorkloadNames(d)}
	c.compare(expected, actual)
	sort.SliceStable(c.out, func(i, j int) bool {
		a, b := c.out[i], c.out[j]
		if a.Range.Filename != b.Range.Filename {
			return a.Range.Filename < b.Range.Filename
		}
		if a.Range.Start.Line != b.Range.Start.Line {
			return a.Range.Start.Line < b.Range.Start.Line
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return a.Message < b.Message
	})
	return c.out, nil
}

// expectedDeployment is the design emitted in memory and read back.
func expectedDeployment(d *lang.Design, target Target) (*Deployment, error) {
	var res *emit.Result
	var err error
	switch target {
	case emit.TargetCompose:
		res, err = emit.Compose(d, emit.Options{})
	case emit.TargetKubernetes:
		res, err = emit.Kubernetes(d, emit.Options{})
	default:
		return nil, fmt.Errorf("drift: unknown target %q", target)
	}
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	var names []string
	for _, f := range res.Files {
		if strings.HasSuffix(f.Name, ".yaml") || strings.HasSuffix(f.Name, ".yml") {
			files[f.Name] = f.Data
			names = append(names, f.Name)
		}
	}
	sort.Strings(names)
	return scanFiles(target, names, files)
}

type checker struct {
	d      *lang.Design
	target Target
	names  map[string]string // deployed name -> component address
	out    []analyze.Finding
}

var memberSuffix = regexp.MustCompile(`^(.*)-[0-9]+$`)

// component is the design component a deployed name belongs to, or nil.
func (c *checker) component(w *Workload) *lang.Component {
	if addr := w.Labels["archform.component"]; addr != "" {
		if comp := c.d.Component(addr); comp != nil {
			return comp
		}
	}
	name := w.Name
	if n := w.Labels[nameLabel]; n != "" {
		name = n
	}
	if addr, ok := c.names[name]; ok {
		return c.d.Component(addr)
	}
	if m := memberSuffix.FindStringSubmatch(name); m != nil {
		if addr, ok := c.names[m[1]]; ok {
			return c.d.Component(addr)
		}
	}
	return nil
}

func (c *checker) report(rule *analyze.Analyzer, subject string, at hcl.Range, msg string, related ...analyze.Related) {
	c.out = append(c.out, analyze.Finding{Rule: rule.ID, Severity: rule.Severity, Message: msg,
		Subject: subject, Range: at, Related: related, Key: msg})
}

func (c *checker) compare(expected, actual *Deployment) {
	exp := map[string]*Workload{}
	for _, w := range expected.Workloads {
		exp[w.Name] = w
	}
	act := map[string]*Workload{}
	for _, w := range actual.Workloads {
		act[w.Name] = w
	}
	firstFile := hcl.Range{}
	if len(actual.Workloads) > 0 {
		firstFile = hcl.Range{Filename: actual.Workloads[0].Range.Filename, Start: hcl.InitialPos, End: hcl.InitialPos}
	}
	for _, e := range expected.Workloads {
		comp := c.component(e)
		if comp == nil {
			continue // a helper object of emit's own (none today)
		}
		a := act[e.Name]
		if a == nil {
			var rel []analyze.Related
			if firstFile.Filename != "" {
				rel = append(rel, analyze.Related{Message: "the deployment files have no " + e.Kind + " " + e.Name, Range: firstFile})
			}
			c.report(Missing, comp.Addr, comp.DeclRange,
				fmt.Sprintf("%s is in the design but the deployment has no %s named %q", comp.Addr, e.Kind, e.Name), rel...)
			continue
		}
		c.compareWorkload(comp, e, a)
	}
	for _, a := range actual.Workloads {
		if exp[a.Name] != nil {
			continue
		}
		comp := c.component(a)
		msg := fmt.Sprintf("the deployment runs %s %q, which the design does not have", a.Kind, a.Name)
		subject := a.Name
		var rel []analyze.Related
		if comp != nil {
			msg = fmt.Sprintf("the deployment runs %s %q for %s, which the design does not deploy under that name", a.Kind, a.Name, comp.Addr)
			subject = comp.Addr
			rel = append(rel, analyze.Related{Message: comp.Addr + " in the design", Range: comp.DeclRange})
		} else if c.d.System != nil {
			rel = append(rel, analyze.Related{Message: "the design", Range: c.d.System.DeclRange})
		}
		c.report(Undeclared, subject, a.Range, msg, rel...)
	}
	c.compareCalls(expected, actual, exp, act)
}

func (c *checker) compareWorkload(comp *lang.Component, e, a *Workload) {
	if e.Replicas != a.Replicas {
		rule := Replicas
		c.report(rule, comp.Addr, comp.Range("replicas"),
			fmt.Sprintf("%s: the design deploys %d replicas of %s, the deployment runs %d", comp.Addr, e.Replicas, e.Name, a.Replicas),
			analyze.Related{Message: fmt.Sprintf("replicas: %d", a.Replicas), Range: a.ReplicasRange})
	}
	if e.Image != a.Image {
		eg, ag := engineOf(e.Image), engineOf(a.Image)
		what := "image"
		if eg != ag {
			what = fmt.Sprintf("image (engine %s vs %s)", orNone(eg), orNone(ag))
		}
		attr := "image"
		if !comp.Has("image") {
			attr = "engine"
		}
		c.report(Image, comp.Addr, comp.Range(attr),
			fmt.Sprintf("%s: the design's %s is %q, the deployment runs %q", comp.Addr, what, e.Image, a.Image),
			analyze.Related{Message: "image: " + a.Image, Range: a.ImageRange})
	}
	if e.ZoneSpread && !a.ZoneSpread {
		c.report(Zones, comp.Addr, comp.Range("zones"),
			fmt.Sprintf("%s is placed in zones %s, but the deployment's %s does not spread its pods over zones", comp.Addr, strings.Join(comp.Zones, ", "), a.Name),
			analyze.Related{Message: a.Kind + " " + a.Name + " has no topologySpreadConstraints on topology.kubernetes.io/zone", Range: a.Range})
	}
	for _, r := range []struct{ name, want, got string }{{"cpu", e.CPU, a.CPU}, {"memory", e.Memory, a.Memory}} {
		if r.want == "" {
			continue
		}
		below, ok := lessQuantity(c.target, r.name, r.got, r.want)
		if r.got == "" || ok && below {
			got := r.got
			if got == "" {
				got = "none"
			}
			c.report(Resources, comp.Addr, comp.Range("resources."+r.name),
				fmt.Sprintf("%s: the design gives each instance %s %s, the deployment's %s gives %s", comp.Addr, r.name, r.want, a.Name, got),
				analyze.Related{Message: "resources of " + a.Name, Range: a.ResourceRange})
		}
	}
}

// compareCalls compares the calls the two deployments admit or configure:
// NetworkPolicy admissions (Kubernetes) or depends_on (Compose).
func (c *checker) compareCalls(expected, actual *Deployment, exp, act map[string]*Workload) {
	type edge struct{ from, to string }
	var expEdges, actEdges []edge
	actRange := map[edge]hcl.Range{}
	switch c.target {
	case emit.TargetKubernetes:
		if !actual.HasPolicies {
			return // no NetworkPolicy: every call is allowed, none is configured
		}
		for _, p := range expected.Policies {
			expEdges = append(expEdges, edge{p.From, p.To})
		}
		for _, p := range actual.Policies {
			e := edge{p.From, p.To}
			actEdges = append(actEdges, e)
			actRange[e] = p.Range
		}
	default:
		for _, w := range expected.Workloads {
			for _, d := range w.DependsOn {
				expEdges = append(expEdges, edge{w.Name, d})
			}
		}
		for _, w := range actual.Workloads {
			for _, d := range w.DependsOn {
				e := edge{w.Name, d}
				actEdges = append(actEdges, e)
				actRange[e] = w.Range
			}
		}
	}
	has := func(es []edge, e edge) bool {
		for _, x := range es {
			if x == e {
				return true
			}
		}
		return false
	}
	compOf := func(name string) *lang.Component {
		if w := exp[name]; w != nil {
			return c.component(w)
		}
		if w := act[name]; w != nil {
			return c.component(w)
		}
		return nil
	}
	seen := map[edge]bool{}
	for _, e := range expEdges {
		if seen[e] || has(actEdges, e) {
			continue
		}
		seen[e] = true
		from, to := compOf(e.from), compOf(e.to)
		if from == nil || to == nil || exp[e.from] == nil || act[e.from] == nil || act[e.to] == nil {
			continue // a missing workload is reported already
		}
		at := from.DeclRange
		if call := callTo(from, to); call != nil {
			at = call.DeclRange
		}
		msg := fmt.Sprintf("the design has %s call %s, but the deployment's NetworkPolicies block it", from.Addr, to.Addr)
		if c.target == emit.TargetCompose {
			msg = fmt.Sprintf("the design has %s call %s, but the deployment's %s does not depend on %s", from.Addr, to.Addr, e.from, e.to)
		}
		c.report(CallMissing, from.Addr, at, msg, analyze.Related{Message: "deployment of " + e.from, Range: act[e.from].Range})
	}
	seen = map[edge]bool{}
	for _, e := range actEdges {
		if seen[e] || has(expEdges, e) {
			continue
		}
		seen[e] = true
		from, to := compOf(e.from), compOf(e.to)
		name := func(comp *lang.Component, n string) string {
			if comp != nil {
				return comp.Addr
			}
			return n
		}
		msg := fmt.Sprintf("the deployment lets %s call %s, which the design does not", name(from, e.from), name(to, e.to))
		if c.target == emit.TargetCompose {
			msg = fmt.Sprintf("the deployment's %s depends on %s, a call the design does not have", e.from, e.to)
		}
		var rel []analyze.Related
		if from != nil {
			rel = append(rel, analyze.Related{Message: from.Addr + " in the design", Range: from.DeclRange})
		}
		c.report(CallUndeclared, name(from, e.from), actRange[e], msg, rel...)
	}
}

func callTo(from, to *lang.Component) *lang.Call {
	for _, call := range from.Calls {
		if call.To == to {
			return call
		}
	}
	return nil
}

// lessQuantity reports whether quantity a is below b (ok false when either
// does not parse): Kubernetes quantities ("500m" CPU, "512Mi"), or Compose's
// CPUs as a number ("0.5") and memory in Docker's units ("512m" is 512 MiB).
func lessQuantity(target Target, what, a, b string) (less, ok bool) {
	if target == emit.TargetCompose {
		var fa, fb float64
		var err1, err2 error
		if what == "cpu" {
			fa, err1 = strconv.ParseFloat(strings.TrimSpace(a), 64)
			fb, err2 = strconv.ParseFloat(strings.TrimSpace(b), 64)
		} else {
			var ia, ib int64
			ia, err1 = units.RAMInBytes(strings.TrimSpace(a))
			ib, err2 = units.RAMInBytes(strings.TrimSpace(b))
			fa, fb = float64(ia), float64(ib)
		}
		if err1 != nil || err2 != nil {
			return false, false
		}
		return fa < fb, true
	}
	qa, err1 := resource.ParseQuantity(strings.TrimSpace(a))
	qb, err2 := resource.ParseQuantity(strings.TrimSpace(b))
	if err1 != nil || err2 != nil {
		return false, false
	}
	return qa.Cmp(qb) < 0, true
}

func engineOf(image string) string {
	repo := image
	if i := strings.Index(repo, "@"); i >= 0 {
		repo = repo[:i]
	}
	if i := strings.LastIndex(repo, ":"); i > strings.LastIndex(repo, "/") {
		repo = repo[:i]
	}
	if i := strings.LastIndex(repo, "/"); i >= 0 {
		repo = repo[i+1:]
	}
	return repo
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
