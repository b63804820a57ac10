package lang

import (
	"fmt"
	"hash/fnv"
	"strings"
	"unicode"

	"github.com/archform/archform/internal/confusable"
	"github.com/hashicorp/hcl/v2"
)

// The names archform's outputs give a design's components live here, in
// one place, so that validation can prove them distinct before anything is
// written: emit deploys under them (Compose services, Kubernetes objects
// and their DNS names, the files they are written to) and drift reads
// deployments back through them.

// DefaultDenyName is the NetworkPolicy emit adds of its own: no component
// may be deployed under it.
const DefaultDenyName = "default-deny"

// ClusteredEngines are the engines emit runs as a cluster of members, each
// its own Compose service NAME-0, NAME-1, ... (emit's engine table is
// checked against this list by a test).
var ClusteredEngines = []string{"consul", "elasticsearch", "etcd", "kafka", "nats", "opensearch"}

// DNSLabel turns a design name into an RFC 1123 label of at most max
// characters: lower case, [a-z0-9-], starting and ending alphanumeric. Names
// that had to be shortened get a hash suffix so they stay distinct.
func DNSLabel(s string, max int) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	out := strings.Trim(b.String(), "-")
	for strings.Contains(out, "--") {
		out = strings.ReplaceAll(out, "--", "-")
	}
	if out == "" {
		out = "x"
	}
	if len(out) > max {
		h := fnv.New32a()
		h.Write([]byte(s))
		suffix := fmt.Sprintf("-%08x", h.Sum32())
		out = strings.TrimRight(out[:max-len(suffix)], "-") + suffix
	}
	return out
}

// DeployNames maps each component to the name it is deployed under: the
// DNS label of its name, or of KIND-NAME when two deployable components
// share the label, when the label is one emit derives for its own objects
// (default-deny, NAME-public) or when it starts with a digit.
func DeployNames(d *Design) map[*Component]string {
	count := map[string]int{}
	for _, c := range d.Components {
		if c.Kind.Deployable() {
			count[DNSLabel(c.Name, 40)]++
		}
	}
	out := map[*Component]string{}
	for _, c := range d.Components {
		name := DNSLabel(c.Name, 40)
		derived := name == DefaultDenyName || strings.HasSuffix(name, "-public") && count[strings.TrimSuffix(name, "-public")] > 0
		if count[name] > 1 || derived || name[0] >= '0' && name[0] <= '9' {
			name = DNSLabel(string(c.Kind)+"-"+c.Name, 40)
		}
		out[c] = name
	}
	return out
}

// Members is the number of members a clustered engine runs as (0 when c is
// not run as a cluster): a database's quorum n or its primary and
// replicas, another kind's replicas; a sharded database or a multi-region
// component is not clustered.
func Members(c *Component) int {
	clustered := false
	for _, e := range ClusteredEngines {
		clustered = clustered || c.Engine == e
	}
	if !clustered || c.Kind == KindDatabase && c.Shards > 1 || c.MultiRegion != nil {
		return 0
	}
	size := c.Replicas
	if c.Kind == KindDatabase {
		size = 1 + c.Replication.Replicas
		if c.Quorum != nil {
			size = c.Quorum.N
		}
	}
	if size < 2 {
		return 0
	}
	return size
}

// checkNames reports what the outputs could not tell apart: two
// deployable components (or a cluster's member and a component) deployed
// under one name, zones or regions whose names map to one DNS label; and
// warns of names that mix scripts or look like another name (TR39
// skeletons).
func (dc *decoder) checkNames(d *Design) {
	type owner struct {
		c    *Component
		what string
	}
	names := DeployNames(d)
	taken := map[string]owner{}
	claim := func(c *Component, name, what string) {
		if first, dup := taken[name]; dup && first.c != c {
			dc.errorf(c.NameRange, "Duplicate deployed name",
				"%s and %s (declared at %s) are both deployed as %q: the Compose service, the Kubernetes objects, their DNS names and files would be one. Deployed names are lower case, with every character other than a-z and 0-9 written as '-'; rename one of the two.",
				what, first.what, rangeString(first.c.DeclRange), name)
			return
		}
		taken[name] = owner{c, what}
	}
	// Components before members, so that a member names the component it
	// collides with.
	comps := make([]*Component, 0, len(d.Components))
	for _, c := range d.Components {
		if c.Kind.Deployable() {
			comps = append(comps, c)
		}
	}
	for _, c := range comps {
		claim(c, names[c], c.Addr)
	}
	for _, c := range comps {
		for i := range Members(c) {
			claim(c, fmt.Sprintf("%s-%d", names[c], i), fmt.Sprintf("member %d of %s", i, c.Addr))
		}
	}
	dc.checkLookalikes(d)
}

// A named thing of the design, for the lookalike check.
type named struct {
	name, what string
	rng        hcl.Range
}

// checkLookalikes warns of names that mix scripts and of names whose TR39
// skeletons are equal.
func (dc *decoder) checkLookalikes(d *Design) {
	var all []named
	for _, c := range d.Components {
		all = append(all, named{c.Name, c.Addr, c.NameRange})
	}
	for _, r := range d.Regions {
		all = append(all, named{r.Name, "region " + r.Name, r.NameRange})
	}
	for _, f := range d.Flows {
		all = append(all, named{f.Name, "flow " + f.Name, f.NameRange})
	}
	bySkeleton := map[string]named{}
	for _, n := range all {
		ascii := true
		for _, r := range n.name {
			ascii = ascii && r < unicode.MaxASCII
		}
		if !ascii {
			if scripts, mixed := confusable.MixedScript(n.name); mixed {
				dc.warnf(n.rng, "Mixed-script name",
					"The name of %s mixes the scripts %s: it can look like a name it is not. Write it in one script.", n.what, strings.Join(scripts, " and "))
			}
		}
		sk := confusable.Skeleton(n.name)
		if first, ok := bySkeleton[sk]; ok && first.name != n.name {
			dc.warnf(n.rng, "Confusable names",
				"The name of %s looks like the name of %s (declared at %s): a reader cannot tell them apart. Rename one.", n.what, first.what, rangeString(first.rng))
			continue
		}
		bySkeleton[sk] = n
	}
}
