// Package lang decodes archform designs (HCL files, see docs/language.md) and holds
// the typed design that every later stage reads: analyze, rules, render and emit.
//
// The model follows Terraform's internal/configs: the decoder fills these
// structures by hand from the HCL bodies so that every element keeps the
// source ranges of its declaration, its name and each attribute it sets.
//
// Values in the model are effective values: defaults (the language's own and
// the system block's `defaults`) are already applied. Whether the user wrote
// an attribute is recorded in the element's Ranges (Has / Range).
package lang

import (
	"sort"
	"time"

	"github.com/hashicorp/hcl/v2"
)

// Kind is a component block type.
type Kind string

// The component kinds of the language (docs/language.md).
const (
	KindClient       Kind = "client"
	KindCDN          Kind = "cdn"
	KindLoadBalancer Kind = "load_balancer"
	KindGateway      Kind = "gateway"
	KindService      Kind = "service"
	KindCache        Kind = "cache"
	KindDatabase     Kind = "database"
	KindQueue        Kind = "queue"
	KindStorage      Kind = "storage"
	KindSearch       Kind = "search"
	KindExternal     Kind = "external"
)

// Kinds lists every component kind in the order docs/language.md gives them.
var Kinds = []Kind{KindClient, KindCDN, KindLoadBalancer, KindGateway, KindService,
	KindCache, KindDatabase, KindQueue, KindStorage, KindSearch, KindExternal}

// Deployable reports whether components of this kind become containers.
func (k Kind) Deployable() bool {
	switch k {
	case KindLoadBalancer, KindGateway, KindService, KindCache, KindDatabase,
		KindQueue, KindStorage, KindSearch:
		return true
	}
	return false
}

// Stateful reports whether this kind keeps data (databases, caches, queues,
// storage and search). A service may also be stateful; see Component.IsStateful.
func (k Kind) Stateful() bool {
	switch k {
	case KindCache, KindDatabase, KindQueue, KindStorage, KindSearch:
		return true
	}
	return false
}

// Op is the class of traffic a call or flow carries.
type Op string

// Operations.
const (
	OpRead      Op = "read"
	OpWrite     Op = "write"
	OpReadWrite Op = "read_write"
)

// Matches reports whether a call with op c carries traffic of class want
// (OpRead or OpWrite).
func (c Op) Matches(want Op) bool {
	return c == OpReadWrite || want == OpReadWrite || c == want
}

// Consistency is a consistency level of the Jepsen consistency map.
type Consistency string

// Consistency levels, strongest first. The empty level means "not stated".
const (
	Linearizable     Consistency = "linearizable"
	Sequential       Consistency = "sequential"
	Causal           Consistency = "causal"
	ReadYourWrites   Consistency = "read_your_writes"
	MonotonicReads   Consistency = "monotonic_reads"
	BoundedStaleness Consistency = "bounded_staleness"
	Eventual         Consistency = "eventual"
	// The session guarantees of Terry et al. that the language had no name
	// for: incomparable with read_your_writes and monotonic_reads, implied
	// by causal.
	MonotonicWrites   Consistency = "monotonic_writes"
	WritesFollowReads Consistency = "writes_follow_reads"
)

// ConsistencyLevels lists the levels strongest first.
var ConsistencyLevels = []Consistency{Linearizable, Sequential, Causal, ReadYourWrites,
	MonotonicReads, MonotonicWrites, WritesFollowReads, BoundedStaleness, Eventual}

// Strength orders levels: linearizable is 7, eventual 1, unset 0.
func (c Consistency) Strength() int {
	for i, l := range ConsistencyLevels {
		if l == c {
			return len(ConsistencyLevels) - i
		}
	}
	return 0
}

// Session reports whether c is one of the four session guarantees of Terry
// et al. (read_your_writes, monotonic_reads, monotonic_writes,
// writes_follow_reads): implied by causal, incomparable with one another.
func (c Consistency) Session() bool {
	switch c {
	case ReadYourWrites, MonotonicReads, MonotonicWrites, WritesFollowReads:
		return true
	}
	return false
}

// Ranges records the source range of each attribute an element sets, keyed by
// attribute name; nested blocks use dotted keys ("replication.mode",
// "health_check.path"). A block itself is recorded under its type name.
type Ranges map[string]hcl.Range

// Has reports whether the user wrote the attribute or block.
func (r Ranges) Has(name string) bool { _, ok := r[name]; return ok }

// Design is a whole decoded design: the one model analyze, render and emit read.
type Design struct {
	// Dir is the directory (or file) the design was loaded from.
	Dir string
	// Files holds every parsed file by filename, for printing diagnostics.
	Files map[string]*hcl.File

	System     *System
	Regions    []*Region
	Zones      []*Zone      // every zone of every region, in declaration order
	Components []*Component // source order: files in lexical order, then position
	Flows      []*Flow      // source order

	byAddr   map[string]*Component
	zoneByNm map[string]*Zone
	incoming map[*Component][]*Call
	consumed map[*Component][]*Consume
}

// System is the design's `system` block.
type System struct {
	Name        string
	Description string
	Defaults    Defaults
	SLO         SLO
	DeclRange   hcl.Range
	NameRange   hcl.Range
	Ranges      Ranges
}

// Defaults are the system-wide component defaults, already resolved to the
// language's defaults where the block leaves them out.
type Defaults struct {
	Availability   float64 // one instance's availability (DefaultAvailability when unset)
	MaxUtilization float64 // DefaultMaxUtilization when unset
}

// Language defaults where neither the component nor system.defaults sets a value.
const (
	DefaultAvailability   = 0.999
	DefaultMaxUtilization = 0.8
)

// SLOScenarioKinds are the values of an slo's `under`: the kinds of failure
// scenario the analysis builds (a zone lost, a region lost, a cache down, a
// component with a fallback down).
var SLOScenarioKinds = []string{"zone", "region", "cache", "component"}

// SLO is a set of objectives. Zero values mean "not set".
type SLO struct {
	Availability float64
	LatencyP99   time.Duration
	LatencyMean  time.Duration
	RPO          time.Duration
	HasRPO       bool // RPO "0s" is a real objective: HasRPO tells it from unset
	// Under lists the kinds of failure scenario (SLOScenarioKinds) in which
	// the availability and latency objectives must hold too.
	Under     []string
	DeclRange hcl.Range
	Ranges    Ranges
}

// Region is a `region` block.
type Region struct {
	Name      string
	Zones     []*Zone
	DeclRange hcl.Range
	NameRange hcl.Range
	Ranges    Ranges
}

// Zone is one zone of a region.
type Zone struct {
	Name   string
	Region *Region
	Range  hcl.Range // the zone's string in the region's zones list
}

// Component is one component block.
type Component struct {
	Kind Kind
	Name string
	// Addr is KIND.NAME, e.g. "service.api".
	Addr string

	Description    string
	Replicas       int      // declared replicas (default 1); databases: see Instances
	Zones          []string // placement, as written
	CapacityRPS    float64  // per instance; 0 when not declared (see Has("capacity_rps"))
	MaxUtilization float64  // effective
	Latency        time.Duration
	Availability   float64 // effective, one instance
	Labels         map[string]string

	Calls    []*Call
	Consumes []*Consume

	// Instances are the component's placed instances: Replicas of them spread
	// over Zones evenly in order; for databases, primary and replicas (or
	// quorum members) per shard.
	Instances []*Instance

	// Deployable kinds.
	Image   string
	Ports   []int
	Env     map[string]string
	Secrets map[string]SecretRef // env var -> secret
	Command []string
	// Entrypoint replaces the image's entrypoint (nil: the image's).
	Entrypoint []string
	// EnvPassthrough are variables taken from where the deployment is
	// started, with no value in the design.
	EnvPassthrough []string
	// PortSpecs are the port blocks, in source order; the TCP ones' numbers
	// are in Ports too.
	PortSpecs []*Port
	// Mounts are the mount blocks, in source order.
	Mounts      []*Mount
	Resources   *Resources
	HealthCheck *HealthCheck
	Autoscale   *Autoscale
	Volume      *Volume
	Public      bool
	// Rollout is the effective deploy strategy: deploy.strategy or the
	// rollout attribute ("" when neither is written).
	Rollout   string
	Deploy    *Deploy // nil when no deploy block is written
	RateLimit *RateLimit

	// client
	RPS       float64
	ReadRatio float64 // default 1

	// cdn, cache
	HitRatio float64
	TTL      time.Duration

	// load_balancer
	Layer     int    // 4 or 7 (default 7)
	Algorithm string // default round_robin

	// gateway and service: how callers authenticate ("" = not stated).
	Auth string

	// Security (docs/security.md). TrustZone is effective: as written, or
	// the kind's default (DefaultTrustZone). TLS: the component accepts
	// only TLS connections. Data is the datastore's data block, nil when
	// not written.
	TrustZone TrustZone
	TLS       bool
	Data      *Data

	// service
	Stateful bool

	// gateway and service: the worker pool of one instance (0 = not
	// stated) and the per-dependency limit of its calls (0 = none).
	Concurrency int
	Bulkhead    int

	// Role is what the component is for ("" and "app": it serves users).
	Role ComponentRole

	// cache, database, queue, storage, search
	Engine string

	// cache
	Strategy      string
	Eviction      string
	Persistence   string
	Invalidation  string
	FlushInterval time.Duration
	Origin        *Component // nil when unset

	// database
	Model          string
	Replication    Replication
	Quorum         *Quorum // nil unless set or implied by replication.mode = "quorum"
	PartitionMode  string  // effective: as written, or derived from engine and settings ("" when unknown)
	Shards         int     // database and search; default 1
	ShardKey       string
	ShardSkew      float64 // default 1
	MultiRegion    *MultiRegion
	MaxConnections int
	Storage        string // size
	// Isolation is the transaction isolation level as written ("" = the
	// engine's default: read_committed for postgres, repeatable_read for mysql).
	Isolation string

	// database and cache used as a lock service: fencing tokens (a counter
	// the protected resource checks) and the lock lease; false and 0 when
	// not written.
	Fencing   bool
	LockLease time.Duration

	// queue
	Pattern    string
	Partitions int // 0 = unlimited
	Delivery   string
	Retention  time.Duration
	MaxDepth   int
	// Overflow is what a full queue does ("reject" or "drop_oldest";
	// effective: drop_oldest when not written).
	Overflow string
	// MessageSize is the mean message size in bytes (1024 when not
	// written: see Has("message_size")).
	MessageSize float64
	DeadLetter  *Component
	Ordering    string
	// Producer and broker durability (Kafka's names): Acks is "0", "1" or
	// "all" ("" = not written); MinInsyncReplicas and ReplicationFactor are
	// 0 when not written; UncleanLeaderElection is false unless written.
	Acks                  string
	MinInsyncReplicas     int
	ReplicationFactor     int
	UncleanLeaderElection bool

	DeclRange hcl.Range // the block header
	NameRange hcl.Range // the block's label
	Ranges    Ranges
}

// Has reports whether the component block sets the attribute (or nested
// attribute such as "replication.mode").
func (c *Component) Has(attr string) bool { return c.Ranges.Has(attr) }

// Range returns the source range of an attribute, or the block's declaration
// when the attribute is not written.
func (c *Component) Range(attr string) hcl.Range {
	if r, ok := c.Ranges[attr]; ok {
		return r
	}
	return c.DeclRange
}

// IsStateful reports whether the component keeps data.
func (c *Component) IsStateful() bool { return c.Kind.Stateful() || c.Stateful }

// TrustZone is a network trust zone: public, dmz, private or data.
type TrustZone string

// The trust zones, least trusted first.
const (
	ZonePublic  TrustZone = "public"
	ZoneDMZ     TrustZone = "dmz"
	ZonePrivate TrustZone = "private"
	ZoneData    TrustZone = "data"
)

// Level orders the zones: public 0, dmz 1, private 2, data 3.
func (z TrustZone) Level() int {
	switch z {
	case ZoneDMZ:
		return 1
	case ZonePrivate:
		return 2
	case ZoneData:
		return 3
	}
	return 0
}

// DefaultTrustZone is the zone of a component that does not write
// trust_zone: clients, CDNs and externals are on the internet (public);
// load balancers, gateways and anything with public = true are what the
// internet reaches (dmz); services are private; datastores are in data.
func DefaultTrustZone(c *Component) TrustZone {
	switch c.Kind {
	case KindClient, KindCDN, KindExternal:
		return ZonePublic
	case KindLoadBalancer, KindGateway:
		return ZoneDMZ
	}
	if c.Public {
		return ZoneDMZ
	}
	if c.Kind.Stateful() {
		return ZoneData
	}
	return ZonePrivate
}

// Data is a `data` block: what the data a store keeps or a flow carries is.
type Data struct {
	// Classification is public, internal, confidential, pii or secret
	// ("" = not stated).
	Classification  string
	EncryptedAtRest bool
	DeclRange       hcl.Range
}

// Sensitive reports whether the classification needs encryption at rest
// and in transit: confidential, pii and secret.
func (d *Data) Sensitive() bool {
	if d == nil {
		return false
	}
	switch d.Classification {
	case "confidential", "pii", "secret":
		return true
	}
	return false
}

// SecretRef is a `secrets` value: "secret-name/key".
type SecretRef struct {
	Name string
	Key  string
}

// Resources is a `resources` block (Kubernetes quantity strings).
type Resources struct {
	CPU    string
	Memory string
}

// HealthCheck is a `health_check` block.
type HealthCheck struct {
	Path               string
	Port               int
	Interval           time.Duration
	Timeout            time.Duration
	UnhealthyThreshold int
	DeclRange          hcl.Range
}

// Deploy is a `deploy` block: how a new version replaces the running one.
type Deploy struct {
	Strategy       string // rolling (default), blue_green or canary
	MaxUnavailable int    // default 0
	MaxSurge       int    // default 1
	DeclRange      hcl.Range
}

// Autoscale is an `autoscale` block.
type Autoscale struct {
	Min               int
	Max               int
	TargetUtilization float64
	DeclRange         hcl.Range
}

// Volume is a `volume` block.
type Volume struct {
	Path string
	Size string
	// Name is the Compose volume's name ("" = COMPONENT-data).
	Name      string
	DeclRange hcl.Range
}

// Port is a `port` block: one port's protocol and host mapping.
type Port struct {
	Number   int
	Protocol string // "tcp" (default) or "udp"
	HostPort int    // 0: not published by this block
	HostIP   string // "" = every address
	// Ranges of the block and of its attributes by name.
	DeclRange hcl.Range
	Ranges    Ranges
}

// Mount is a `mount` block: a host path or a named volume.
type Mount struct {
	Type     string // "bind" or "volume" (effective)
	Source   string // "" for an anonymous volume
	Target   string
	ReadOnly bool
	// Ranges of the block and of its attributes by name.
	DeclRange hcl.Range
	Ranges    Ranges
}

// RateLimit is a `rate_limit` block.
type RateLimit struct {
	Algorithm string
	Rate      float64
	Burst     float64
	Per       string // client | ip | global
	DeclRange hcl.Range
}

// Replication is a database's `replication` block, with defaults applied
// (mode "none", replicas 0, read_from "primary", failover "manual").
type Replication struct {
	Mode     string
	Replicas int
	ReadFrom string
	Failover string
	// Ack is where a sync or semi-sync replica acknowledges a write:
	// "receive", "flush" or "apply" ("" = not written: the engine's default,
	// flush for PostgreSQL's synchronous_commit = on and MySQL semi-sync).
	Ack string
	// Fallback is what the primary does when no replica acknowledges in
	// FallbackTimeout: "async" (MySQL semi-sync, after
	// rpl_semi_sync_source_timeout) or "none" (wait: PostgreSQL). "" and 0
	// when not written.
	Fallback        string
	FallbackTimeout time.Duration
	// MaxLag bounds how far a replica that serves reads may lag the primary
	// (a proxy that stops routing to a lagging replica); 0 = unbounded.
	MaxLag    time.Duration
	DeclRange hcl.Range // zero when the block is absent
}

// Quorum is a `quorum` block: n members, r read and w write quorum sizes
// (r and w default to a majority).
type Quorum struct {
	N, R, W int
	// Sloppy: writes may be acknowledged by stand-ins outside the key's n
	// members (hinted handoff counted toward w, as Riak and Dynamo do).
	// Nil when not written (the engine's default).
	Sloppy *bool
	// ReadRepair is "none", "async" or "blocking" ("" = the engine's default).
	ReadRepair string
	// Conflict is how concurrent writes are ordered: "lww" (timestamps),
	// "consensus" (Paxos or Raft) or "siblings" (versions kept for the
	// client to merge); "" = the engine's default.
	Conflict string
	// Datacenters is the replication factor per datacenter (Cassandra's
	// NetworkTopologyStrategy), sorted by name; nil when not written.
	Datacenters []DatacenterRF
	DeclRange   hcl.Range
}

// DatacenterRF is one datacenter's replication factor.
type DatacenterRF struct {
	Name string
	RF   int
}

// MultiRegion is a `multi_region` block.
type MultiRegion struct {
	Mode     string // active_passive | active_active
	Regions  []string
	Conflict string // lww | crdt | none
	// CRDT names the data type with conflict = "crdt" ("" = not written):
	// counters and sets merge every update; lww_register keeps one.
	CRDT      string
	DeclRange hcl.Range
}

// Instance is one placed instance of a component.
type Instance struct {
	Component *Component
	Index     int    // 0-based within the component
	Zone      string // "" when the component has no zones
	Region    string // the zone's region, "" when unknown
	Role      Role
	Shard     int // 0-based shard, 0 when unsharded
}

// Role is an instance's role in its component.
type Role string

// Instance roles.
const (
	RoleInstance Role = "instance" // an ordinary replica of a stateless or unreplicated component
	RolePrimary  Role = "primary"
	RoleReplica  Role = "replica"
	RoleMember   Role = "member" // a quorum member
)

// Call is a `call` block: an edge of the graph.
type Call struct {
	From *Component
	To   *Component
	// Index is the call's position among From.Calls.
	Index int

	Op             Op      // default read_write
	PerRequest     float64 // default 1
	Mode           string  // sync (default) | async
	Required       bool    // default true
	Timeout        time.Duration
	Retries        int
	Backoff        time.Duration
	CircuitBreaker bool
	Consistency    Consistency // "" when not stated
	MaxStaleness   time.Duration
	Protocol       string
	Weight         float64 // default 1
	Fallback       *Component
	// ReadLevel and WriteLevel are the per-operation consistency settings
	// of the target's engine ("" = its default): Cassandra levels ("one",
	// "quorum", "local_quorum", "serial", ...), DynamoDB's "strong" for
	// ConsistentRead, MongoDB read and write concerns ("majority",
	// "linearizable", ...), "follower" for follower reads.
	ReadLevel  string
	WriteLevel string
	// Session is the session mechanism this hop declares: "sticky_replica",
	// "causal_token" or "primary_after_write" (for SessionWindow); "" none.
	Session       string
	SessionWindow time.Duration
	// IdempotencyKey: the call carries a key the callee deduplicates on,
	// so a retried or redelivered write takes effect once.
	IdempotencyKey bool
	// Bulkhead is the most of the caller instance's workers this call
	// holds at once, as written (0 = none; see EffectiveBulkhead).
	Bulkhead int
	// TLS as written on the call (see Encrypted for the effective value).
	TLS bool

	DeclRange hcl.Range
	Ranges    Ranges
}

// Sync reports whether the call is on its caller's synchronous path: it is
// not async, and it does not go to a component whose role keeps it off user
// flows (telemetry, discovery, config, admin) unless it says mode = "sync".
func (c *Call) Sync() bool {
	if c.Mode == "async" {
		return false
	}
	return c.To == nil || !c.To.Role.OffFlow() || c.Ranges.Has("mode")
}

// EffectiveBulkhead is the call's bulkhead: its own, else its caller's
// (0: none).
func (c *Call) EffectiveBulkhead() int {
	if c.Bulkhead > 0 {
		return c.Bulkhead
	}
	if c.From != nil {
		return c.From.Bulkhead
	}
	return 0
}

// Encrypted reports whether the call is encrypted in transit: its own tls
// when written, else its target's.
func (c *Call) Encrypted() bool {
	if c.Ranges.Has("tls") {
		return c.TLS
	}
	return c.To != nil && c.To.TLS
}

// ComponentRole is what a component is for: see the role attribute.
type ComponentRole string

// OffFlow reports whether components of this role are off user flows:
// telemetry, discovery, config and admin.
func (r ComponentRole) OffFlow() bool { return r != "" && r != "app" }

// Range returns an attribute's range, or the call block's when not written.
func (c *Call) Range(attr string) hcl.Range {
	if r, ok := c.Ranges[attr]; ok {
		return r
	}
	return c.DeclRange
}

// Consume is a `consume` block: Consumer reads messages from Queue.
type Consume struct {
	Consumer   *Component
	Queue      *Component
	Workers    int     // per instance of the consumer, default 1
	Rate       float64 // messages per second one worker handles; 0 = not declared
	Idempotent bool
	// Retries is how many times a failed message is tried again before it
	// goes to the queue's dead_letter (or is dropped); 0 when not written
	// (see Ranges.Has("retries")).
	Retries int

	DeclRange hcl.Range
	Ranges    Ranges
}

// Flow is a `flow` block.
type Flow struct {
	Name         string
	Entry        *Component
	Op           Op      // default read_write
	RPS          float64 // effective: as written, or the entry's rps
	Consistency  Consistency
	MaxStaleness time.Duration
	Partition    string // consistent | available | ""
	SLO          SLO    // effective: the flow's own objectives over the system's
	// Transaction is the flow's cross-store atomicity, nil when not written.
	Transaction *Transaction
	// Data is what the flow carries, nil when not written.
	Data *Data
	// Through is the queue the flow follows to its consumers (asynchronous
	// delivery), nil when not written.
	Through *Component

	DeclRange hcl.Range
	NameRange hcl.Range
	Ranges    Ranges
}

// Transaction is a flow's `transaction` block: how the writes of one request
// to several stores stay atomic.
type Transaction struct {
	Mode string // saga | 2pc | outbox
	// Isolation is the isolation the flow's transaction asks ("" = the
	// stores' own).
	Isolation     string
	Compensations []*Compensation
	DeclRange     hcl.Range
	Ranges        Ranges
}

// Range returns an attribute's range, or the transaction block's when not
// written.
func (t *Transaction) Range(attr string) hcl.Range {
	if r, ok := t.Ranges[attr]; ok {
		return r
	}
	return t.DeclRange
}

// Compensation is a saga's `compensate` block: Write (a store the flow
// writes) is undone by a call to With.
type Compensation struct {
	Write     *Component
	With      *Component
	DeclRange hcl.Range
	Ranges    Ranges
}

// OpRPS is the flow's traffic by operation, requests per second: a flow
// whose rps is written carries that many requests of its op (a read_write
// flow split by its entry's read_ratio); without, its op's share of its
// entry's traffic (a read flow the entry's reads, rps × read_ratio).
func (f *Flow) OpRPS() (read, write float64) {
	rr := 1.0
	if f.Entry != nil {
		rr = min(1, max(0, f.Entry.ReadRatio))
	}
	written := f.Ranges.Has("rps")
	switch f.Op {
	case OpRead:
		if written {
			return f.RPS, 0
		}
		return f.RPS * rr, 0
	case OpWrite:
		if written {
			return 0, f.RPS
		}
		return 0, f.RPS * (1 - rr)
	}
	return f.RPS * rr, f.RPS * (1 - rr)
}

// Range returns an attribute's range, or the flow block's when not written.
func (f *Flow) Range(attr string) hcl.Range {
	if r, ok := f.Ranges[attr]; ok {
		return r
	}
	return f.DeclRange
}

// Component returns the component with the address KIND.NAME, or nil.
func (d *Design) Component(addr string) *Component { return d.byAddr[addr] }

// Zone returns the zone with that name, or nil.
func (d *Design) Zone(name string) *Zone { return d.zoneByNm[name] }

// Outgoing returns c's calls in source order.
func (d *Design) Outgoing(c *Component) []*Call { return c.Calls }

// Incoming returns the calls whose target is c, in the order of their callers
// in d.Components, then call index.
func (d *Design) Incoming(c *Component) []*Call { return d.incoming[c] }

// Consumers returns the consume blocks that read from queue q.
func (d *Design) Consumers(q *Component) []*Consume { return d.consumed[q] }

// Flow returns the flow with that name, or nil.
func (d *Design) Flow(name string) *Flow {
	for _, f := range d.Flows {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// Index builds the lookup tables behind Component, Zone, Incoming and
// Consumers. The decoder calls it; code that builds a Design by hand (tests)
// calls it after filling Components, Regions and Zones.
func (d *Design) Index() {
	d.byAddr = make(map[string]*Component, len(d.Components))
	d.zoneByNm = make(map[string]*Zone, len(d.Zones))
	d.incoming = make(map[*Component][]*Call)
	d.consumed = make(map[*Component][]*Consume)
	for _, z := range d.Zones {
		d.zoneByNm[z.Name] = z
	}
	for _, c := range d.Components {
		d.byAddr[c.Addr] = c
	}
	for _, c := range d.Components {
		for _, call := range c.Calls {
			if call.To != nil {
				d.incoming[call.To] = append(d.incoming[call.To], call)
			}
		}
		for _, cs := range c.Consumes {
			if cs.Queue != nil {
				d.consumed[cs.Queue] = append(d.consumed[cs.Queue], cs)
			}
		}
	}
}

// SortedAddrs returns every component address in lexical order.
func (d *Design) SortedAddrs() []string {
	out := make([]string, 0, len(d.Components))
	for _, c := range d.Components {
		out = append(out, c.Addr)
	}
	sort.Strings(out)
	return out
}
