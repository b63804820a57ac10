package emit

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/internal/credential"
	"github.com/archform/archform/lang"
)

// A plan is what both targets deploy, worked out once from the design:
// which components become containers, under which names, with which image,
// ports, replicas, volume, environment, secrets and health check.
type plan struct {
	d      *lang.Design
	system string // DNS label of the system's name
	title  string // the system's name as written
	units  []*unit
	lbs    []*balancer
	byComp map[*lang.Component]*unit
	lbOf   map[*lang.Component]*balancer
}

// unit is one deployable component that runs as containers.
type unit struct {
	c      *lang.Component
	Name   string
	Image  string
	Engine *engine // nil for an image the design names without a known engine
	// Profile is what the image does at run time (nil: archform has no
	// profile of the image).
	Profile *profile
	// Memory is the container's memory limit in bytes: the design's, or the
	// default of its kind (0: none).
	Memory int64
	// Notes say why the manifest departs from the hardened default, for the
	// comments written next to the workload.
	Notes []string
	// Ports are the TCP ports the container listens on; UDP its UDP
	// ports. AssumedPort says Ports is archform's default (defaultPort),
	// not the design's: a finding wherever the port is used.
	Ports       []int
	UDP         []int
	AssumedPort bool
	// Reached: something calls the unit, it is public, or it runs as a
	// StatefulSet: on Kubernetes it needs a Service, and so a port.
	Reached bool
	// Published are the host mappings of the design's port blocks.
	Published []*lang.Port
	Replicas  int
	Volume    *volume
	Env       map[string]string
	// Passthrough are variables taken from where the deployment starts.
	Passthrough []string
	Secrets     []secretEnv // sorted by Env
	Command     []string
	// Entrypoint replaces the image's entrypoint (nil: the image's).
	Entrypoint []string
	Mounts     []*lang.Mount
	Ready      *probe // nil when nothing tells how to check the component
	Public     bool
	// Members is the size of a clustered engine's quorum (0: not clustered).
	Members int
	// Behind lists the load balancers in front of the unit.
	Behind []*balancer
}

// balancer is a load_balancer component.
type balancer struct {
	c        *lang.Component
	Name     string
	Layer    int
	Ports    []int // the ports it serves
	Replicas int
	Backends []backend
	Public   bool
}

// backend is what a load balancer sends traffic to: a deployed component,
// or another load balancer.
type backend struct {
	u      *unit
	lb     *balancer
	Weight float64
}

func (be backend) name() string {
	if be.lb != nil {
		return be.lb.Name
	}
	return be.u.Name
}

func (be backend) port() int {
	if be.lb != nil {
		return be.lb.Ports[0]
	}
	return be.u.Ports[0]
}

func (be backend) addr() string {
	if be.lb != nil {
		return be.lb.c.Addr
	}
	return be.u.c.Addr
}

// units are the deployed components a load balancer reaches, directly or
// through the load balancers behind it, in order.
func (b *balancer) units() []*unit {
	var out []*unit
	seen := map[*balancer]bool{}
	var walk func(*balancer)
	walk = func(b *balancer) {
		if seen[b] {
			return
		}
		seen[b] = true
		for _, be := range b.Backends {
			if be.lb != nil {
				walk(be.lb)
			} else if !slices.Contains(out, be.u) {
				out = append(out, be.u)
			}
		}
	}
	walk(b)
	return out
}

// volume is a unit's persistent volume; Name is the Compose volume's name
// ("" = UNIT-data).
type volume struct{ Path, Size, Name string }

// secretEnv is an environment variable read from a secret.
type secretEnv struct{ Env, Name, Key string }

// probe is a readiness check: an HTTP GET of Path on Port, or a command.
type probe struct {
	Path     string
	Port     int
	Exec     []string
	Shell    bool
	Interval time.Duration
	Timeout  time.Duration
	Failures int
}

// Defaults where the design is silent.
const (
	defaultPort       = 8080 // services and gateways without ports
	defaultLBPort     = 80
	defaultVolumeSize = "10Gi"
	defaultCacheSize  = "1Gi"
	defaultInterval   = 10 * time.Second
	defaultTimeout    = 5 * time.Second
	defaultFailures   = 3
)

// operators names the operator that runs an engine's replication or
// clustering on Kubernetes, for the findings.
var operators = map[string]string{
	"postgres": "CloudNativePG", "mysql": "MySQL Operator", "mariadb": "mariadb-operator",
	"mongodb": "MongoDB Community Operator", "kafka": "Strimzi", "rabbitmq": "RabbitMQ Cluster Operator",
	"elasticsearch": "ECK", "opensearch": "OpenSearch Operator", "cassandra": "K8ssandra",
	"scylladb": "Scylla Operator", "cockroachdb": "CockroachDB Operator", "minio": "MinIO Operator",
}

func operatorFor(e *engine) string {
	if e != nil {
		if op, ok := operators[e.Name]; ok {
			return "an operator (" + op + ")"
		}
	}
	return "an operator"
}

// newPlan works out what to deploy and reports what cannot be deployed.
func newPlan(d *lang.Design, n *notes) *plan {
	p := &plan{d: d, byComp: map[*lang.Component]*unit{}, lbOf: map[*lang.Component]*balancer{}}
	p.system, p.title = "archform", "archform"
	if d.System != nil {
		p.system, p.title = dnsLabel(d.System.Name, 40), d.System.Name
	}
	names := p.names()
	for _, c := range d.Components {
		switch {
		case c.Kind == lang.KindLoadBalancer:
			b := &balancer{c: c, Name: names[c], Layer: c.Layer, Ports: c.Ports,
				Replicas: max(c.Replicas, 1), Public: p.entry(c)}
			if b.Layer == 0 {
				b.Layer = 7
			}
			if len(b.Ports) == 0 {
				b.Ports = []int{defaultLBPort}
			}
			p.lbs = append(p.lbs, b)
			p.lbOf[c] = b
		case !c.Kind.Deployable():
			n.info(c, "", "%s is %s %s: not deployed", c.Addr, article(string(c.Kind)), c.Kind)
		default:
			if u := p.newUnit(c, names[c], n); u != nil {
				p.units = append(p.units, u)
				p.byComp[c] = u
			}
		}
	}
	for _, b := range p.lbs {
		for _, call := range b.c.Calls {
			u, inner := p.byComp[call.To], p.lbOf[call.To]
			switch {
			case inner != nil && inner != b:
				b.Backends = append(b.Backends, backend{lb: inner, Weight: call.Weight})
			case u != nil:
				b.Backends = append(b.Backends, backend{u: u, Weight: call.Weight})
			default:
				n.warn(b.c, "", "backend %s of %s is not deployed: the load balancer leaves it out", call.To.Addr, b.c.Addr)
			}
		}
	}
	for _, b := range p.lbs {
		for _, u := range b.units() {
			u.Behind = append(u.Behind, b)
		}
	}
	for _, u := range p.units {
		u.Ready = p.readiness(u)
	}
	return p
}

// names gives every deployable component a DNS label: its name, or KIND-NAME
// where two kinds share a name.
func (p *plan) names() map[*lang.Component]string { return lang.DeployNames(p.d) }

// entry reports whether c takes traffic from outside: public, or called by
// a client or a CDN.
func (p *plan) entry(c *lang.Component) bool {
	if c.Public {
		return true
	}
	for _, call := range p.d.Incoming(c) {
		if k := call.From.Kind; k == lang.KindClient || k == lang.KindCDN {
			return true
		}
	}
	return false
}

func (p *plan) newUnit(c *lang.Component, name string, n *notes) *unit {
	var e *engine
	if c.Engine != "" {
		e = lookupEngine(c.Engine)
		if e != nil && e.Managed {
			n.info(c, "engine", "%s uses the managed service %q: not deployed; callers reach it over the network", c.Addr, c.Engine)
			return nil
		}
	}
	u := &unit{c: c, Name: name, Image: c.Image, Engine: e, Public: p.entry(c), Replicas: max(c.Replicas, 1)}
	if u.Image == "" && e != nil {
		u.Image = e.Image
	}
	if u.Image == "" {
		if c.Engine != "" {
			n.warn(c, "engine", "%s is not deployed: archform has no image for engine %q; set image", c.Addr, c.Engine)
			n.explain("Set image = \"REGISTRY/NAME:TAG\" on %s: archform picks images only for the engines it knows.", c.Addr)
		} else {
			n.warn(c, "", "%s is not deployed: it has no image; set image", c.Addr)
			n.explain("Set image = \"REGISTRY/NAME:TAG\" on %s. Its callers are deployed without it and will fail to reach it.", c.Addr)
		}
		return nil
	}
	u.Ports = c.Ports
	for _, ps := range c.PortSpecs {
		if ps.Protocol == "udp" {
			u.UDP = append(u.UDP, ps.Number)
		}
		if ps.HostPort > 0 {
			u.Published = append(u.Published, ps)
		}
	}
	if len(u.Ports) == 0 {
		if e != nil {
			u.Ports = []int{e.Port}
		} else {
			u.Ports, u.AssumedPort = []int{defaultPort}, true
		}
	}
	u.Entrypoint = c.Entrypoint
	u.Passthrough = c.EnvPassthrough
	u.Mounts = c.Mounts
	u.Command = c.Command
	if len(u.Command) == 0 && e != nil {
		u.Command = e.Command
	}
	u.Env = map[string]string{}
	ownAuth := e != nil && e.OptionalAuth && c.Image != ""
	if e != nil && !ownAuth {
		for k, v := range e.Env {
			u.Env[k] = v
		}
	}
	for env, ref := range c.Secrets {
		u.Secrets = append(u.Secrets, secretEnv{Env: env, Name: ref.Name, Key: ref.Key})
	}
	for _, k := range slices.Sorted(maps.Keys(c.Env)) {
		v := c.Env[k]
		m, ok := credential.Find(k, v)
		if !ok {
			u.Env[k] = v
			continue
		}
		// A credential is never written as a plain value: the variable
		// reads it from a secret, the engine's own where it takes one.
		delete(u.Env, k)
		if _, ok := c.Secrets[k]; ok {
			n.warn(c, "env", "%s sets %s both in env and in secrets: the plain value (%s) is not written; the secret is", c.Addr, k, m.What)
			n.explain("Remove %s from env: a design is not the place for a credential.", k)
			continue
		}
		key := k
		if e != nil && k == e.Password {
			key = "password"
		}
		u.Secrets = append(u.Secrets, secretEnv{Env: k, Name: name + "-credentials", Key: key})
		n.warn(c, "env", "%s: env %s holds a credential (%s): not written; the workload reads %s from the secret %s-credentials, key %s", c.Addr, k, m.What, k, name, key)
		n.explain("Move it to secrets = { %s = \"%s-credentials/%s\" } and create that secret outside the design: whoever reads the design or the manifests would read the credential.", k, name, key)
	}
	if e != nil && e.Password != "" && !ownAuth {
		_, inEnv := u.Env[e.Password]
		inSecrets := slices.ContainsFunc(u.Secrets, func(s secretEnv) bool { return s.Env == e.Password })
		if !inEnv && !inSecrets {
			u.Secrets = append(u.Secrets, secretEnv{Env: e.Password, Name: name + "-credentials", Key: "password"})
		}
	}
	for _, am := range credential.FindArgs(c.Command) {
		if credential.Reference(c.Command[am.Index][am.Start:am.End]) {
			continue // $(VAR): read from the environment, where a secret can set it
		}
		n.warn(c, "command", "%s: argument %d of command holds a credential (%s): written as it is; whoever reads the manifests reads it", c.Addr, am.Index+1, am.What)
		n.explain("Pass the credential in an environment variable read from a secret (secrets = { VAR = \"NAME/KEY\" }) and refer to it as $(VAR) on Kubernetes, or let the image read VAR_FILE.")
	}
	sort.Slice(u.Secrets, func(i, j int) bool { return u.Secrets[i].Env < u.Secrets[j].Env })
	u.Volume = unitVolume(c, e)
	u.Profile = profileFor(u.Image)
	p.limitInstances(u, n)
	p.applyProfile(u, n)
	p.consistencyConfig(u, n)
	return u
}

// unitVolume is the persistent volume of a component: the volume block, or
// the engine's data directory for kinds that keep data.
func unitVolume(c *lang.Component, e *engine) *volume {
	if c.Volume != nil {
		size := c.Volume.Size
		if size == "" {
			size = defaultVolumeSize
		}
		path := c.Volume.Path
		if path == "" && e != nil {
			path = e.DataPath
		}
		if path != "" {
			return &volume{Path: path, Size: size, Name: c.Volume.Name}
		}
	}
	if e == nil || e.DataPath == "" {
		return nil
	}
	switch c.Kind {
	case lang.KindCache:
		if c.Persistence == "snapshot" || c.Persistence == "aof" {
			return &volume{Path: e.DataPath, Size: defaultCacheSize}
		}
		return nil
	case lang.KindDatabase:
		if c.Storage != "" {
			return &volume{Path: e.DataPath, Size: c.Storage}
		}
	}
	if c.Kind.Stateful() {
		return &volume{Path: e.DataPath, Size: defaultVolumeSize}
	}
	return nil
}

// limitInstances runs infrastructure kinds as one instance: replication,
// quorums, shards and clusters of stock images need configuration (or an
// operator) that archform does not generate. Each loss is a finding.
func (p *plan) limitInstances(u *unit, n *notes) {
	c := u.c
	if !c.Kind.Stateful() {
		return
	}
	u.Replicas = 1
	what := c.Engine
	if what == "" {
		what = string(c.Kind)
	}
	op := "cluster configuration that archform does not generate for Compose"
	detail := fmt.Sprintf("The design's availability and consistency figures for %s assume every instance it declares; "+
		"this deployment has one. Run %s where those instances matter, or silence the finding with a reason "+
		"(# archform:ignore %s -- REASON) where one instance is enough.", c.Addr, "the Kubernetes output with an operator", n.rule)
	if n.rule == kubernetesRuleID {
		op = operatorFor(u.Engine)
		detail = fmt.Sprintf("The design's availability and consistency figures for %s assume every instance it declares; "+
			"this StatefulSet has one. Manage %s with %s (and silence this finding with "+
			"# archform:ignore %s -- managed by the operator), or accept one instance.", c.Addr, c.Addr, op, n.rule)
	}
	defer func() {
		for i := range n.findings {
			if f := &n.findings[i]; f.Subject == c.Addr && f.Detail == "" && f.Severity == analyze.Warning {
				f.Detail = detail
				f.Data = map[string]any{"instances_declared": max(len(c.Instances), c.Replicas), "instances_emitted": 1}
			}
		}
	}()
	if c.Kind == lang.KindDatabase {
		r := c.Replication
		if p.clusters(u, n) {
			return
		}
		switch {
		case r.Mode == "quorum" && c.Quorum != nil:
			n.warn(c, "replication.mode", "%s runs 1 %s instance of %s: a quorum of %d members (r=%d, w=%d) needs %s",
				n.target, what, c.Addr, c.Quorum.N, c.Quorum.R, c.Quorum.W, op)
		case r.Mode != "" && r.Mode != "none" && r.Replicas > 0:
			n.warn(c, "replication.mode", "%s runs 1 %s instance of %s: %s replication to %d replica(s) needs %s",
				n.target, what, c.Addr, r.Mode, r.Replicas, op)
		case c.Quorum != nil && c.Has("quorum"):
			n.warn(c, "quorum", "%s runs 1 %s instance of %s: the quorum settings (n=%d, r=%d, w=%d) need %s",
				n.target, what, c.Addr, c.Quorum.N, c.Quorum.R, c.Quorum.W, op)
		}
		if c.Shards > 1 {
			n.warn(c, "shards", "%s runs 1 %s instance of %s: %d shards need %s", n.target, what, c.Addr, c.Shards, op)
		}
		if c.MultiRegion != nil {
			n.warn(c, "multi_region", "%s cannot express multi_region (%s across %s) for %s", n.target,
				c.MultiRegion.Mode, strings.Join(c.MultiRegion.Regions, ", "), c.Addr)
		}
		return
	}
	if c.Kind == lang.KindCache {
		// Cache instances need no coordination: they stay as declared and
		// clients spread keys over them.
		u.Replicas = max(c.Replicas, 1)
		if u.Replicas > 1 && (u.Volume == nil || n.rule == kubernetesRuleID) {
			n.info(c, "replicas", "the %d %s instances of %s are independent (no replication, no cluster mode): clients spread keys over the addresses %s resolves to",
				u.Replicas, what, c.Addr, u.Name)
		}
		return
	}
	if c.Kind == lang.KindSearch && c.Shards > 1 {
		n.info(c, "shards", "%s leaves index shards (%d) to the application that creates the index", n.target, c.Shards)
	}
	if !p.clusters(u, n) && c.Replicas > 1 {
		n.warn(c, "replicas", "%s runs 1 %s instance of %s, not %d: a %s cluster needs %s",
			n.target, what, c.Addr, c.Replicas, what, op)
	}
}

// clusters runs a clustered engine (etcd, consul, NATS, Kafka, Elasticsearch,
// OpenSearch) as the members the design declares; it reports true when it did.
func (p *plan) clusters(u *unit, n *notes) bool {
	c := u.c
	if u.Engine == nil || u.Engine.Cluster == nil || c.Kind == lang.KindDatabase && c.Shards > 1 || c.MultiRegion != nil {
		return false
	}
	size := lang.Members(c)
	if size == 0 {
		return false
	}
	u.Replicas, u.Members = size, size
	if q := c.Quorum; q != nil && (q.R != size/2+1 || q.W != size/2+1) {
		n.warn(c, "quorum", "%s always reads and writes through a majority (%d of %d): r=%d, w=%d of %s cannot be set",
			u.Engine.Name, size/2+1, size, q.R, q.W, c.Addr)
	}
	return true
}

// readiness derives a unit's readiness check: its own health_check, else its
// engine's command, else the health_check of a load balancer in front of it.
func (p *plan) readiness(u *unit) *probe {
	hc := u.c.HealthCheck
	if hc == nil || hc.Path == "" {
		if u.Engine != nil && len(u.Engine.Probe) > 0 {
			pr := &probe{Exec: u.Engine.Probe, Shell: u.Engine.Shell}
			return timed(pr, hc)
		}
		for _, b := range u.Behind {
			if b.c.HealthCheck != nil && b.c.HealthCheck.Path != "" {
				hc = b.c.HealthCheck
				break
			}
		}
	}
	if hc == nil || hc.Path == "" {
		return nil
	}
	port := hc.Port
	if port == 0 || !contains(u.Ports, port) && u.c.HealthCheck != hc {
		port = u.Ports[0]
	}
	return timed(&probe{Path: hc.Path, Port: port}, hc)
}

func timed(pr *probe, hc *lang.HealthCheck) *probe {
	pr.Interval, pr.Timeout, pr.Failures = defaultInterval, defaultTimeout, defaultFailures
	if hc != nil {
		if hc.Interval > 0 {
			pr.Interval = hc.Interval
		}
		if hc.Timeout > 0 {
			pr.Timeout = hc.Timeout
		}
		if hc.UnhealthyThreshold > 0 {
			pr.Failures = hc.UnhealthyThreshold
		}
	}
	return pr
}

// externals reports whether c calls a component that runs outside the
// deployment (external, or a managed engine).
func (p *plan) externals(c *lang.Component) bool {
	for _, call := range c.Calls {
		to := call.To
		if to.Kind == lang.KindExternal {
			return true
		}
		if e := lookupEngine(to.Engine); e != nil && e.Managed && to.Kind.Deployable() {
			return true
		}
	}
	return false
}

func contains(list []int, x int) bool {
	for _, v := range list {
		if v == x {
			return true
		}
	}
	return false
}

func article(word string) string {
	if strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}
