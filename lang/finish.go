package lang

// finishComponent applies what depends on more than one attribute: the
// database's replication and quorum, its data model and partition mode, and
// the placement of every component's instances.
func (dc *decoder) finishComponent(c *Component) {
	if c.Kind == KindDatabase {
		dc.finishDatabase(c)
	}
	c.Instances = dc.place(c)
	if c.Kind == KindExternal && !c.Has("tls") {
		c.TLS = true
	}
	if c.TrustZone == "" {
		c.TrustZone = DefaultTrustZone(c)
	}
}

func (dc *decoder) finishDatabase(c *Component) {
	r := &c.Replication
	switch {
	case c.Quorum != nil && !c.Has("replication.mode"):
		// A quorum block alone means a quorum-replicated store.
		r.Mode = "quorum"
	case !c.Has("replication.mode") && r.Replicas > 0:
		// replicas without a mode: streaming (asynchronous) replication, the
		// default of PostgreSQL, MySQL and MariaDB.
		r.Mode = "async"
	}
	switch {
	case r.Mode == "none" && r.Replicas > 0:
		dc.errorf(c.Range("replication.replicas"), "Replicas without replication",
			"replication.mode is \"none\", so the %d replicas would never receive data. Set mode to \"async\", \"semi_sync\" or \"sync\".", r.Replicas)
	case r.Mode == "quorum" && c.Has("replication.replicas"):
		dc.errorf(c.Range("replication.replicas"), "replicas with a quorum",
			"With mode = \"quorum\" the members are quorum.n equal members, not a primary and replicas: remove replication.replicas and set quorum { n = %d }.", r.Replicas+1)
	case c.Quorum != nil && r.Mode != "quorum":
		dc.errorf(c.Quorum.DeclRange, "quorum without quorum replication",
			"A quorum block describes quorum replication, but replication.mode is %q. Set mode = \"quorum\" or remove the quorum block.", r.Mode)
	}
	if r.Mode == "quorum" {
		if c.Quorum == nil {
			c.Quorum = &Quorum{N: 3, DeclRange: r.DeclRange}
		}
		q := c.Quorum
		majority := q.N/2 + 1
		if !c.Has("quorum.r") {
			q.R = majority
		}
		if !c.Has("quorum.w") {
			q.W = majority
		}
		if dcs := q.Datacenters; len(dcs) > 0 {
			sum := 0
			for _, d := range dcs {
				sum += d.RF
			}
			if sum != q.N {
				dc.errorf(c.Range("quorum.datacenters"), "datacenters do not add up to n",
					"The replication factors per datacenter add up to %d, but quorum.n is %d: n is every replica of a key, in all datacenters.", sum, q.N)
			}
		}
		if q.N > 0 {
			if q.R > q.N {
				dc.errorf(c.Range("quorum.r"), "Value out of range", "quorum.r (%d) cannot exceed quorum.n (%d).", q.R, q.N)
			}
			if q.W > q.N {
				dc.errorf(c.Range("quorum.w"), "Value out of range", "quorum.w (%d) cannot exceed quorum.n (%d).", q.W, q.N)
			}
		}
	}
	if c.Model == "" {
		c.Model = engineModel[c.Engine]
	}
	if c.PartitionMode == "" {
		c.PartitionMode = derivePartitionMode(c)
	}
}

// engineModel is each known engine's data model.
var engineModel = map[string]string{
	"postgres": "relational", "mysql": "relational", "mariadb": "relational", "sqlserver": "relational",
	"oracle": "relational", "cockroachdb": "relational", "sqlite": "relational", "spanner": "relational",
	"yugabytedb": "relational", "tidb": "relational",
	"mongodb": "document", "couchdb": "document",
	"dynamodb": "key_value", "etcd": "key_value", "zookeeper": "key_value", "consul": "key_value",
	"redis": "key_value", "foundationdb": "key_value",
	"cassandra": "wide_column", "scylladb": "wide_column",
	"neo4j": "graph",
}

// derivePartitionMode says what a database does when partitioned, where its
// engine and settings tell:
//
//	etcd, zookeeper, consul, cockroachdb, spanner,     consistent (consensus: the minority side refuses)
//	yugabytedb, tidb, foundationdb
//	any engine with a quorum, r + w > n                consistent (read and write quorums overlap)
//	any engine with a quorum, r + w ≤ n                available  (sloppy quorums answer from either side)
//	cassandra, scylladb, dynamodb, couchdb (no quorum) available  (tunable, eventually consistent by default)
//	mongodb                                            consistent (majority writes, primary reads)
//	single-primary relational (postgres, mysql, ...):
//	  replication none, sync or semi_sync              consistent (one writer; reads see its writes)
//	  async, reads from the primary only, failover     consistent
//	    not automatic
//	  async with reads from replicas, or automatic     available  (stale reads, or lost writes on promotion)
//	    failover
//	other engines                                      "" (unknown: analysis must not assume)
func derivePartitionMode(c *Component) string {
	if q := c.Quorum; q != nil && c.Replication.Mode == "quorum" {
		switch c.Engine {
		case "etcd", "zookeeper", "consul", "cockroachdb", "spanner", "yugabytedb", "tidb", "foundationdb":
			return "consistent"
		}
		if q.R+q.W > q.N {
			return "consistent"
		}
		return "available"
	}
	switch c.Engine {
	case "etcd", "zookeeper", "consul", "cockroachdb", "spanner", "yugabytedb", "tidb", "foundationdb":
		return "consistent"
	case "cassandra", "scylladb", "dynamodb", "couchdb":
		return "available"
	case "mongodb":
		return "consistent"
	}
	if engineModel[c.Engine] != "relational" {
		return ""
	}
	r := c.Replication
	switch r.Mode {
	case "none", "sync", "semi_sync":
		return "consistent"
	case "async":
		if r.ReadFrom != "primary" || r.Failover == "automatic" {
			return "available"
		}
		return "consistent"
	}
	return ""
}

// place spreads a component's instances over its zones evenly, in order:
// instance i goes to zone i mod len(zones), so 5 instances over zones a, b, c
// land 2 in a, 2 in b and 1 in c. A database's instances are, for each shard
// in turn, its primary and then its replicas (or its quorum members); the
// count runs on across shards, so the shards' primaries spread over the zones
// too.
func (dc *decoder) place(c *Component) []*Instance {
	type slot struct {
		role  Role
		shard int
	}
	var slots []slot
	if c.Kind == KindDatabase {
		members, role := 1+c.Replication.Replicas, RoleReplica
		if c.Replication.Mode == "quorum" && c.Quorum != nil {
			members, role = c.Quorum.N, RoleMember
		}
		if total := int64(members) * int64(c.Shards); total > MaxInstances {
			dc.errorf(c.DeclRange, "Too many instances", "%s would have %d instances; archform models at most %d per component.", c.Addr, total, MaxInstances)
			return nil
		}
		perShard := make([]Role, members)
		for i := range perShard {
			perShard[i] = role
		}
		if role == RoleReplica {
			perShard[0] = RolePrimary
		}
		for s := range c.Shards {
			for _, role := range perShard {
				slots = append(slots, slot{role, s})
			}
		}
	} else {
		if c.Replicas > MaxInstances {
			dc.errorf(c.Range("replicas"), "Too many instances", "%s would have %d instances; archform models at most %d per component.", c.Addr, c.Replicas, MaxInstances)
			return nil
		}
		for range c.Replicas {
			slots = append(slots, slot{RoleInstance, 0})
		}
	}
	out := make([]*Instance, len(slots))
	buf := make([]Instance, len(slots)) // one allocation for all
	for i, s := range slots {
		in := &buf[i]
		*in = Instance{Component: c, Index: i, Role: s.role, Shard: s.shard}
		if len(c.Zones) > 0 {
			in.Zone = c.Zones[i%len(c.Zones)]
			if z := dc.d.zoneByNm[in.Zone]; z != nil {
				in.Region = z.Region.Name
			}
		}
		out[i] = in
	}
	return out
}

// MaxInstances bounds a component's instances, so that a typo such as
// replicas = 1000000000 is an error rather than an exhausted memory.
const MaxInstances = 100000
