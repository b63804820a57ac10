package lang

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// component decodes one component block.
func (dc *decoder) component(b *hcl.Block) *Component {
	dc.checkName(b, string(b.Type))
	kind := Kind(b.Type)
	sys := dc.d.System.Defaults
	c := &Component{
		Kind:           kind,
		Name:           b.Labels[0],
		Addr:           b.Type + "." + b.Labels[0],
		Replicas:       1,
		MaxUtilization: sys.MaxUtilization,
		Availability:   sys.Availability,
		ReadRatio:      1,
		Shards:         1,
		ShardSkew:      1,
		DeclRange:      b.DefRange,
		NameRange:      b.LabelRanges[0],
		Ranges:         Ranges{},
	}
	switch kind {
	case KindLoadBalancer:
		c.Layer, c.Algorithm = 7, "round_robin"
	case KindDatabase:
		c.Replication = Replication{Mode: "none", ReadFrom: "primary", Failover: "manual"}
	}
	attrs, blocks, diags := bodyContent(b.Body, componentSchemas[kind])
	dc.diags = append(dc.diags, improveUnsupported(diags, kind)...)
	c.Ranges = make(Ranges, len(attrs)+len(blocks))
	for _, attr := range attrs {
		if dc.componentAttr(c, attr) {
			c.Ranges[attr.Name] = attr.Range
		}
	}
	first := map[string]*hcl.Block{}
	for _, blk := range blocks {
		switch blk.Type {
		case "call":
			dc.call(c, blk)
			continue
		case "consume":
			dc.consume(c, blk)
			continue
		case "port":
			dc.port(c, blk)
			continue
		case "mount":
			dc.mount(c, blk)
			continue
		}
		f := first[blk.Type]
		if dc.duplicateBlock(blk, &f, string(kind)) {
			continue
		}
		first[blk.Type] = blk
		c.Ranges[blk.Type] = blk.DefRange
		dc.componentBlock(c, blk)
	}
	dc.finishDeployable(c)
	dc.finishResilience(c)
	return c
}

// finishResilience checks the deploy block against rollout and sets the
// queue's effective overflow and message size.
func (dc *decoder) finishResilience(c *Component) {
	if dp := c.Deploy; dp != nil {
		switch {
		case c.Has("rollout") && c.Has("deploy.strategy") && c.Rollout != dp.Strategy:
			dc.errorf(c.Range("deploy.strategy"), "Conflicting rollout",
				"rollout = %q and deploy.strategy = %q say different things: they are the same setting, write one of them.", c.Rollout, dp.Strategy)
		case c.Has("rollout") && !c.Has("deploy.strategy"):
			dp.Strategy = c.Rollout
		}
		if dp.Strategy != "rolling" {
			for _, a := range []string{"deploy.max_unavailable", "deploy.max_surge"} {
				if c.Has(a) {
					dc.errorf(c.Range(a), "Setting of a rolling update",
						"%s paces a rolling update, and the strategy is %q: a %s deploy brings up the new version beside the old one. Remove it, or write strategy = \"rolling\".", a[len("deploy."):], dp.Strategy, dp.Strategy)
				}
			}
		}
		if dp.MaxUnavailable == 0 && dp.MaxSurge == 0 && c.Has("deploy.max_surge") {
			dc.errorf(c.Range("deploy.max_surge"), "A rolling update that cannot move",
				"max_unavailable and max_surge are both 0: no old instance may stop and no new one may start (Kubernetes refuses it). Allow max_surge = 1 (the new instance starts first) or max_unavailable = 1.")
		}
		c.Rollout = dp.Strategy
	}
	if c.Kind == KindQueue {
		if c.Overflow == "" {
			c.Overflow = "drop_oldest"
		}
		if c.MessageSize == 0 {
			c.MessageSize = DefaultMessageSize
		}
	}
}

// DefaultMessageSize is the message size, in bytes, of a queue that does
// not write message_size.
const DefaultMessageSize = 1024

// improveUnsupported adds to HCL's "Unsupported argument" and "Unsupported
// block type" diagnostics which kinds do take the attribute.
func improveUnsupported(diags hcl.Diagnostics, kind Kind) hcl.Diagnostics {
	for _, d := range diags {
		if d.Summary != "Unsupported argument" && d.Summary != "Unsupported block type" {
			continue
		}
		if strings.Contains(d.Detail, "Did you mean") {
			continue
		}
		name := quotedName(d.Detail)
		if name == "" {
			continue
		}
		if kinds := kindsTaking(name, d.Summary == "Unsupported block type"); len(kinds) > 0 {
			d.Detail += fmt.Sprintf(" %s is set on %s components, not on a %s.", name, joinOr(kinds), kind)
		}
	}
	return diags
}

func quotedName(detail string) string {
	i := strings.IndexByte(detail, '"')
	if i < 0 {
		return ""
	}
	j := strings.IndexByte(detail[i+1:], '"')
	if j < 0 {
		return ""
	}
	return detail[i+1 : i+1+j]
}

func kindsTaking(name string, block bool) []string {
	var out []string
	for _, k := range Kinds {
		s := componentSchemas[k]
		if block {
			for _, b := range s.Blocks {
				if b.Type == name {
					out = append(out, string(k))
				}
			}
			continue
		}
		for _, a := range s.Attributes {
			if a.Name == name {
				out = append(out, string(k))
			}
		}
	}
	return out
}

func joinOr(xs []string) string {
	if len(xs) <= 1 {
		return strings.Join(xs, "")
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

// componentAttr decodes one attribute of a component; it reports whether
// the value was taken.
func (dc *decoder) componentAttr(c *Component, attr *hcl.Attribute) bool {
	var ok bool
	switch attr.Name {
	case "description":
		c.Description, ok = dc.str(attr)
	case "replicas":
		if c.Kind == KindDatabase {
			dc.errorf(attr.Range, "replicas on a database",
				"A database's instances come from its replication, not from replicas: write replication { mode = \"async\", replicas = N } for a primary and N replicas, or replication { mode = \"quorum\" } with quorum { n = N } for N equal members.")
			return false
		}
		c.Replicas, ok = dc.integer(attr, 1, math.MaxInt32)
	case "zones":
		var zones []string
		if zones, ok = dc.strList(attr); ok {
			c.Zones = zones
			ranges := elementRanges(attr, len(zones))
			seen := map[string]bool{}
			for i, z := range zones {
				if seen[z] {
					dc.errorf(ranges[i], "Duplicate zone", "The zone %q appears twice in zones.", z)
					ok = false
				}
				seen[z] = true
				dc.zoneUses = append(dc.zoneUses, zoneUse{name: z, rng: ranges[i], owner: c})
			}
			if len(zones) == 0 {
				dc.errorf(attr.Expr.Range(), "Invalid value", "zones must list at least one zone; leave it out for no placement.")
				ok = false
			}
		}
	case "capacity_rps":
		c.CapacityRPS, ok = dc.positive(attr)
	case "max_utilization":
		c.MaxUtilization, ok = dc.ratio(attr)
	case "latency":
		c.Latency, ok = dc.duration(attr)
	case "availability":
		c.Availability, ok = dc.ratio(attr)
	case "labels":
		c.Labels, ok = dc.strMap(attr)
	case "image":
		c.Image, ok = dc.str(attr)
		if ok && strings.TrimSpace(c.Image) == "" {
			dc.errorf(attr.Expr.Range(), "Invalid value", "image must not be empty.")
			ok = false
		}
	case "ports":
		c.Ports, ok = dc.intList(attr, 1, 65535)
	case "env":
		c.Env, ok = dc.strMap(attr)
	case "secrets":
		var m map[string]string
		if m, ok = dc.strMap(attr); ok {
			c.Secrets = make(map[string]SecretRef, len(m))
			for _, k := range sortedKeys(m) {
				name, key, found := strings.Cut(m[k], "/")
				if !found || name == "" || key == "" || strings.Contains(key, "/") {
					dc.errorf(mapValueRange(attr, k), "Invalid secret reference",
						"secrets[%q] = %q: a secret is named, never given, as \"SECRET-NAME/KEY\" (such as \"db-credentials/password\").", k, m[k])
					ok = false
					continue
				}
				c.Secrets[k] = SecretRef{Name: name, Key: key}
			}
		}
	case "command":
		c.Command, ok = dc.strList(attr)
	case "entrypoint":
		c.Entrypoint, ok = dc.strList(attr)
		if ok && c.Entrypoint == nil {
			c.Entrypoint = []string{}
		}
	case "env_passthrough":
		if c.EnvPassthrough, ok = dc.strList(attr); ok {
			for _, name := range c.EnvPassthrough {
				if !envName.MatchString(name) {
					dc.errorf(attr.Expr.Range(), "Invalid value", "env_passthrough: %q is not an environment variable name (letters, digits and _, not starting with a digit).", name)
					ok = false
				}
			}
		}
	case "public":
		c.Public, ok = dc.boolean(attr)
	case "rollout":
		c.Rollout, ok = dc.enum(attr, rolloutValues)
	case "rps":
		c.RPS, ok = dc.number(attr, 0)
	case "read_ratio":
		c.ReadRatio, ok = dc.ratio(attr)
	case "hit_ratio":
		c.HitRatio, ok = dc.ratio(attr)
	case "ttl":
		c.TTL, ok = dc.duration(attr)
	case "layer":
		var l int
		if l, ok = dc.integer(attr, 4, 7); ok {
			if l != 4 && l != 7 {
				dc.errorf(attr.Expr.Range(), "Invalid value for layer", "layer is 4 (TCP) or 7 (HTTP); it is %d.", l)
				return false
			}
			c.Layer = l
		}
	case "algorithm":
		c.Algorithm, ok = dc.enum(attr, algorithmValues)
	case "auth":
		c.Auth, ok = dc.enum(attr, authValues)
	case "trust_zone":
		var z string
		z, ok = dc.enum(attr, trustZoneValues)
		c.TrustZone = TrustZone(z)
	case "tls":
		c.TLS, ok = dc.boolean(attr)
	case "stateful":
		c.Stateful, ok = dc.boolean(attr)
	case "role":
		var role string
		role, ok = dc.enum(attr, roleValues)
		c.Role = ComponentRole(role)
	case "engine":
		switch c.Kind {
		case KindCache:
			c.Engine, ok = dc.openEnum(attr, cacheEngines)
		case KindDatabase:
			c.Engine, ok = dc.openEnum(attr, databaseEngines)
		case KindStorage:
			c.Engine, ok = dc.openEnum(attr, storageEngines)
		case KindQueue:
			c.Engine, ok = dc.enum(attr, queueEngines)
		case KindSearch:
			c.Engine, ok = dc.enum(attr, searchEngines)
		}
	case "strategy":
		c.Strategy, ok = dc.enum(attr, strategyValues)
	case "eviction":
		c.Eviction, ok = dc.enum(attr, evictionValues)
	case "persistence":
		c.Persistence, ok = dc.enum(attr, persistenceValues)
	case "invalidation":
		c.Invalidation, ok = dc.enum(attr, invalidationValues)
	case "flush_interval":
		c.FlushInterval, ok = dc.duration(attr)
	case "origin":
		ok = dc.componentRef(c, attr, func(dc *decoder, t *Component) { c.Origin = t })
	case "model":
		c.Model, ok = dc.enum(attr, modelValues)
	case "partition_mode":
		c.PartitionMode, ok = dc.enum(attr, partitionValues)
	case "shards":
		c.Shards, ok = dc.integer(attr, 1, math.MaxInt32)
	case "shard_key":
		c.ShardKey, ok = dc.str(attr)
	case "shard_skew":
		c.ShardSkew, ok = dc.number(attr, 1)
	case "max_connections":
		c.MaxConnections, ok = dc.integer(attr, 1, math.MaxInt32)
	case "storage":
		c.Storage, ok = dc.size(attr)
	case "pattern":
		c.Pattern, ok = dc.enum(attr, patternValues)
	case "partitions":
		c.Partitions, ok = dc.integer(attr, 1, math.MaxInt32)
	case "delivery":
		c.Delivery, ok = dc.enum(attr, deliveryValues)
	case "retention":
		c.Retention, ok = dc.duration(attr)
	case "max_depth":
		c.MaxDepth, ok = dc.integer(attr, 1, math.MaxInt32)
	case "overflow":
		c.Overflow, ok = dc.enum(attr, overflowValues)
	case "message_size":
		var q string
		if q, ok = dc.size(attr); ok {
			c.MessageSize = QuantityValue(q)
		}
	case "concurrency":
		c.Concurrency, ok = dc.integer(attr, 1, math.MaxInt32)
	case "bulkhead":
		c.Bulkhead, ok = dc.integer(attr, 1, math.MaxInt32)
	case "ordering":
		c.Ordering, ok = dc.enum(attr, orderingValues)
	case "isolation":
		c.Isolation, ok = dc.enum(attr, isolationValues)
	case "fencing":
		c.Fencing, ok = dc.boolean(attr)
	case "lock_lease":
		c.LockLease, ok = dc.duration(attr)
	case "acks":
		c.Acks, ok = dc.enum(attr, acksValues)
	case "min_insync_replicas":
		c.MinInsyncReplicas, ok = dc.integer(attr, 1, math.MaxInt32)
	case "replication_factor":
		c.ReplicationFactor, ok = dc.integer(attr, 1, math.MaxInt32)
	case "unclean_leader_election":
		c.UncleanLeaderElection, ok = dc.boolean(attr)
	case "dead_letter":
		ok = dc.componentRef(c, attr, func(dc *decoder, t *Component) {
			if t.Kind != KindQueue {
				dc.errorf(attr.Expr.Range(), "Invalid dead_letter",
					"A dead-letter queue must be a queue, and %s is a %s.", t.Addr, t.Kind)
				return
			}
			c.DeadLetter = t
		})
	}
	return ok
}

// componentRef reads a reference attribute of c, resolved later by set.
func (dc *decoder) componentRef(c *Component, attr *hcl.Attribute, set func(*decoder, *Component)) bool {
	r, ok := dc.reference(attr)
	if ok {
		dc.refs = append(dc.refs, pendingRef{ref: r, from: c, set: set})
	}
	return ok
}

// componentBlock decodes a nested block that may appear once.
func (dc *decoder) componentBlock(c *Component, blk *hcl.Block) {
	switch blk.Type {
	case "resources":
		r := &Resources{}
		for _, attr := range dc.content(c, blk, resourcesSchema) {
			var ok bool
			switch attr.Name {
			case "cpu":
				r.CPU, ok = dc.size(attr)
			case "memory":
				r.Memory, ok = dc.size(attr)
			}
			dc.record(c, blk, attr, ok)
		}
		c.Resources = r
	case "health_check":
		h := &HealthCheck{DeclRange: blk.DefRange}
		for _, attr := range dc.content(c, blk, healthSchema) {
			var ok bool
			switch attr.Name {
			case "path":
				if h.Path, ok = dc.str(attr); ok && !strings.HasPrefix(h.Path, "/") {
					dc.errorf(attr.Expr.Range(), "Invalid value", "A health check path starts with \"/\", such as \"/healthz\".")
				} else if i := strings.IndexFunc(h.Path, notURIChar); ok && i >= 0 {
					dc.errorf(attr.Expr.Range(), "Invalid value",
						"A health check path is a URL path (and query): %q cannot be in it. Percent-encode it (a space is %%20).", []rune(h.Path[i:])[0])
					ok = false
				}
			case "port":
				h.Port, ok = dc.integer(attr, 1, 65535)
			case "interval":
				h.Interval, ok = dc.duration(attr)
			case "timeout":
				h.Timeout, ok = dc.duration(attr)
			case "unhealthy_threshold":
				h.UnhealthyThreshold, ok = dc.integer(attr, 1, math.MaxInt32)
			}
			dc.record(c, blk, attr, ok)
		}
		c.HealthCheck = h
	case "deploy":
		dp := &Deploy{Strategy: "rolling", MaxSurge: 1, DeclRange: blk.DefRange}
		for _, attr := range dc.content(c, blk, deploySchema) {
			var ok bool
			switch attr.Name {
			case "strategy":
				dp.Strategy, ok = dc.enum(attr, rolloutValues)
			case "max_unavailable":
				dp.MaxUnavailable, ok = dc.integer(attr, 0, math.MaxInt32)
			case "max_surge":
				dp.MaxSurge, ok = dc.integer(attr, 0, math.MaxInt32)
			}
			dc.record(c, blk, attr, ok)
		}
		c.Deploy = dp
	case "autoscale":
		a := &Autoscale{Min: 1, DeclRange: blk.DefRange}
		attrs := dc.content(c, blk, autoscaleSchema)
		for _, attr := range attrs {
			var ok bool
			switch attr.Name {
			case "min":
				a.Min, ok = dc.integer(attr, 1, math.MaxInt32)
			case "max":
				a.Max, ok = dc.integer(attr, 1, math.MaxInt32)
			case "target_utilization":
				a.TargetUtilization, ok = dc.ratio(attr)
				if ok && a.TargetUtilization == 0 {
					dc.errorf(attr.Expr.Range(), "Value out of range", "target_utilization must be greater than 0.")
					ok = false
				}
			}
			dc.record(c, blk, attr, ok)
		}
		if c.Has("autoscale.min") && c.Has("autoscale.max") && a.Min > a.Max {
			dc.errorf(c.Range("autoscale.min"), "Invalid autoscale range", "autoscale min (%d) is greater than max (%d).", a.Min, a.Max)
		}
		c.Autoscale = a
	case "volume":
		v := &Volume{DeclRange: blk.DefRange}
		for _, attr := range dc.content(c, blk, volumeSchema) {
			var ok bool
			switch attr.Name {
			case "path":
				if v.Path, ok = dc.str(attr); ok && !strings.HasPrefix(v.Path, "/") {
					dc.errorf(attr.Expr.Range(), "Invalid value", "A volume path is absolute, such as \"/var/lib/data\".")
					ok = false
				}
			case "size":
				v.Size, ok = dc.size(attr)
			case "name":
				if v.Name, ok = dc.str(attr); ok && !volumeName.MatchString(v.Name) {
					dc.errorf(attr.Expr.Range(), "Invalid value", "volume name %q: a letter or digit, then letters, digits, '.', '_' or '-'.", v.Name)
					ok = false
				}
			}
			dc.record(c, blk, attr, ok)
		}
		c.Volume = v
	case "rate_limit":
		r := &RateLimit{Algorithm: "token_bucket", Per: "client", DeclRange: blk.DefRange}
		for _, attr := range dc.content(c, blk, rateLimitSchema) {
			var ok bool
			switch attr.Name {
			case "algorithm":
				r.Algorithm, ok = dc.enum(attr, rlAlgorithmValues)
			case "rate":
				r.Rate, ok = dc.positive(attr)
			case "burst":
				r.Burst, ok = dc.number(attr, 0)
			case "per":
				r.Per, ok = dc.enum(attr, rlPerValues)
			}
			dc.record(c, blk, attr, ok)
		}
		c.RateLimit = r
	case "replication":
		r := &c.Replication
		r.DeclRange = blk.DefRange
		for _, attr := range dc.content(c, blk, replicationSchema) {
			var ok bool
			switch attr.Name {
			case "mode":
				r.Mode, ok = dc.enum(attr, replModeValues)
			case "replicas":
				r.Replicas, ok = dc.integer(attr, 0, math.MaxInt32)
			case "read_from":
				r.ReadFrom, ok = dc.enum(attr, readFromValues)
			case "failover":
				r.Failover, ok = dc.enum(attr, failoverValues)
			case "ack":
				r.Ack, ok = dc.enum(attr, ackValues)
			case "fallback":
				r.Fallback, ok = dc.enum(attr, fallbackValues)
			case "fallback_timeout":
				r.FallbackTimeout, ok = dc.duration(attr)
			case "max_lag":
				r.MaxLag, ok = dc.duration(attr)
			}
			dc.record(c, blk, attr, ok)
		}
	case "quorum":
		q := &Quorum{DeclRange: blk.DefRange}
		for _, attr := range dc.content(c, blk, quorumSchema) {
			var ok bool
			switch attr.Name {
			case "n":
				q.N, ok = dc.integer(attr, 1, math.MaxInt32)
			case "r":
				q.R, ok = dc.integer(attr, 1, math.MaxInt32)
			case "w":
				q.W, ok = dc.integer(attr, 1, math.MaxInt32)
			case "sloppy":
				var b bool
				if b, ok = dc.boolean(attr); ok {
					q.Sloppy = &b
				}
			case "read_repair":
				q.ReadRepair, ok = dc.enum(attr, readRepairValues)
			case "conflict":
				q.Conflict, ok = dc.enum(attr, qConflictValues)
			case "datacenters":
				q.Datacenters, ok = dc.datacenters(attr)
			}
			dc.record(c, blk, attr, ok)
		}
		c.Quorum = q
	case "data":
		c.Data = dc.data(blk, dataSchema, func(attr *hcl.Attribute, ok bool) { dc.record(c, blk, attr, ok) })
	case "multi_region":
		m := &MultiRegion{Mode: "active_passive", Conflict: "none", DeclRange: blk.DefRange}
		for _, attr := range dc.content(c, blk, multiRegionSchema) {
			var ok bool
			switch attr.Name {
			case "mode":
				m.Mode, ok = dc.enum(attr, mrModeValues)
			case "conflict":
				m.Conflict, ok = dc.enum(attr, conflictValues)
			case "crdt":
				m.CRDT, ok = dc.enum(attr, crdtValues)
			case "regions":
				if m.Regions, ok = dc.strList(attr); ok {
					ranges := elementRanges(attr, len(m.Regions))
					for i, r := range m.Regions {
						dc.regionUses = append(dc.regionUses, zoneUse{name: r, rng: ranges[i]})
					}
				}
			}
			dc.record(c, blk, attr, ok)
		}
		c.MultiRegion = m
	}
}

// data decodes a data block of a datastore or a flow; record notes each
// attribute taken.
func (dc *decoder) data(blk *hcl.Block, s *schema, record func(*hcl.Attribute, bool)) *Data {
	d := &Data{DeclRange: blk.DefRange}
	attrs, _, diags := bodyContent(blk.Body, s)
	dc.diags = append(dc.diags, diags...)
	for _, attr := range attrs {
		var ok bool
		switch attr.Name {
		case "classification":
			d.Classification, ok = dc.enum(attr, classValues)
		case "encrypted_at_rest":
			d.EncryptedAtRest, ok = dc.boolean(attr)
		}
		record(attr, ok)
	}
	return d
}

// content decodes a nested block's body and returns its attributes.
func (dc *decoder) content(c *Component, blk *hcl.Block, s *schema) []*hcl.Attribute {
	attrs, _, diags := bodyContent(blk.Body, s)
	dc.diags = append(dc.diags, diags...)
	return attrs
}

// record notes a nested attribute's range under BLOCK.ATTR.
func (dc *decoder) record(c *Component, blk *hcl.Block, attr *hcl.Attribute, ok bool) {
	if !ok {
		return
	}
	key, found := nestedKeys[[2]string{blk.Type, attr.Name}]
	if !found {
		key = blk.Type + "." + attr.Name
	}
	c.Ranges[key] = attr.Range
}

// nestedKeys holds the Ranges key of every nested attribute, built once so
// that recording one does not allocate.
var nestedKeys = func() map[[2]string]string {
	out := map[[2]string]string{}
	for blk, s := range map[string]*schema{
		"resources": resourcesSchema, "health_check": healthSchema, "autoscale": autoscaleSchema,
		"volume": volumeSchema, "rate_limit": rateLimitSchema, "replication": replicationSchema,
		"quorum": quorumSchema, "multi_region": multiRegionSchema, "data": dataSchema, "deploy": deploySchema,
	} {
		for _, a := range s.Attributes {
			out[[2]string{blk, a.Name}] = blk + "." + a.Name
		}
	}
	return out
}()

// call decodes a call block of c.
func (dc *decoder) call(c *Component, blk *hcl.Block) {
	attrs, _, diags := bodyContent(blk.Body, callSchema)
	dc.diags = append(dc.diags, diags...)
	call := &Call{From: c, Index: len(c.Calls), Op: OpReadWrite, PerRequest: 1, Mode: "sync", Required: true, Weight: 1,
		DeclRange: blk.DefRange, Ranges: make(Ranges, len(attrs))}
	c.Calls = append(c.Calls, call)
	for _, attr := range attrs {
		var ok bool
		switch attr.Name {
		case "to":
			ok = dc.componentRef(c, attr, func(dc *decoder, t *Component) {
				if t.Kind == KindClient {
					dc.errorf(attr.Expr.Range(), "Call to a client",
						"%s is a client: clients are where traffic comes from, so nothing calls them. Call the component that serves the client's requests instead.", t.Addr)
					return
				}
				call.To = t
			})
		case "fallback":
			ok = dc.componentRef(c, attr, func(dc *decoder, t *Component) { call.Fallback = t })
		case "op":
			var v string
			if v, ok = dc.enum(attr, opValues); ok {
				call.Op = Op(v)
			}
		case "per_request":
			call.PerRequest, ok = dc.positive(attr)
		case "mode":
			call.Mode, ok = dc.enum(attr, modeValues)
		case "required":
			call.Required, ok = dc.boolean(attr)
		case "timeout":
			call.Timeout, ok = dc.duration(attr)
		case "retries":
			call.Retries, ok = dc.integer(attr, 0, 100)
		case "backoff":
			call.Backoff, ok = dc.duration(attr)
		case "circuit_breaker":
			call.CircuitBreaker, ok = dc.boolean(attr)
		case "consistency":
			var v string
			if v, ok = dc.enum(attr, consistencyValues); ok {
				call.Consistency = Consistency(v)
			}
		case "max_staleness":
			call.MaxStaleness, ok = dc.duration(attr)
		case "protocol":
			call.Protocol, ok = dc.str(attr)
		case "weight":
			call.Weight, ok = dc.number(attr, 0)
		case "description":
			_, ok = dc.str(attr)
		case "read_level":
			call.ReadLevel, ok = dc.enum(attr, levelValues)
		case "write_level":
			call.WriteLevel, ok = dc.enum(attr, levelValues)
		case "session":
			call.Session, ok = dc.enum(attr, sessionValues)
		case "session_window":
			call.SessionWindow, ok = dc.duration(attr)
		case "idempotency_key":
			call.IdempotencyKey, ok = dc.boolean(attr)
		case "bulkhead":
			call.Bulkhead, ok = dc.integer(attr, 1, math.MaxInt32)
		case "tls":
			call.TLS, ok = dc.boolean(attr)
		}
		if ok {
			call.Ranges[attr.Name] = attr.Range
		}
	}
	dc.checkStaleness(call.Ranges, call.Consistency, "call")
	switch {
	case call.Session == "primary_after_write" && !call.Ranges.Has("session_window"):
		dc.errorf(call.Ranges["session"], "Missing session_window",
			"session = \"primary_after_write\" reads from the primary for a while after each write: say how long with session_window (such as session_window = \"5s\").")
	case call.Ranges.Has("session_window") && call.Session != "primary_after_write":
		dc.errorf(call.Ranges["session_window"], "session_window without primary_after_write",
			"session_window is how long reads go to the primary after a write, which only means something with session = \"primary_after_write\".")
	}
}

// consume decodes a consume block of c.
func (dc *decoder) consume(c *Component, blk *hcl.Block) {
	attrs, _, diags := bodyContent(blk.Body, consumeSchema)
	dc.diags = append(dc.diags, diags...)
	cs := &Consume{Consumer: c, Workers: 1, DeclRange: blk.DefRange, Ranges: make(Ranges, len(attrs))}
	c.Consumes = append(c.Consumes, cs)
	for _, attr := range attrs {
		var ok bool
		switch attr.Name {
		case "from":
			ok = dc.componentRef(c, attr, func(dc *decoder, t *Component) {
				if t.Kind != KindQueue {
					dc.errorf(attr.Expr.Range(), "Consume from a non-queue",
						"A consume block reads messages from a queue, and %s is a %s. To depend on it, use a call block instead.", t.Addr, t.Kind)
					return
				}
				cs.Queue = t
			})
		case "workers":
			cs.Workers, ok = dc.integer(attr, 1, math.MaxInt32)
		case "rate":
			cs.Rate, ok = dc.positive(attr)
		case "idempotent":
			cs.Idempotent, ok = dc.boolean(attr)
		case "retries":
			cs.Retries, ok = dc.integer(attr, 0, 1000)
		}
		if ok {
			cs.Ranges[attr.Name] = attr.Range
		}
	}
}

// datacenters reads a quorum's replication factor per datacenter: a map of
// datacenter name to a whole number ≥ 1, sorted by name.
func (dc *decoder) datacenters(attr *hcl.Attribute) ([]DatacenterRF, bool) {
	v, ok := dc.typed(attr, cty.Map(cty.Number))
	if !ok {
		return nil, false
	}
	var out []DatacenterRF
	for it := v.ElementIterator(); it.Next(); {
		k, e := it.Element()
		if e.IsNull() {
			dc.errorf(attr.Expr.Range(), "Invalid value", "datacenters[%q] must be a number.", k.AsString())
			return nil, false
		}
		n, ok := dc.wholeNumber("datacenters[\""+k.AsString()+"\"]", attr.Expr.Range(), e.AsBigFloat(), 1, math.MaxInt32)
		if !ok {
			return nil, false
		}
		out = append(out, DatacenterRF{Name: k.AsString(), RF: n})
	}
	if len(out) == 0 {
		dc.errorf(attr.Expr.Range(), "Invalid value", "datacenters must name at least one datacenter; leave it out for one.")
		return nil, false
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, true
}

// notURIChar reports whether r cannot appear as it is in a URL's path and
// query (RFC 3986): spaces, controls, quotes, '#', '\\', '<', '>', '^', '`',
// '{', '|', '}' and anything beyond ASCII must be percent-encoded. Health
// check paths are written into HAProxy configurations and shell commands,
// where such characters would change the command.
func notURIChar(r rune) bool {
	if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
		return false
	}
	return !strings.ContainsRune("-._~!$&'()*+,;=:@/?%", r)
}
