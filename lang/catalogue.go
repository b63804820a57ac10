package lang

import (
	"slices"

	"github.com/hashicorp/hcl/v2"
)

// The attribute catalogue: every block and attribute of the language, with
// its type, allowed values, default and meaning. It is the one place these
// facts live: the decoder's HCL schemas are built from it, and so are the
// language reference (docs/language.md), the JSON Schema and the editor's
// hover and completion. Adding an attribute is one entry here (and one case
// in the decoder that reads its value into the design).

// Type is the type of an attribute's value, as the language reference names
// it.
type Type string

// The value types.
const (
	TypeString     Type = "string"
	TypeBool       Type = "bool"
	TypeNumber     Type = "number"
	TypeWhole      Type = "whole number"
	TypeRate       Type = "rate"
	TypeRatio      Type = "ratio"
	TypeDuration   Type = "duration"
	TypeSize       Type = "size"
	TypeReference  Type = "reference"
	TypeStringList Type = "list(string)"
	TypeNumberList Type = "list(number)"
	TypeStringMap  Type = "map(string)"
	TypeNumberMap  Type = "map(number)"
	TypeAny        Type = "any"
	TypeTypeExpr   Type = "type"
)

// Types lists the value types in the order the reference explains them.
var Types = []Type{TypeDuration, TypeRate, TypeRatio, TypeSize, TypeWhole, TypeNumber,
	TypeReference, TypeString, TypeBool, TypeStringList, TypeNumberList, TypeStringMap, TypeNumberMap, TypeAny, TypeTypeExpr}

var typeDocs = map[Type]string{
	TypeString:     "A string.",
	TypeBool:       "true or false.",
	TypeNumber:     "A number; rates, fan-outs, skews and weights are at most 1e12.",
	TypeWhole:      "A whole number: 2.5 is an error.",
	TypeRate:       "A number per second, such as rps = 10000; at most 1e12.",
	TypeRatio:      "A number in [0, 1], such as availability = 0.999; 99.9 is an error, not a percentage.",
	TypeDuration:   "A string with a unit (ms, s, m, h, d), such as \"250ms\", \"5s\", \"7d\" or \"1h30m\"; a bare number is an error (it has no unit).",
	TypeSize:       "A Kubernetes quantity string, such as \"256Mi\", \"20Gi\" or, for cpu, \"500m\" (suffixes Ki Mi Gi Ti Pi Ei, m k M G T P E, or an exponent).",
	TypeReference:  "A component written as a traversal KIND.NAME (to = database.orders), never as a quoted string.",
	TypeStringList: "A list of strings, such as [\"a\", \"b\"].",
	TypeNumberList: "A list of numbers, such as [8080, 8443].",
	TypeStringMap:  "A map of strings, such as { team = \"checkout\" }.",
	TypeNumberMap:  "A map of numbers, such as { dc1 = 3, dc2 = 3 }.",
	TypeAny:        "Any value.",
	TypeTypeExpr:   "A Terraform type constraint, such as number, string or list(string).",
}

// Doc is the type's meaning, one sentence or two.
func (t Type) Doc() string { return typeDocs[t] }

// Attribute describes one attribute of a block.
type Attribute struct {
	Name string
	Type Type
	// Values are the allowed values of an enumeration (nil for others).
	Values []string
	// OpenValues: values outside Values are accepted too, with a warning on a
	// near miss of a known one (engines of caches, databases, storage).
	OpenValues bool
	// Min and Max bound a number (each element of a list); nil for no bound.
	// MinExclusive makes Min a strict bound (> rather than ≥).
	Min, Max     *float64
	MinExclusive bool
	// Unit of a number, such as "requests/s" (durations and sizes carry
	// their own).
	Unit     string
	Required bool
	// Default is what archform uses when the attribute is left out, as the
	// reference writes it; "" when it is simply not set.
	Default string
	// Doc is the attribute's meaning, one paragraph.
	Doc string
}

// Block describes one block type.
type Block struct {
	Type string
	// Labels names the block's labels ("name").
	Labels []string
	Doc    string
	// Repeated: the block may appear more than once in its parent.
	Repeated bool
	// Kind is the component kind of a component block, "" for the others.
	Kind Kind
	// Attributes in schema order: required ones are listed before the others
	// by the HCL schema built from the block.
	Attributes []*Attribute
	Blocks     []*Block
	// AnyAttributes: the block takes attributes of any name (locals).
	AnyAttributes bool
}

// Attribute returns the block's attribute of that name, or nil.
func (b *Block) Attribute(name string) *Attribute {
	for _, a := range b.Attributes {
		if a.Name == name {
			return a
		}
	}
	return nil
}

// Block returns the nested block of that type, or nil.
func (b *Block) Block(typ string) *Block {
	for _, nb := range b.Blocks {
		if nb.Type == typ {
			return nb
		}
	}
	return nil
}

// Catalogue returns the root of the language: the body of a design file,
// whose blocks are system, region, variable, locals, flow and one per
// component kind. Blocks nested in several places (slo, health_check,
// rate_limit, ...) are the same *Block in each. The catalogue is shared:
// callers must not modify it.
func Catalogue() *Block { return catalogueRoot }

// ComponentBlock returns the catalogue's block of a component kind.
func ComponentBlock(k Kind) *Block { return componentBlocks[k] }

func bound(v float64) *float64 { return &v }

// Enumerations. Engines of caches, databases and storage are open lists:
// other values are accepted (with a warning on a near miss).
var (
	rolloutValues      = []string{"rolling", "blue_green", "canary"}
	protocolValues     = []string{"tcp", "udp"}
	mountTypeValues    = []string{"bind", "volume"}
	roleValues         = []string{"app", "telemetry", "tracing", "discovery", "config", "admin"}
	overflowValues     = []string{"reject", "drop_oldest"}
	algorithmValues    = []string{"round_robin", "least_connections", "ip_hash", "weighted", "random"}
	authValues         = []string{"none", "jwt", "oauth2", "mtls", "api_key", "oidc"}
	trustZoneValues    = []string{"public", "dmz", "private", "data"}
	classValues        = []string{"public", "internal", "confidential", "pii", "secret"}
	cacheEngines       = []string{"redis", "memcached", "valkey", "dragonfly", "hazelcast", "varnish"}
	strategyValues     = []string{"cache_aside", "read_through", "write_through", "write_back"}
	evictionValues     = []string{"lru", "lfu", "ttl", "random"}
	persistenceValues  = []string{"none", "snapshot", "aof"}
	invalidationValues = []string{"ttl", "explicit", "lease", "versioned"}
	databaseEngines    = []string{"postgres", "mysql", "mariadb", "sqlserver", "oracle", "cockroachdb", "mongodb", "dynamodb", "cassandra", "scylladb", "neo4j", "etcd", "zookeeper", "consul", "redis", "sqlite", "spanner", "yugabytedb", "tidb", "couchdb", "foundationdb"}
	modelValues        = []string{"relational", "document", "key_value", "wide_column", "graph"}
	queueEngines       = []string{"kafka", "rabbitmq", "sqs", "nats", "pulsar", "redis_streams"}
	patternValues      = []string{"point_to_point", "pub_sub"}
	deliveryValues     = []string{"at_most_once", "at_least_once", "exactly_once"}
	orderingValues     = []string{"none", "partition", "global"}
	storageEngines     = []string{"s3", "gcs", "minio", "azure_blob", "ceph"}
	searchEngines      = []string{"elasticsearch", "opensearch", "solr"}
	replModeValues     = []string{"none", "async", "semi_sync", "sync", "quorum"}
	readFromValues     = []string{"primary", "replicas", "any"}
	failoverValues     = []string{"automatic", "manual", "none"}
	mrModeValues       = []string{"active_passive", "active_active"}
	conflictValues     = []string{"lww", "crdt", "none"}
	rlAlgorithmValues  = []string{"token_bucket", "leaky_bucket", "fixed_window", "sliding_window"}
	rlPerValues        = []string{"client", "ip", "global"}
	modeValues         = []string{"sync", "async"}
	opValues           = []string{"read", "write", "read_write"}
	partitionValues    = []string{"consistent", "available"}
	ackValues          = []string{"receive", "flush", "apply"}
	fallbackValues     = []string{"async", "none"}
	readRepairValues   = []string{"none", "async", "blocking"}
	qConflictValues    = []string{"lww", "consensus", "siblings"}
	crdtValues         = []string{"g_counter", "pn_counter", "g_set", "or_set", "lww_register", "mv_register", "map"}
	isolationValues    = []string{"read_uncommitted", "read_committed", "repeatable_read", "snapshot", "serializable"}
	acksValues         = []string{"0", "1", "all"}
	sessionValues      = []string{"sticky_replica", "causal_token", "primary_after_write"}
	transactionModes   = []string{"saga", "2pc", "outbox"}
	// levelValues are the per-operation consistency settings a call's
	// read_level and write_level take, by the engines that have them.
	// Which engine reads which is analyze's engine table's to say.
	levelValues = []string{
		"any", "one", "two", "three", "quorum", "local_one", "local_quorum", "each_quorum", "all", "serial", "local_serial", // Cassandra, ScyllaDB
		"eventual", "strong", // DynamoDB ConsistentRead
		"local", "available", "majority", "linearizable", "snapshot", // MongoDB read and write concerns
		"follower", // follower reads (CockroachDB, TiDB, Spanner)
	}
	consistencyValues = func() []string {
		out := make([]string, len(ConsistencyLevels))
		for i, c := range ConsistencyLevels {
			out[i] = string(c)
		}
		return out
	}()
)

// --- system, region, variables --------------------------------------------

var (
	defaultsBlock = &Block{
		Type: "defaults",
		Doc:  "Values for every component that does not set its own.",
		Attributes: []*Attribute{
			{Name: "availability", Type: TypeRatio, Default: "0.999",
				Doc: "One instance's availability, for every component that does not set its own."},
			{Name: "max_utilization", Type: TypeRatio, Default: "0.8",
				Doc: "Utilization above this is a warning (rule capacity), for every component that does not set its own."},
		},
	}
	sloBlock = &Block{
		Type: "slo",
		Doc:  "Objectives. In system, they hold for every flow; in a flow, each objective it sets replaces the system's.",
		Attributes: []*Attribute{
			{Name: "availability", Type: TypeRatio, Default: "not set",
				Doc: "The availability the flow must reach: the probability that every tier it needs is up."},
			{Name: "latency_p99", Type: TypeDuration, Default: "not set",
				Doc: "The flow's 99th-percentile latency objective."},
			{Name: "latency_mean", Type: TypeDuration, Default: "not set",
				Doc: "The flow's mean latency objective."},
			{Name: "rpo", Type: TypeDuration, Default: "not set",
				Doc: "Data loss tolerated on a failure (recovery point objective); \"0s\" means none, and is a real objective, unlike leaving it out."},
			{Name: "under", Type: TypeStringList, Values: SLOScenarioKinds, Default: "[] (the objectives hold with everything up)",
				Doc: "Failure scenarios in which the availability and latency objectives must hold too, by kind: \"zone\" (each zone lost in turn), \"region\" (each region lost), \"cache\" (each cache down: its reads go to its origin), \"component\" (each component that a call names a fallback for, down). The rules availability-slo and latency-slo check the flow's figures in each such scenario, with the loads of that scenario."},
		},
	}
	systemBlock = &Block{
		Type:   "system",
		Labels: []string{"name"},
		Doc:    "The system the design describes. A design has exactly one.",
		Attributes: []*Attribute{
			{Name: "description", Type: TypeString, Doc: "What the system is."},
		},
		Blocks: []*Block{defaultsBlock, sloBlock},
	}
	regionBlock = &Block{
		Type:     "region",
		Labels:   []string{"name"},
		Repeated: true,
		Doc:      "A region and its availability zones. The region's name is what multi_region.regions names.",
		Attributes: []*Attribute{
			{Name: "zones", Type: TypeStringList, Required: true,
				Doc: "The region's availability zones, at least one; zone names are unique in the whole design. A component's zones must name declared zones."},
			{Name: "description", Type: TypeString, Doc: "What the region is."},
		},
	}
	variableBlock = &Block{
		Type:     "variable",
		Labels:   []string{"name"},
		Repeated: true,
		Doc:      "An input of the design, read as var.NAME and overridable on the command line with --var NAME=VALUE.",
		Attributes: []*Attribute{
			{Name: "default", Type: TypeAny,
				Doc: "The value when the command line gives none: a constant (it may call functions, not refer to anything). A variable with neither default nor value is an error."},
			{Name: "description", Type: TypeString, Doc: "What the variable is for."},
			{Name: "type", Type: TypeTypeExpr, Default: "any",
				Doc: "A Terraform type constraint the value is converted to; with type = string, --var always gives a string."},
		},
	}
	localsBlock = &Block{
		Type:          "locals",
		Repeated:      true,
		AnyAttributes: true,
		Doc:           "Named values, read as local.NAME. Locals may use variables and each other in any order; a cycle is an error naming every local in it.",
	}
)

// --- components -----------------------------------------------------------

// CommonAttributes are the attributes every component kind takes, and
// DeployableAttributes those the deployable kinds (Kind.Deployable) take
// besides.
var (
	CommonAttributes = []*Attribute{
		{Name: "description", Type: TypeString, Doc: "What the component is."},
		{Name: "replicas", Type: TypeWhole, Min: bound(1), Default: "1",
			Doc: "Instances. An error on a database, whose instances come from its replication."},
		{Name: "zones", Type: TypeStringList, Default: "no placement",
			Doc: "Zones the instances are placed over, evenly and in order: instance i goes to zone i mod len(zones), so 5 instances over a, b, c land 2, 2, 1. No zone may repeat."},
		{Name: "capacity_rps", Type: TypeRate, Min: bound(0), MinExclusive: true, Unit: "requests/s", Default: "not set",
			Doc: "What ONE instance sustains at 100% utilization. Without it the tier's capacity cannot be checked (rule no-capacity)."},
		{Name: "max_utilization", Type: TypeRatio, Default: "system.defaults.max_utilization",
			Doc: "Utilization above this is a warning."},
		{Name: "latency", Type: TypeDuration, Default: "0",
			Doc: "Mean time a request spends in this component itself. With capacity_rps the instance is an M/M/c queue, without it a pure delay."},
		{Name: "availability", Type: TypeRatio, Default: "system.defaults.availability",
			Doc: "One instance's availability."},
		{Name: "labels", Type: TypeStringMap, Doc: "Labels copied to emitted manifests."},
		{Name: "role", Type: TypeString, Values: roleValues, Default: "app",
			Doc: "What the component is for. app: it serves users. telemetry (metrics, logs, traces), tracing (a trace collector or backend: Jaeger, Zipkin, Tempo, an OpenTelemetry collector; the tracing rule looks for it), discovery (a service registry), config (a configuration server) and admin (a dashboard or admin UI) are off user flows: a call to such a component is off its caller's synchronous path (as an async call is) unless the call writes mode = \"sync\", so its failure is not a failure of a flow and spof does not name it on one."},
		trustZoneAttr,
	}
	DeployableAttributes = []*Attribute{
		{Name: "image", Type: TypeString, Default: "infrastructure kinds: a pinned image chosen from engine",
			Doc: "The container image; it must not be empty."},
		{Name: "ports", Type: TypeNumberList, Min: bound(1), Max: bound(65535),
			Doc: "Ports the container listens on, each 1-65535."},
		{Name: "env", Type: TypeStringMap, Doc: "Environment variables of the container."},
		{Name: "secrets", Type: TypeStringMap,
			Doc: "Environment variables taken from secrets: env var → \"SECRET-NAME/KEY\". A reference to a secret, never its value; anything but name/key is an error."},
		{Name: "command", Type: TypeStringList, Default: "the image's", Doc: "The container's command."},
		{Name: "entrypoint", Type: TypeStringList, Default: "the image's",
			Doc: "The container's entrypoint (Compose entrypoint, Kubernetes command): the program command is given to as arguments. [] clears the image's."},
		{Name: "env_passthrough", Type: TypeStringList,
			Doc: "Environment variables with no value in the design, taken from where the deployment is started (Compose environment: [NAME], from the shell that runs docker compose). Kubernetes has no such environment: a finding. A name may not also be in env or secrets."},
		{Name: "public", Type: TypeBool, Default: "false", Doc: "Reachable from the internet."},
		{Name: "rollout", Type: TypeString, Values: rolloutValues, Doc: "How new versions roll out; the same as deploy.strategy (write one of them)."},
		tlsAttr,
	}
)

// The security attributes: trust zones, TLS, authentication and data
// classification (docs/security.md).
var (
	trustZoneAttr = &Attribute{Name: "trust_zone", Type: TypeString, Values: trustZoneValues,
		Default: "by kind: client, cdn and external public; load_balancer, gateway and any component with public = true dmz; service private; cache, database, queue, storage and search data",
		Doc:     "The network trust zone the component runs in, from the least trusted: public (the internet: users, CDNs, third parties), dmz (what the internet reaches: load balancers, gateways), private (application services), data (datastores). The security rules check what crosses from one zone to another."}
	tlsAttr = &Attribute{Name: "tls", Type: TypeBool, Default: "false; true on an external (third-party APIs are served over HTTPS)",
		Doc: "The component accepts only TLS connections (HTTPS, TLS to the database or broker): every call to it is encrypted in transit unless the call sets its own tls. Write tls = false on an external that is reached in plaintext (plain SMTP, HTTP)."}
	concurrencyAttr = &Attribute{Name: "concurrency", Type: TypeWhole, Min: bound(1), Default: "not set (the pool is not checked)",
		Doc: "Requests one instance works on at once: its worker pool (threads, a goroutine or connection limit). A request holds a worker while it waits on its synchronous calls; rule bulkhead checks that one slow dependency cannot take them all."}
	serviceBulkheadAttr = &Attribute{Name: "bulkhead", Type: TypeWhole, Min: bound(1), Default: "none",
		Doc: "The most of one instance's workers (concurrency) the synchronous calls to any one dependency hold at once; a call beyond it fails at once instead of waiting. A call's own bulkhead replaces it."}
	authAttr = &Attribute{Name: "auth", Type: TypeString, Values: authValues, Default: "not stated",
		Doc: "How callers authenticate to this component: none (anonymous on purpose), jwt, oauth2, oidc (a bearer token), mtls (client certificates) or api_key. A public entry without it, and a call into it from another trust zone without mtls or a token, are findings."}
	dataBlock = &Block{
		Type: "data",
		Doc:  "What the data the component keeps is: its classification and whether it is encrypted at rest.",
		Attributes: []*Attribute{
			{Name: "classification", Type: TypeString, Values: classValues, Default: "not stated",
				Doc: "How sensitive the data is, least first: public, internal, confidential, pii (personal data), secret (credentials, keys). confidential, pii and secret must be encrypted at rest and in transit."},
			{Name: "encrypted_at_rest", Type: TypeBool, Default: "false",
				Doc: "The store encrypts what it writes to disk (its engine's or its volume's encryption)."},
		},
	}
	flowDataBlock = &Block{
		Type: "data",
		Doc:  "What the data a flow carries is: every component on the flow's path receives it, every call on it carries it.",
		Attributes: []*Attribute{
			{Name: "classification", Type: TypeString, Values: classValues, Required: true,
				Doc: "How sensitive the data is, least first: public, internal, confidential, pii (personal data), secret (credentials, keys). confidential, pii and secret must travel over TLS and be stored encrypted at rest."},
		},
	}
)

var (
	callBlock = &Block{
		Type:     "call",
		Repeated: true,
		Doc:      "An outgoing dependency: the edges of the graph.",
		Attributes: []*Attribute{
			{Name: "to", Type: TypeReference, Required: true,
				Doc: "The target. A component cannot call itself, and nothing calls a client."},
			{Name: "op", Type: TypeString, Values: opValues, Default: "read_write",
				Doc: "Which of the caller's requests make this call: read one for each read the caller handles, write for each write, read_write for each of both; the class (read or write) is kept downstream. For a queue consumer, each message it handles is one unit of work: a read call issues reads, a write or read_write call writes."},
			{Name: "per_request", Type: TypeNumber, Min: bound(0), MinExclusive: true, Max: bound(MaxNumber), Default: "1",
				Doc: "Calls per request the caller handles (fan-out; 0.01 is one call per 100 requests)."},
			{Name: "mode", Type: TypeString, Values: modeValues, Default: "sync",
				Doc: "async calls are off the caller's synchronous path (use them for producing to a queue)."},
			{Name: "required", Type: TypeBool, Default: "true",
				Doc: "false: the caller degrades gracefully without the target. The target is on a flow's path for traffic and latency, but the flow needs it only where its loss would push another tier past its capacity."},
			{Name: "timeout", Type: TypeDuration, Doc: "Timeout of each try."},
			{Name: "retries", Type: TypeWhole, Min: bound(0), Max: bound(100), Default: "0",
				Doc: "Tries after the first, 0-100."},
			{Name: "backoff", Type: TypeDuration, Doc: "Wait between tries."},
			{Name: "circuit_breaker", Type: TypeBool, Default: "false",
				Doc: "The caller stops calling a failing target for a while instead of retrying into it."},
			{Name: "consistency", Type: TypeString, Values: consistencyValues,
				Doc: "What this call needs from what it reads; it strengthens the flow's need from here on. Levels, strongest first: linearizable, sequential, causal, then the four session guarantees read_your_writes, monotonic_reads, monotonic_writes and writes_follow_reads (each implied by causal, none implying another), bounded_staleness (with max_staleness), eventual. See docs/consistency.md."},
			{Name: "max_staleness", Type: TypeDuration,
				Doc: "How stale a read may be; required with, and only with, consistency = \"bounded_staleness\"."},
			{Name: "protocol", Type: TypeString,
				Doc: "The protocol spoken: http, grpc, tcp, sql, redis, amqp, kafka, ... (free text)."},
			{Name: "weight", Type: TypeNumber, Min: bound(0), Max: bound(MaxNumber), Default: "1",
				Doc: "A backend's share behind a load balancer with algorithm = \"weighted\"."},
			{Name: "fallback", Type: TypeReference,
				Doc: "Used when to fails: its traffic moves there."},
			{Name: "description", Type: TypeString, Doc: "What the call is for."},
			{Name: "read_level", Type: TypeString, Values: levelValues, Default: "the engine's default",
				Doc: "The per-operation consistency of the target's reads through this call: a Cassandra/ScyllaDB level (one, quorum, local_quorum, each_quorum, all, serial, local_serial, ...; it replaces quorum.r), DynamoDB's strong (ConsistentRead = true) or eventual, a MongoDB readConcern (local, available, majority, linearizable, snapshot), or follower for follower reads (CockroachDB, TiDB, Spanner). What each provides is in docs/consistency.md."},
			{Name: "write_level", Type: TypeString, Values: levelValues, Default: "the engine's default (MongoDB: assumed w: 1)",
				Doc: "The per-operation consistency of the target's writes through this call: a Cassandra/ScyllaDB level (it replaces quorum.w; each_quorum waits for a quorum in every datacenter), or a MongoDB write concern (one for w: 1, majority)."},
			{Name: "session", Type: TypeString, Values: sessionValues, Default: "none",
				Doc: "A session mechanism on this hop: sticky_replica keeps each session on one replica of the target (monotonic reads); causal_token carries the position of the session's last write or read (an LSN, a GTID, a MongoDB causally consistent session), and a replica answers once it has applied it (read-your-writes and monotonic reads); primary_after_write reads the primary for session_window after each write (read-your-writes when replication.max_lag ≤ session_window). Stickiness on another hop (ip_hash on a load balancer in front of the service) pins that hop only."},
			{Name: "session_window", Type: TypeDuration,
				Doc: "How long reads go to the primary after a write; required with, and only with, session = \"primary_after_write\"."},
			{Name: "tls", Type: TypeBool, Default: "the target's tls",
				Doc: "The call is encrypted in transit (HTTPS, gRPC over TLS, TLS to the database)."},
			{Name: "idempotency_key", Type: TypeBool, Default: "false",
				Doc: "The call carries a key the target deduplicates on, so a retried or redelivered write takes effect once."},
			{Name: "bulkhead", Type: TypeWhole, Min: bound(1), Default: "the caller's bulkhead, else none",
				Doc: "The most of the calling instance's workers (its concurrency) this call holds at once: a bulkhead. A call beyond it fails at once (its fallback or an error) instead of waiting for a worker, so a slow target cannot take the whole pool (rule bulkhead)."},
		},
	}
	consumeBlock = &Block{
		Type:     "consume",
		Repeated: true,
		Doc:      "Reads messages from a queue. A consumer processes at most min(workers × instances, partitions) × rate messages per second.",
		Attributes: []*Attribute{
			{Name: "from", Type: TypeReference, Required: true,
				Doc: "The queue to read; anything but a queue is an error."},
			{Name: "workers", Type: TypeWhole, Min: bound(1), Default: "1",
				Doc: "Workers per instance of the consuming component."},
			{Name: "rate", Type: TypeRate, Min: bound(0), MinExclusive: true, Unit: "messages/s", Default: "not set (unbounded)",
				Doc: "Messages per second one worker handles."},
			{Name: "idempotent", Type: TypeBool, Default: "false",
				Doc: "Processing a message twice has the effect of processing it once."},
			{Name: "retries", Type: TypeWhole, Min: bound(0), Max: bound(1000), Default: "not set: the queue redelivers by its delivery",
				Doc: "Times a message whose processing fails is tried again before it is given up: moved to the queue's dead_letter, or without one dropped (rule dead-letter)."},
		},
	}
	resourcesBlock = &Block{
		Type: "resources",
		Doc:  "The container's resource requests and limits.",
		Attributes: []*Attribute{
			{Name: "cpu", Type: TypeSize, Doc: "CPU, such as \"500m\" (half a core)."},
			{Name: "memory", Type: TypeSize, Doc: "Memory, such as \"256Mi\"."},
		},
	}
	healthCheckBlock = &Block{
		Type: "health_check",
		Doc:  "Readiness and liveness probes; on a load balancer, its health checks of its backends.",
		Attributes: []*Attribute{
			{Name: "path", Type: TypeString, Doc: "The HTTP path probed (and its query); it starts with \"/\", such as \"/healthz\", and holds only what a URL holds raw: no space, quote, `#`, backslash, control or non-ASCII character (percent-encode them)."},
			{Name: "port", Type: TypeWhole, Min: bound(1), Max: bound(65535), Doc: "The port probed, 1-65535."},
			{Name: "interval", Type: TypeDuration, Doc: "Time between probes."},
			{Name: "timeout", Type: TypeDuration, Doc: "Time a probe may take."},
			{Name: "unhealthy_threshold", Type: TypeWhole, Min: bound(1),
				Doc: "Failed probes in a row before the instance counts as down."},
		},
	}
	autoscaleBlock = &Block{
		Type: "autoscale",
		Doc:  "Horizontal autoscaling.",
		Attributes: []*Attribute{
			{Name: "min", Type: TypeWhole, Min: bound(1), Default: "1", Doc: "The fewest instances; at most max."},
			{Name: "max", Type: TypeWhole, Min: bound(1), Required: true, Doc: "The most instances."},
			{Name: "target_utilization", Type: TypeRatio, Min: bound(0), MinExclusive: true,
				Doc: "The utilization the autoscaler aims at; greater than 0."},
		},
	}
	volumeBlock = &Block{
		Type: "volume",
		Doc:  "Persistent storage mounted into the container.",
		Attributes: []*Attribute{
			{Name: "path", Type: TypeString, Required: true, Doc: "Where it is mounted: an absolute path, such as \"/var/lib/data\"."},
			{Name: "size", Type: TypeSize, Doc: "Its size, such as \"20Gi\"."},
			{Name: "name", Type: TypeString, Default: "COMPONENT-data",
				Doc: "The Compose volume's name: a letter or digit, then letters, digits, '.', '_' or '-'."},
		},
	}
	portBlock = &Block{
		Type:     "port",
		Repeated: true,
		Doc:      "One port in detail: its protocol and where the host publishes it. Its number counts among the component's ports. Once any port block sets host_port, a public component publishes exactly the host ports its port blocks set (otherwise public publishes every port at its own number).",
		Attributes: []*Attribute{
			{Name: "number", Type: TypeWhole, Min: bound(1), Max: bound(65535), Required: true,
				Doc: "The port the container listens on, 1-65535."},
			{Name: "protocol", Type: TypeString, Values: protocolValues, Default: "tcp",
				Doc: "The transport: tcp or udp. A number may appear twice, once per protocol."},
			{Name: "host_port", Type: TypeWhole, Min: bound(1), Max: bound(65535), Default: "not published",
				Doc: "The host port it is published on (Compose ports HOST:CONTAINER). Two components publishing one host port is an emit error."},
			{Name: "host_ip", Type: TypeString, Default: "every address",
				Doc: "The host address the published port binds, such as \"127.0.0.1\" to keep it on the host; only with host_port."},
		},
	}
	mountBlock = &Block{
		Type:     "mount",
		Repeated: true,
		Doc:      "A file or directory mounted into the container besides its volume: a host path (bind) or a named volume.",
		Attributes: []*Attribute{
			{Name: "target", Type: TypeString, Required: true,
				Doc: "Where it is mounted: an absolute path in the container."},
			{Name: "source", Type: TypeString, Default: "an anonymous volume",
				Doc: "A host path (bind; a relative path is relative to the directory the Compose file is written to) or a volume's name."},
			{Name: "type", Type: TypeString, Values: mountTypeValues, Default: "bind when source starts with \".\", \"/\" or \"~\", volume otherwise",
				Doc: "bind mounts a host path, volume a named (or anonymous) volume."},
			{Name: "read_only", Type: TypeBool, Default: "false", Doc: "Mounted read-only."},
		},
	}
	deployBlock = &Block{
		Type: "deploy",
		Doc:  "How a new version replaces the running one. During a rolling update the tier runs replicas − max_unavailable instances of either version (rule deploy-capacity checks that they carry the load); blue_green and canary bring up the new version beside the old one.",
		Attributes: []*Attribute{
			{Name: "strategy", Type: TypeString, Values: rolloutValues, Default: "rollout's, else rolling",
				Doc: "rolling replaces instances a few at a time; blue_green starts a full copy of the new version and switches all traffic to it at once; canary sends a share of the traffic to a few new instances first. The same as the rollout attribute (write one of them)."},
			{Name: "max_unavailable", Type: TypeWhole, Min: bound(0), Default: "0",
				Doc: "With strategy = \"rolling\": the most instances down at once during the update (Kubernetes maxUnavailable; the Compose update_config parallelism of a stop-first update)."},
			{Name: "max_surge", Type: TypeWhole, Min: bound(0), Default: "1",
				Doc: "With strategy = \"rolling\": the most instances started beyond replicas during the update (Kubernetes maxSurge; a start-first Compose update). max_unavailable and max_surge cannot both be 0."},
		},
	}
	rateLimitBlock = &Block{
		Type: "rate_limit",
		Doc:  "A rate limit on the requests the component accepts.",
		Attributes: []*Attribute{
			{Name: "algorithm", Type: TypeString, Values: rlAlgorithmValues, Default: "token_bucket",
				Doc: "How the limit is enforced."},
			{Name: "rate", Type: TypeRate, Min: bound(0), MinExclusive: true, Unit: "requests/s", Required: true,
				Doc: "Requests per second allowed."},
			{Name: "burst", Type: TypeNumber, Min: bound(0), Max: bound(MaxNumber), Default: "0",
				Doc: "Requests allowed above the rate in a burst."},
			{Name: "per", Type: TypeString, Values: rlPerValues, Default: "client",
				Doc: "What the limit counts: each client (API key, user), each source IP, or all traffic together."},
		},
	}
	replicationBlock = &Block{
		Type: "replication",
		Doc:  "How a database's data is copied. Its instances are one primary plus replicas, or quorum.n equal members with mode = \"quorum\".",
		Attributes: []*Attribute{
			{Name: "mode", Type: TypeString, Values: replModeValues,
				Default: "none; async when replicas is set without a mode; quorum when a quorum block is present",
				Doc:     "How writes reach the copies."},
			{Name: "replicas", Type: TypeWhole, Min: bound(0), Default: "0",
				Doc: "Replicas besides the primary (not with mode = \"quorum\", and an error with mode = \"none\")."},
			{Name: "read_from", Type: TypeString, Values: readFromValues, Default: "primary",
				Doc: "replicas spreads reads evenly over the replicas and sends writes to the primary; any spreads reads over primary and replicas."},
			{Name: "failover", Type: TypeString, Values: failoverValues, Default: "manual",
				Doc: "What happens when the primary fails; anything but automatic makes the primary a single point of failure of the flows that write."},
			{Name: "ack", Type: TypeString, Values: ackValues, Default: "flush",
				Doc: "Where a sync or semi_sync replica acknowledges a write: receive (PostgreSQL synchronous_commit = remote_write), flush (on, the default; MySQL semi-sync) or apply (remote_apply: the write is visible to reads on the replica, which read-your-writes on replicas needs)."},
			{Name: "fallback", Type: TypeString, Values: fallbackValues, Default: "async for semi_sync (MySQL), none for sync (PostgreSQL)",
				Doc: "What the primary does when no replica acknowledges within fallback_timeout: async keeps acknowledging writes no replica has (MySQL semi-sync reverts after rpl_semi_sync_source_timeout); none waits."},
			{Name: "fallback_timeout", Type: TypeDuration, Default: "10s (MySQL's rpl_semi_sync_source_timeout)",
				Doc: "How long the primary waits for an acknowledgement before it falls back."},
			{Name: "max_lag", Type: TypeDuration, Default: "unbounded",
				Doc: "The most a replica that serves reads may lag the primary (a proxy that stops routing to a lagging replica, such as ProxySQL's max_replication_lag): replica reads are then bounded_staleness by it."},
		},
	}
	quorumBlock = &Block{
		Type: "quorum",
		Doc:  "n equal members; a read asks r of them, a write waits for w. r + w > n gives strong reads, r + w ≤ n stale ones. A quorum block alone implies replication mode = \"quorum\".",
		Attributes: []*Attribute{
			{Name: "n", Type: TypeWhole, Min: bound(1), Required: true,
				Doc: "Members (3 when mode = \"quorum\" has no quorum block)."},
			{Name: "r", Type: TypeWhole, Min: bound(1), Default: "a majority (n/2 + 1)",
				Doc: "Members a read asks; at most n."},
			{Name: "w", Type: TypeWhole, Min: bound(1), Default: "a majority (n/2 + 1)",
				Doc: "Members a write waits for; at most n."},
			{Name: "sloppy", Type: TypeBool, Default: "true for riak, false otherwise",
				Doc: "Writes may be acknowledged by stand-ins outside the key's n members (hinted handoff counted toward w, as Riak and Dynamo do): even r + w > n then misses writes."},
			{Name: "read_repair", Type: TypeString, Values: readRepairValues, Default: "blocking for cassandra and scylladb, none otherwise",
				Doc: "blocking writes the newest value back to the read quorum before answering, which makes successive quorum reads monotonic (Cassandra's default)."},
			{Name: "conflict", Type: TypeString, Values: qConflictValues, Default: "consensus for consensus engines (etcd, zookeeper, ...), siblings for riak, lww otherwise",
				Doc: "How concurrent writes are ordered: lww (client timestamps: the loser is silently dropped, so overlapping quorums are still not linearizable), consensus (Paxos or Raft: linearizable), siblings (kept for the client to merge)."},
			{Name: "datacenters", Type: TypeNumberMap, Min: bound(1), Default: "one datacenter",
				Doc: "The replication factor per datacenter (Cassandra's NetworkTopologyStrategy); they add up to n. With them, replica choice is not uniform, and local_quorum levels overlap only within one datacenter."},
		},
	}
	multiRegionBlock = &Block{
		Type: "multi_region",
		Doc:  "Replication across regions.",
		Attributes: []*Attribute{
			{Name: "mode", Type: TypeString, Values: mrModeValues, Default: "active_passive",
				Doc: "active_passive writes in one region at a time; active_active in every region."},
			{Name: "regions", Type: TypeStringList, Required: true,
				Doc: "The declared regions the data lives in."},
			{Name: "conflict", Type: TypeString, Values: conflictValues, Default: "none",
				Doc: "How concurrent writes in two regions are resolved: lww loses one of them, crdt merges them."},
			{Name: "crdt", Type: TypeString, Values: crdtValues, Default: "not stated",
				Doc: "The CRDT type with conflict = \"crdt\": counters, sets, multi-value registers and maps merge every update; an lww_register keeps one of two concurrent writes and loses the other."},
		},
	}
)

// kindSpec is what one component kind takes besides the common (and, for
// deployable kinds, the deployable) attributes and blocks.
type kindSpec struct {
	kind       Kind
	doc        string
	attributes []*Attribute
	blocks     []*Block
}

// deployableBlocks are the blocks every deployable kind takes.
var deployableBlocks = []*Block{resourcesBlock, healthCheckBlock, autoscaleBlock, volumeBlock, portBlock, mountBlock, deployBlock}

var kindSpecs = []kindSpec{
	{kind: KindClient,
		doc: "Where traffic comes from: users, devices, partners, a scheduler. Not deployed.",
		attributes: []*Attribute{
			{Name: "rps", Type: TypeRate, Min: bound(0), Max: bound(MaxNumber), Unit: "requests/s", Default: "0",
				Doc: "Requests per second it sends into its calls."},
			{Name: "read_ratio", Type: TypeRatio, Default: "1 (all reads)",
				Doc: "The share of rps that are reads; the rest are writes."},
		}},
	{kind: KindCDN,
		doc: "A content delivery network. Not deployed. Its calls lead to its origin.",
		attributes: []*Attribute{
			{Name: "hit_ratio", Type: TypeRatio, Default: "0",
				Doc: "Share of reads served from the edge: it passes on (1 − hit_ratio) of the reads it receives, and every write."},
			{Name: "ttl", Type: TypeDuration,
				Doc: "How long the edge keeps a copy: reads through it are stale by at most this."},
			tlsAttr,
		}},
	{kind: KindLoadBalancer,
		doc: "A load balancer. Its calls are its backends; traffic of each class (reads, writes) is split over the backends whose op carries it.",
		attributes: []*Attribute{
			{Name: "layer", Type: TypeWhole, Values: []string{"4", "7"}, Default: "7",
				Doc: "4 (TCP) or 7 (HTTP) balancing."},
			{Name: "algorithm", Type: TypeString, Values: algorithmValues, Default: "round_robin",
				Doc: "weighted splits traffic by each call's weight, the others evenly. For queueing, least_connections pools a backend's instances into one M/M/c queue, while round_robin, random, ip_hash and weighted make each instance its own queue (a component with no load balancer in front is pooled). ip_hash is sticky: a session stays on one backend."},
		},
		blocks: []*Block{rateLimitBlock}},
	{kind: KindGateway,
		doc: "An API gateway.",
		attributes: []*Attribute{
			authAttr, concurrencyAttr, serviceBulkheadAttr,
		},
		blocks: []*Block{rateLimitBlock, consumeBlock}},
	{kind: KindService,
		doc: "An application service.",
		attributes: []*Attribute{
			{Name: "stateful", Type: TypeBool, Default: "false",
				Doc: "The service keeps state (sessions, connections): restarts and failovers lose it."},
			concurrencyAttr, serviceBulkheadAttr,

			authAttr,
		},
		blocks: []*Block{rateLimitBlock, consumeBlock}},
	{kind: KindCache,
		doc: "A cache. It passes on to its own calls (1 − hit_ratio) of its reads and every write.",
		attributes: []*Attribute{
			{Name: "engine", Type: TypeString, Values: cacheEngines, OpenValues: true,
				Doc: "The cache's software; an open list: other values are accepted, a near miss of a known one is a warning."},
			{Name: "strategy", Type: TypeString, Values: strategyValues, Doc: "How reads and writes use the cache."},
			{Name: "hit_ratio", Type: TypeRatio, Default: "0", Doc: "Share of reads served by the cache."},
			{Name: "ttl", Type: TypeDuration, Doc: "How long an entry lives: reads are stale by at most this."},
			{Name: "eviction", Type: TypeString, Values: evictionValues, Doc: "Which entries go when the cache is full."},
			{Name: "persistence", Type: TypeString, Values: persistenceValues, Doc: "What survives a restart."},
			{Name: "invalidation", Type: TypeString, Values: invalidationValues,
				Doc: "How entries are refreshed on writes; lease and versioned refuse stale fills (read-your-writes)."},
			{Name: "flush_interval", Type: TypeDuration, Doc: "How often a write_back cache writes to its origin."},
			lockFencing, lockLease,
			{Name: "origin", Type: TypeReference,
				Doc: "The component misses go to: a read that misses becomes a read on the origin (and every read does while the cache is down); writes through a write_through or write_back cache reach the origin too."},
		},
		blocks: []*Block{consumeBlock, dataBlock}},
	{kind: KindDatabase,
		doc: "A database. Its instances come from its replication (replicas is an error on a database): one primary plus replication.replicas replicas, or quorum.n equal members; with shards = S each shard has those instances of its own.",
		attributes: []*Attribute{
			{Name: "engine", Type: TypeString, Values: databaseEngines, OpenValues: true,
				Doc: "The database's software; an open list: other values are accepted, a near miss of a known one is a warning."},
			{Name: "model", Type: TypeString, Values: modelValues, Default: "derived from the engine where known",
				Doc: "The data model."},
			{Name: "partition_mode", Type: TypeString, Values: partitionValues, Default: "derived from the engine and settings",
				Doc: "What the store does when partitioned: refuse (consistent) or answer with what it has (available). Where it is not written, archform derives it from the engine, the quorum and the replication, and says \"unknown\" where it cannot."},
			{Name: "shards", Type: TypeWhole, Min: bound(1), Default: "1", Doc: "Shards; each has instances of its own."},
			{Name: "shard_key", Type: TypeString, Doc: "What the data is sharded by."},
			{Name: "shard_skew", Type: TypeNumber, Min: bound(1), Max: bound(MaxNumber), Default: "1",
				Doc: "The hottest shard's load ÷ the mean."},
			{Name: "max_connections", Type: TypeWhole, Min: bound(1),
				Doc: "Connection limit, checked against in-flight requests (Little's law)."},
			{Name: "storage", Type: TypeSize, Doc: "Data size."},
			{Name: "isolation", Type: TypeString, Values: isolationValues, Default: "the engine's (postgres read_committed, mysql repeatable_read)",
				Doc: "The transaction isolation level."},
			lockFencing, lockLease,
		},
		blocks: []*Block{replicationBlock, quorumBlock, multiRegionBlock, consumeBlock, dataBlock}},
	{kind: KindQueue,
		doc: "A message queue. Producers write with a call; consumers read with a consume block. Everything downstream of a queue is off the producer's synchronous path.",
		attributes: []*Attribute{
			{Name: "engine", Type: TypeString, Values: queueEngines, Doc: "The queue's software."},
			{Name: "pattern", Type: TypeString, Values: patternValues,
				Doc: "point_to_point splits the messages over its consumers; pub_sub gives every consuming component every message."},
			{Name: "partitions", Type: TypeWhole, Min: bound(1), Default: "unlimited",
				Doc: "At most this many workers of one consuming component are busy at once."},
			{Name: "delivery", Type: TypeString, Values: deliveryValues,
				Doc: "Delivery guarantee; at_least_once needs idempotent consumers (rule idempotency)."},
			{Name: "retention", Type: TypeDuration, Doc: "How long messages are kept."},
			{Name: "max_depth", Type: TypeWhole, Min: bound(1), Default: "unbounded (the broker's memory or disk is the bound)",
				Doc: "The backlog it holds, in messages (RabbitMQ x-max-length, NATS JetStream max_msgs, a Redis stream's MAXLEN); beyond it, overflow says what happens (rule backpressure)."},
			{Name: "overflow", Type: TypeString, Values: overflowValues, Default: "drop_oldest (RabbitMQ's drop-head, NATS JetStream's DiscardOld, Redis MAXLEN trimming)",
				Doc: "What a queue at max_depth does with a new message: reject refuses the write (the producer gets an error: backpressure reaches it; RabbitMQ reject-publish, JetStream DiscardNew); drop_oldest accepts it and deletes the oldest message (with a dead_letter, RabbitMQ dead-letters it)."},
			{Name: "message_size", Type: TypeSize, Default: "1Ki (assumed)",
				Doc: "The mean size of a message in bytes, such as \"2Ki\": the memory or disk a backlog takes (rule backpressure)."},
			{Name: "dead_letter", Type: TypeReference, Doc: "A queue where messages that keep failing go."},
			{Name: "ordering", Type: TypeString, Values: orderingValues, Doc: "Ordering guarantee."},
			{Name: "acks", Type: TypeString, Values: acksValues, Default: "1 (the producer default before Kafka 3.0, the weaker setting)",
				Doc: "What the producer waits for (Kafka's acks): 0 nothing, 1 the partition leader, all every in-sync replica."},
			{Name: "min_insync_replicas", Type: TypeWhole, Min: bound(1), Default: "1 (the broker default)",
				Doc: "With acks = \"all\", the fewest in-sync replicas that must have a message before it is acknowledged (min.insync.replicas)."},
			{Name: "replication_factor", Type: TypeWhole, Min: bound(1), Default: "1 (default.replication.factor)",
				Doc: "Copies of each partition."},
			{Name: "unclean_leader_election", Type: TypeBool, Default: "false",
				Doc: "A replica that is not in sync may become leader, truncating acknowledged messages (unclean.leader.election.enable)."},
		},
		blocks: []*Block{dataBlock}},
	{kind: KindStorage,
		doc: "Object storage.",
		attributes: []*Attribute{
			{Name: "engine", Type: TypeString, Values: storageEngines, OpenValues: true,
				Doc: "The storage service; an open list. Managed services (s3, gcs, ...) are not deployed by emit."},
		},
		blocks: []*Block{consumeBlock, dataBlock}},
	{kind: KindSearch,
		doc: "A search engine.",
		attributes: []*Attribute{
			{Name: "engine", Type: TypeString, Values: searchEngines, Doc: "The search engine's software."},
			{Name: "shards", Type: TypeWhole, Min: bound(1), Default: "1", Doc: "Index shards."},
		},
		blocks: []*Block{consumeBlock, dataBlock}},
	{kind: KindExternal,
		doc:        "A third party you depend on (a payment provider, APNs, the web). Not deployed. A provider's rate limit is its capacity_rps.",
		attributes: []*Attribute{tlsAttr},
		blocks:     []*Block{consumeBlock}},
}

var (
	lockFencing = &Attribute{Name: "fencing", Type: TypeBool, Default: "false",
		Doc: "Used as a lock service, it hands out fencing tokens (a counter each write to the protected resource carries and the resource checks), so a client whose lock expired cannot overwrite a newer holder's writes."}
	lockLease = &Attribute{Name: "lock_lease", Type: TypeDuration,
		Doc: "Used as a lock service, how long a lock is held before it expires unless renewed."}
	compensateBlock = &Block{
		Type:     "compensate",
		Repeated: true,
		Doc:      "How a saga undoes one step when a later one fails.",
		Attributes: []*Attribute{
			{Name: "write", Type: TypeReference, Required: true, Doc: "The store whose write this step made."},
			{Name: "with", Type: TypeReference, Required: true, Doc: "The component called to undo it (a refund service, a cancel endpoint)."},
		},
	}
	transactionBlock = &Block{
		Type: "transaction",
		Doc:  "How the writes of one request to several stores (databases, queues) stay atomic. Without it, a flow that writes two stores can leave one written and the other not.",
		Attributes: []*Attribute{
			{Name: "mode", Type: TypeString, Values: transactionModes, Required: true,
				Doc: "saga: local transactions in turn, each undone by a compensation when a later one fails; 2pc: two-phase commit across stores that support it (XA); outbox: the service writes its database and an outbox table in one local transaction, and a relay publishes the outbox to the queue."},
			{Name: "isolation", Type: TypeString, Values: isolationValues, Default: "the stores' own",
				Doc: "The isolation the flow's transaction needs."},
		},
		Blocks: []*Block{compensateBlock},
	}
	flowBlock = &Block{
		Type:     "flow",
		Labels:   []string{"name"},
		Repeated: true,
		Doc:      "What users do, and what they need. A design with no flow block gets one implicit flow per client, carrying all its traffic.",
		Attributes: []*Attribute{
			{Name: "entry", Type: TypeReference, Required: true,
				Doc: "The client where the flow starts."},
			{Name: "op", Type: TypeString, Values: opValues, Default: "read_write",
				Doc: "Which calls the flow follows: those whose op matches (read_write matches both)."},
			{Name: "rps", Type: TypeRate, Min: bound(0), Max: bound(MaxNumber), Unit: "requests/s", Default: "the entry's rps",
				Doc: "This flow's share of traffic."},
			{Name: "consistency", Type: TypeString, Values: consistencyValues, Default: "not stated",
				Doc: "What the flow needs end to end."},
			{Name: "max_staleness", Type: TypeDuration,
				Doc: "How stale a read may be; required with, and only with, consistency = \"bounded_staleness\"."},
			{Name: "partition", Type: TypeString, Values: partitionValues, Default: "not stated",
				Doc: "What the flow must do in a network partition: refuse (consistent), or answer anyway (available)."},
			{Name: "description", Type: TypeString, Doc: "What the flow is."},
			{Name: "through", Type: TypeReference, Default: "not set: the flow ends where its synchronous path does",
				Doc: "A queue the flow follows to its consumers (asynchronous delivery): the flow then ends when a consumer has processed the message, and its availability, latency and SLO are the delivery's: the path to the queue, the queue, the wait for a consumer's worker, and what the consumer calls. A tier on the flow's path must write to the queue, and something must consume it. See docs/analysis.md (Asynchronous delivery)."},
		},
		Blocks: []*Block{sloBlock, transactionBlock, flowDataBlock},
	}
)

// componentBlocks and catalogueRoot are built from the entries above.
var componentBlocks, catalogueRoot = buildCatalogue()

func buildCatalogue() (map[Kind]*Block, *Block) {
	byKind := map[Kind]*Block{}
	root := &Block{Doc: "A design file.", Blocks: []*Block{systemBlock, regionBlock, variableBlock, localsBlock, flowBlock}}
	for _, spec := range kindSpecs {
		b := &Block{Type: string(spec.kind), Labels: []string{"name"}, Repeated: true, Kind: spec.kind, Doc: spec.doc}
		b.Attributes = append(slices.Clone(CommonAttributes), spec.attributes...)
		b.Blocks = []*Block{callBlock}
		if spec.kind.Deployable() {
			b.Attributes = append(b.Attributes, DeployableAttributes...)
			b.Blocks = append(b.Blocks, deployableBlocks...)
		}
		b.Blocks = append(b.Blocks, spec.blocks...)
		byKind[spec.kind] = b
		root.Blocks = append(root.Blocks, b)
	}
	return byKind, root
}

// bodySchema is the HCL schema of the block's body: required attributes
// first, then the others, in catalogue order.
func (b *Block) bodySchema() *hcl.BodySchema {
	s := &hcl.BodySchema{}
	for _, required := range []bool{true, false} {
		for _, a := range b.Attributes {
			if a.Required == required {
				s.Attributes = append(s.Attributes, hcl.AttributeSchema{Name: a.Name, Required: a.Required})
			}
		}
	}
	for _, nb := range b.Blocks {
		s.Blocks = append(s.Blocks, hcl.BlockHeaderSchema{Type: nb.Type, LabelNames: nb.Labels})
	}
	return s
}

// The decoder's schemas.
var (
	rootSchema        = newSchema(catalogueRoot.bodySchema())
	systemSchema      = systemBlock.bodySchema()
	defaultsSchema    = defaultsBlock.bodySchema()
	sloSchema         = sloBlock.bodySchema()
	regionSchema      = regionBlock.bodySchema()
	variableSchema    = variableBlock.bodySchema()
	flowSchema        = flowBlock.bodySchema()
	callSchema        = newSchema(callBlock.bodySchema())
	consumeSchema     = newSchema(consumeBlock.bodySchema())
	resourcesSchema   = newSchema(resourcesBlock.bodySchema())
	healthSchema      = newSchema(healthCheckBlock.bodySchema())
	autoscaleSchema   = newSchema(autoscaleBlock.bodySchema())
	volumeSchema      = newSchema(volumeBlock.bodySchema())
	portSchema        = newSchema(portBlock.bodySchema())
	mountSchema       = newSchema(mountBlock.bodySchema())
	rateLimitSchema   = newSchema(rateLimitBlock.bodySchema())
	deploySchema      = newSchema(deployBlock.bodySchema())
	replicationSchema = newSchema(replicationBlock.bodySchema())
	quorumSchema      = newSchema(quorumBlock.bodySchema())
	multiRegionSchema = newSchema(multiRegionBlock.bodySchema())
	transactionSchema = transactionBlock.bodySchema()
	dataSchema        = newSchema(dataBlock.bodySchema())
	flowDataSchema    = newSchema(flowDataBlock.bodySchema())
	compensateSchema  = compensateBlock.bodySchema()
	componentSchemas  = func() map[Kind]*schema {
		out := make(map[Kind]*schema, len(componentBlocks))
		for k, b := range componentBlocks {
			out[k] = newSchema(b.bodySchema())
		}
		return out
	}()
)
