package analyze

// The engine table: what each configuration of each engine provides to a
// read (or promises a write), and where that is documented. It is the one
// place these facts live: the consistency calculus (consistency.go) picks a
// row for each read and builds its guarantee from the row, the durability
// and idempotency rules read their rows, and docs/consistency.md is
// generated from this table (TestEngineTableDoc keeps it current).

import (
	"fmt"
	"strings"

	"github.com/archform/archform/lang"
)

// RowID names one row of the engine table.
type RowID string

// Row is one configuration and what it provides.
type Row struct {
	ID RowID
	// Engines says which engines (or components) the row is about.
	Engines string
	// Config is the configuration in the language's terms.
	Config string
	// Provides is the set of levels a read gets (empty: eventual). Session
	// guarantees (read_your_writes, monotonic_reads, monotonic_writes,
	// writes_follow_reads) are incomparable and listed one by one.
	Provides []lang.Consistency
	// Bounded: reads are at most a bound old (the bound comes from the
	// design: a ttl, a refresh interval, max_lag).
	Bounded bool
	// Loses: acknowledged or concurrent writes can be lost in this
	// configuration (lost updates, rollback on failover).
	Loses bool
	// Why says in one sentence why.
	Why string
	// Source is the manual section or Jepsen analysis the row rests on.
	Source string
}

// Row IDs the code picks. Each is a row of EngineTable (TestEngineTable).
const (
	RowPrimary             RowID = "primary"
	RowPrimaryFailover     RowID = "primary-async-failover"
	RowRedisFailover       RowID = "redis-failover"
	RowAsyncReplicas       RowID = "replicas-async"
	RowSemiSyncReplicas    RowID = "replicas-semi-sync"
	RowSyncFlushReplicas   RowID = "replicas-sync-flush"
	RowSyncApplyReplicas   RowID = "replicas-sync-apply"
	RowOneReplica          RowID = "one-replica"
	RowStickyReplica       RowID = "session-sticky-replica"
	RowCausalToken         RowID = "session-causal-token"
	RowPrimaryAfterWrite   RowID = "session-primary-after-write"
	RowMaxLag              RowID = "replicas-max-lag"
	RowQuorumLWW           RowID = "quorum-lww"
	RowQuorumLWWRepair     RowID = "quorum-lww-blocking-read-repair"
	RowQuorumSiblings      RowID = "quorum-siblings"
	RowQuorumSloppy        RowID = "quorum-sloppy"
	RowQuorumWeak          RowID = "quorum-weak"
	RowQuorumLocal         RowID = "quorum-local-datacenter"
	RowCassandraSerial     RowID = "cassandra-serial"
	RowLeaderlessDefault   RowID = "leaderless-default"
	RowDynamoStrong        RowID = "dynamodb-strong"
	RowEtcd                RowID = "etcd"
	RowConsul              RowID = "consul"
	RowZooKeeper           RowID = "zookeeper"
	RowCockroach           RowID = "cockroachdb"
	RowSpanner             RowID = "spanner"
	RowYugabyte            RowID = "yugabytedb"
	RowTiDB                RowID = "tidb"
	RowFoundationDB        RowID = "foundationdb"
	RowFollowerRead        RowID = "follower-read"
	RowMongoPrimary        RowID = "mongodb-primary"
	RowMongoLinearizable   RowID = "mongodb-linearizable"
	RowMongoCausal         RowID = "mongodb-causal-session"
	RowMongoSecondary      RowID = "mongodb-secondary"
	RowCacheTTL            RowID = "cache-ttl"
	RowCacheExplicit       RowID = "cache-explicit-invalidation"
	RowCacheCoherent       RowID = "cache-lease-or-versioned"
	RowCacheWriteThrough   RowID = "cache-write-through"
	RowCacheBypassed       RowID = "cache-write-through-bypassed"
	RowCDN                 RowID = "cdn-ttl"
	RowSearchRefresh       RowID = "search-refresh"
	RowMultiRegionLWW      RowID = "multi-region-lww"
	RowMultiRegionNone     RowID = "multi-region-none"
	RowMultiRegionCRDT     RowID = "multi-region-crdt"
	RowMultiRegionRegister RowID = "multi-region-crdt-lww-register"

	// Durability rows (writes).
	RowSemiSyncFallback RowID = "semi-sync-fallback"
	RowSyncNoFallback   RowID = "sync-no-fallback"
	RowKafkaDurable     RowID = "kafka-durable"
	RowKafkaAcks        RowID = "kafka-acks-leader"
	RowKafkaISR         RowID = "kafka-min-insync-1"
	RowKafkaUnclean     RowID = "kafka-unclean-election"
	RowKafkaEOS         RowID = "kafka-exactly-once"
)

var (
	rywMR  = []lang.Consistency{lang.ReadYourWrites, lang.MonotonicReads}
	ryw    = []lang.Consistency{lang.ReadYourWrites}
	mr     = []lang.Consistency{lang.MonotonicReads}
	lin    = []lang.Consistency{lang.Linearizable}
	causal = []lang.Consistency{lang.Causal}
)

// Sources, named once.
const (
	srcDDIA5Failover = "Kleppmann, Designing Data-Intensive Applications, ch. 5, \"Handling Node Outages: Leader failover\""
	srcDDIA5Lag      = "Kleppmann, Designing Data-Intensive Applications, ch. 5, \"Problems with Replication Lag\""
	srcDDIA9Lin      = "Kleppmann, Designing Data-Intensive Applications, ch. 9, \"Implementing Linearizable Systems\""
	srcPGSyncCommit  = "PostgreSQL manual, §19.5.1 \"synchronous_commit\" and §26.2.8 \"Synchronous Replication\" (https://www.postgresql.org/docs/current/runtime-config-wal.html)"
	srcMySQLSemiSync = "MySQL 8.4 manual, §19.4.10 \"Semisynchronous Replication\" and §19.4.10.2 (rpl_semi_sync_source_timeout, default 10000 ms)"
	srcCassRepair    = "Apache Cassandra documentation, \"Read repair: Expectation of Monotonic Quorum Reads\" (https://cassandra.apache.org/doc/latest/operating/read_repair.html)"
	srcJepsenCass    = "Jepsen, \"Cassandra\" (Kingsbury, 2013): quorum reads and writes with last-write-wins timestamps lose updates; only lightweight transactions (Paxos) are linearizable"
	srcKafkaRepl     = "Apache Kafka documentation, §4.8 \"Replication\": \"Availability and Durability Guarantees\" (acks, min.insync.replicas, unclean.leader.election.enable)"
	srcMongoRC       = "MongoDB manual, \"Read Concern\" and \"Read Isolation, Consistency, and Recency\"; Jepsen, \"MongoDB 3.4.0-rc3\" (Kingsbury, 2017): a deposed primary serves stale reads"
)

// EngineTable is every row, in the order docs/consistency.md prints them.
var EngineTable = []Row{
	// Single primary.
	{ID: RowPrimary, Engines: "any single-primary store", Config: `replication.read_from = "primary"` + " (or no replicas), no failover that can lose writes",
		Provides: lin, Why: "every read and write goes to the one primary",
		Source: srcDDIA9Lin + ": single-leader replication, reads from the leader, is potentially linearizable"},
	{ID: RowPrimaryFailover, Engines: "postgres, mysql, mariadb, ...", Config: `replication.failover = "automatic"` + " with async replication (or semi_sync that falls back to async)",
		Loses: true, Why: "a failover promotes a replica that can lack writes the old primary acknowledged: a read after it misses them, and a deposed primary can still answer",
		Source: srcDDIA5Failover},
	{ID: RowRedisFailover, Engines: "redis", Config: `replication.failover = "automatic"` + " (Sentinel or Cluster), with or without WAIT (mode = \"sync\")",
		Loses: true, Why: "WAIT does not make Redis strongly consistent: a failover can promote a replica that missed a write WAIT acknowledged, and reads on the primary see writes before they are replicated",
		Source: "Redis documentation, WAIT, \"Consistency and WAIT\" (https://redis.io/commands/wait); Jepsen, \"Redis\" (Kingsbury, 2013)"},

	// Replicas of a primary.
	{ID: RowAsyncReplicas, Engines: "postgres, mysql, mariadb, redis, ...", Config: `replication { mode = "async", read_from = "replicas" }`,
		Why:    "async replicas apply the primary's writes after an unbounded lag: a read can miss any recent write, and two reads on two replicas can go back in time",
		Source: srcDDIA5Lag},
	{ID: RowSemiSyncReplicas, Engines: "mysql, mariadb", Config: `replication { mode = "semi_sync", read_from = "replicas" }`,
		Why:    "semi-sync acknowledges a write once one replica has written it to its relay log, before any replica applies it: a replica read can miss it",
		Source: srcMySQLSemiSync},
	{ID: RowSyncFlushReplicas, Engines: "postgres", Config: `replication { mode = "sync", ack = "flush" }` + " (synchronous_commit = on, the default) or ack = \"receive\" (remote_write)",
		Why:    "the standby has flushed the write to disk, not applied it, when the primary acknowledges: a read on it can miss the write",
		Source: srcPGSyncCommit},
	{ID: RowSyncApplyReplicas, Engines: "postgres", Config: `replication { mode = "sync", ack = "apply" }` + " (synchronous_commit = remote_apply)",
		Provides: ryw, Why: "the primary acknowledges a write once every synchronous standby has applied it, so it is visible to queries there: a later read on a replica sees it (a read concurrent with the write may not)",
		Source: srcPGSyncCommit},
	{ID: RowOneReplica, Engines: "any primary with replicas", Config: `replication { replicas = 1, read_from = "replicas" }`,
		Provides: mr, Why: "every read goes to the one replica, whose state only moves forward: reads are monotonic",
		Source: srcDDIA5Lag + ", \"Monotonic Reads\": each user reads from the same replica"},
	{ID: RowStickyReplica, Engines: "any primary with replicas", Config: `call { session = "sticky_replica" }` + " on the hop that reads the replicas",
		Provides: mr, Why: "the hop keeps each session on one replica, which applies writes in order: its reads are monotonic (stickiness on another hop pins another tier, not the replica)",
		Source: srcDDIA5Lag + ", \"Monotonic Reads\""},
	{ID: RowCausalToken, Engines: "postgres (pg_last_wal_replay_lsn), mysql (WAIT_FOR_EXECUTED_GTID_SET), ...", Config: `call { session = "causal_token" }` + " on the hop that reads the replicas",
		Provides: rywMR, Why: "the client carries the position of its last write or read and a replica answers only once it has applied that position",
		Source: srcDDIA5Lag + ", \"Reading Your Own Writes\": the client remembers the timestamp of its most recent write; Terry et al., \"Session Guarantees for Weakly Consistent Replicated Data\" (PDIS 1994)"},
	{ID: RowPrimaryAfterWrite, Engines: "any primary with replicas", Config: `call { session = "primary_after_write", session_window = W }` + " with replication.max_lag ≤ W",
		Provides: ryw, Why: "after a write, the session reads from the primary for W, longer than any replica may lag",
		Source: srcDDIA5Lag + ", \"Reading Your Own Writes\": read from the leader for a time after the last update, monitoring replication lag"},
	{ID: RowMaxLag, Engines: "any primary with replicas", Config: `replication.max_lag = L` + " (a proxy stops routing to a replica that lags more)",
		Bounded: true, Why: "replicas that lag more than the bound stop serving reads",
		Source: "ProxySQL documentation, mysql_servers.max_replication_lag; Pgpool-II documentation, delay_threshold"},

	// Quorum stores.
	{ID: RowQuorumLWW, Engines: "cassandra, scylladb, any quorum store", Config: "quorum { r + w > n } with conflict = \"lww\" (the default of leaderless engines), read_repair = \"none\"",
		Provides: ryw, Loses: true, Why: "read and write quorums overlap, so a read sees a completed write, but concurrent writes are ordered by client timestamps and the loser is silently dropped: not linearizable",
		Source: srcJepsenCass + "; " + "Kleppmann, Designing Data-Intensive Applications, ch. 9, \"Linearizability and quorums\""},
	{ID: RowQuorumLWWRepair, Engines: "cassandra, scylladb", Config: "quorum { r + w > n, read_repair = \"blocking\" } (Cassandra's default)",
		Provides: rywMR, Loses: true, Why: "blocking read repair writes the newest value back to the read quorum before answering, so two successive quorum reads never go back in time; concurrent writes are still last-write-wins",
		Source: srcCassRepair + "; " + srcJepsenCass},
	{ID: RowQuorumSiblings, Engines: "riak (allow_mult), any store keeping siblings", Config: "quorum { r + w > n, conflict = \"siblings\" }",
		Provides: ryw, Why: "overlapping quorums see a completed write; concurrent writes are kept as siblings for the client to merge, not linearized",
		Source: "Riak KV documentation, \"Conflict Resolution\" (siblings, allow_mult); DeCandia et al., \"Dynamo\" (SOSP 2007), §4.4 data versioning"},
	{ID: RowQuorumSloppy, Engines: "riak, dynamo-style stores", Config: "quorum { sloppy = true } (hinted handoff counted toward w)",
		Why:    "a sloppy quorum accepts writes on stand-ins outside the key's n members, so a read quorum of those n can miss every copy of the write until hinted handoff delivers it",
		Source: "Kleppmann, Designing Data-Intensive Applications, ch. 5, \"Sloppy Quorums and Hinted Handoff\"; DeCandia et al., \"Dynamo\" (SOSP 2007), §4.6"},
	{ID: RowQuorumWeak, Engines: "any quorum store", Config: "quorum { r + w ≤ n }",
		Why:    "a read quorum can miss every member that has the latest write",
		Source: "Bailis et al., \"Probabilistically Bounded Staleness for Practical Partial Quorums\" (VLDB 2012)"},
	{ID: RowQuorumLocal, Engines: "cassandra, scylladb", Config: "read_level / write_level = \"local_quorum\" (or local_one) with quorum.datacenters",
		Loses: true, Why: "the quorums overlap only inside one datacenter: a read in the writer's datacenter sees the write; a read in another datacenter may miss it until cross-datacenter replication delivers it (replica choice is not uniform, so the n-wide PBS formula does not apply)",
		Source: "Apache Cassandra documentation, \"Dynamo: Tunable Consistency\" (LOCAL_QUORUM, EACH_QUORUM); DataStax, \"How is the consistency level configured?\""},
	{ID: RowCassandraSerial, Engines: "cassandra, scylladb", Config: "read_level = \"serial\" (or local_serial) with lightweight transactions (IF ...) for writes",
		Provides: lin, Why: "lightweight transactions run Paxos per partition; SERIAL reads take part in it",
		Source: "Apache Cassandra documentation, \"Lightweight transactions\" and SERIAL consistency; " + srcJepsenCass},
	{ID: RowLeaderlessDefault, Engines: "cassandra, scylladb, dynamodb, couchdb, riak", Config: "no quorum block, default levels (ONE / LOCAL_ONE; DynamoDB eventually consistent reads)",
		Why:    "a read and a write each go to one replica at the default level, and replicas converge later",
		Source: "Apache Cassandra documentation, \"Tunable Consistency\"; Amazon DynamoDB Developer Guide, \"Read consistency\" (eventually consistent by default)"},
	{ID: RowDynamoStrong, Engines: "dynamodb", Config: "read_level = \"strong\" (ConsistentRead = true), in the table's own region",
		Provides: lin, Why: "a strongly consistent read returns a result that reflects every write that succeeded before it",
		Source: "Amazon DynamoDB Developer Guide, \"Read consistency\": strongly consistent reads"},

	// Consensus stores.
	{ID: RowEtcd, Engines: "etcd", Config: "default (linearizable) reads", Provides: lin,
		Why:    "etcd replicates by Raft and serves default reads through the leader after a quorum round (serializable reads are an opt-out)",
		Source: "etcd documentation, \"KV API guarantees\" (linearizable reads by default); Jepsen, \"etcd 3.4.3\" (2020)"},
	{ID: RowConsul, Engines: "consul", Config: "default consistency mode", Provides: lin,
		Why:    "Consul's KV replicates by Raft; its default mode serves reads from a leader lease (the consistent mode adds a quorum check, the stale mode lets any server answer)",
		Source: "Consul documentation, \"Consistency Modes\"; Jepsen, \"Consul\" (2014) found stale reads in the default mode of the time"},
	{ID: RowZooKeeper, Engines: "zookeeper", Config: "reads without sync()", Provides: []lang.Consistency{lang.Sequential},
		Why:    "ZooKeeper writes through its leader by majority, but a member answers reads from its own state, which may lag the leader: reads are sequential, not linearizable (unless the client calls sync() first)",
		Source: "ZooKeeper Programmer's Guide, \"Consistency Guarantees\""},
	{ID: RowCockroach, Engines: "cockroachdb", Config: "default reads", Provides: lin,
		Why:    "reads are served by the range's leaseholder under Raft: single-key reads are linearizable (transactions are serializable, not strict serializable)",
		Source: "CockroachDB documentation, \"Architecture: Transaction Layer\"; Jepsen, \"CockroachDB beta-20160829\" (2017)"},
	{ID: RowSpanner, Engines: "spanner", Config: "strong reads", Provides: lin,
		Why:    "strong reads see every transaction committed before they start (external consistency through TrueTime)",
		Source: "Google Cloud Spanner documentation, \"TrueTime and external consistency\""},
	{ID: RowYugabyte, Engines: "yugabytedb", Config: "default reads from the tablet leader", Provides: lin,
		Why:    "reads go to the Raft leader of the tablet, which holds a leader lease",
		Source: "YugabyteDB documentation, \"DocDB replication layer\"; Jepsen, \"YugaByte DB 1.3.1\" (2019)"},
	{ID: RowTiDB, Engines: "tidb", Config: "default reads from the region leader", Provides: lin,
		Why:    "TiKV serves reads from the Raft leader of the region",
		Source: "TiDB documentation, \"TiKV overview: Raft\"; Jepsen, \"TiDB 2.1.7\" (2019)"},
	{ID: RowFoundationDB, Engines: "foundationdb", Config: "default transactions", Provides: lin,
		Why:    "transactions are strictly serializable",
		Source: "FoundationDB documentation, \"Consistency\" (strict serializability)"},
	{ID: RowFollowerRead, Engines: "cockroachdb, tidb, spanner", Config: "read_level = \"follower\" (follower_read_timestamp(), stale reads)",
		Bounded: true, Why: "a follower answers at a timestamp a few seconds in the past (CockroachDB: about 4.8 s), so reads are consistent but stale by that bound",
		Source: "CockroachDB documentation, \"Follower Reads\" (follower_read_timestamp()); TiDB documentation, \"Follower Read\""},

	// MongoDB.
	{ID: RowMongoPrimary, Engines: "mongodb", Config: "reads from the primary with readConcern local (the default), available or majority; any write concern",
		Why:    "a primary deposed by a partition keeps answering until it notices, so a read can miss a write the new primary acknowledged; with w: 1, an acknowledged write can be rolled back",
		Source: srcMongoRC},
	{ID: RowMongoLinearizable, Engines: "mongodb", Config: "read_level = \"linearizable\" with write_level = \"majority\", from the primary",
		Provides: lin, Why: "readConcern linearizable confirms with a majority that the primary is still primary before it answers",
		Source: "MongoDB manual, \"Read Concern \\\"linearizable\\\"\"; Jepsen, \"MongoDB 3.4.1\" (Kingsbury, 2017): linearizable reads pass"},
	{ID: RowMongoCausal, Engines: "mongodb", Config: "call { session = \"causal_token\" } (a causally consistent session) with read_level and write_level = \"majority\"",
		Provides: causal, Why: "a causally consistent session with majority read and write concerns gives read-your-writes, monotonic reads, monotonic writes and writes-follow-reads, on any member",
		Source: "MongoDB manual, \"Causal Consistency and Read and Write Concerns\""},
	{ID: RowMongoSecondary, Engines: "mongodb", Config: "replication.read_from = \"replicas\" (readPreference secondary)",
		Why:    "secondaries apply the oplog after a lag",
		Source: "MongoDB manual, \"Read Preference\" and \"Replica Set Data Synchronization\""},

	// Caches, CDNs, search.
	{ID: RowCacheTTL, Engines: "cache (any engine), cache_aside or read_through", Config: "ttl, no invalidation",
		Bounded: true, Why: "the cache is refreshed only when its ttl expires: a read can return a value up to the ttl old",
		Source: "Nishtala et al., \"Scaling Memcache at Facebook\" (NSDI 2013), §3.2"},
	{ID: RowCacheExplicit, Engines: "cache, cache_aside", Config: `invalidation = "explicit"` + " (delete on write)",
		Bounded: true, Why: "explicit invalidation deletes the key on write, but a read that missed before the write can put the old value back afterwards (the cache-aside fill race); it stays until the ttl expires",
		Source: "Nishtala et al., \"Scaling Memcache at Facebook\" (NSDI 2013), §3.2.1 \"Reducing Load: Leases\" (stale sets)"},
	{ID: RowCacheCoherent, Engines: "cache", Config: `invalidation = "lease"` + " or \"versioned\"",
		Provides: ryw, Why: "the invalidation drops the cached value on write and refuses fills older than it",
		Source: "Nishtala et al., \"Scaling Memcache at Facebook\" (NSDI 2013), §3.2.1 leases"},
	{ID: RowCacheWriteThrough, Engines: "cache", Config: `strategy = "write_through"` + " or \"write_back\", with every write to the origin going through the cache",
		Provides: ryw, Why: "the cache is updated by the writes that go through it",
		Source: "AWS whitepaper, \"Database Caching Strategies Using Redis\", \"Write-through\""},
	{ID: RowCacheBypassed, Engines: "cache", Config: `strategy = "write_through"` + " while some component writes the origin directly",
		Bounded: true, Why: "writes that go to the origin directly never reach the cache, which serves the old value until its ttl expires",
		Source: "AWS whitepaper, \"Database Caching Strategies Using Redis\", \"Write-through\" (the cache is current only for writes made through it)"},
	{ID: RowCDN, Engines: "cdn", Config: "ttl", Bounded: true,
		Why:    "a CDN serves its copy until the ttl expires",
		Source: "RFC 9111, HTTP Caching, §4.2 \"Freshness\""},
	{ID: RowSearchRefresh, Engines: "elasticsearch, opensearch", Config: "refresh_interval 1 s (the default), no partition",
		Bounded: true, Why: "a near-real-time index shows a write only after its next refresh (refresh_interval, 1 s by default); in a partition the minority side keeps serving reads, so the bound holds only while the cluster is connected",
		Source: "Elasticsearch reference, \"Near real-time search\"; Jepsen, \"Elasticsearch 1.1.0\" (Kingsbury, 2014)"},

	// Multi-region.
	{ID: RowMultiRegionLWW, Engines: "any store", Config: `multi_region { mode = "active_active", conflict = "lww" }`,
		Loses: true, Why: "concurrent writes in two regions are ordered by timestamp and the older one is silently lost",
		Source: "Kleppmann, Designing Data-Intensive Applications, ch. 5, \"Converging toward a consistent state\" (last write wins)"},
	{ID: RowMultiRegionNone, Engines: "any store", Config: `multi_region { mode = "active_active", conflict = "none" }`,
		Loses: true, Why: "concurrent writes in two regions leave the regions diverged",
		Source: "Kleppmann, Designing Data-Intensive Applications, ch. 5, \"Handling Write Conflicts\""},
	{ID: RowMultiRegionCRDT, Engines: "any store with CRDTs", Config: `multi_region { conflict = "crdt", crdt = "pn_counter" | "or_set" | ... }`,
		Provides: ryw, Why: "replicas merge concurrent updates without losing any, and a client that stays in one region reads its own writes; across regions, eventual",
		Source: "Shapiro et al., \"Conflict-free Replicated Data Types\" (SSS 2011)"},
	{ID: RowMultiRegionRegister, Engines: "any store with CRDTs", Config: `multi_region { conflict = "crdt", crdt = "lww_register" }`,
		Loses: true, Why: "a last-writer-wins register is a CRDT that converges by keeping one of two concurrent writes: the other is lost",
		Source: "Shapiro et al., \"A comprehensive study of Convergent and Commutative Replicated Data Types\" (INRIA RR-7506, 2011), §3.2.1 LWW-Register"},

	// Durability of acknowledged writes.
	{ID: RowSemiSyncFallback, Engines: "mysql, mariadb", Config: `replication { mode = "semi_sync" }` + " (fallback = \"async\" after fallback_timeout, 10 s by default)",
		Loses: true, Why: "when no replica acknowledges within rpl_semi_sync_source_timeout the source reverts to asynchronous replication and keeps acknowledging writes no replica has",
		Source: srcMySQLSemiSync},
	{ID: RowSyncNoFallback, Engines: "postgres", Config: `replication { mode = "sync" }` + " (fallback = \"none\")",
		Why:    "with no synchronous standby available, commits wait: no write is acknowledged that only the primary has",
		Source: srcPGSyncCommit},
	{ID: RowKafkaDurable, Engines: "kafka", Config: "acks = \"all\", min_insync_replicas ≥ 2, replication_factor > min_insync_replicas, unclean_leader_election = false",
		Why:    "an acknowledged message is on at least min.insync.replicas brokers, and only an in-sync replica can become leader",
		Source: srcKafkaRepl},
	{ID: RowKafkaAcks, Engines: "kafka", Config: "acks = \"1\" or \"0\" (acks not written: assumed 1, the producer default before Kafka 3.0)",
		Loses: true, Why: "the leader acknowledges before any follower has the message: a leader failure loses it",
		Source: srcKafkaRepl + "; Kafka producer configuration, acks"},
	{ID: RowKafkaISR, Engines: "kafka", Config: "acks = \"all\" with min_insync_replicas = 1 (the broker default) or replication_factor ≤ min_insync_replicas",
		Loses: true, Why: "acks = all waits only for the current in-sync replicas, which can shrink to the leader alone: a leader failure then loses acknowledged messages",
		Source: srcKafkaRepl},
	{ID: RowKafkaUnclean, Engines: "kafka", Config: "unclean_leader_election = true",
		Loses: true, Why: "a replica that is not in sync may become leader and truncate messages the old leader acknowledged",
		Source: srcKafkaRepl},
	{ID: RowKafkaEOS, Engines: "kafka", Config: `delivery = "exactly_once"` + " (transactions, read_committed consumers)",
		Why:    "exactly-once covers reading from Kafka, processing and writing back to Kafka in one transaction; a side effect outside Kafka (a database, an HTTP call) is not in the transaction and repeats when a message is processed again",
		Source: "Apache Kafka documentation, §4.6 \"Message Delivery Semantics\" (writing to an external system needs the consumer's position stored with its output)"},
}

// tableIndex maps row IDs to rows.
var tableIndex = func() map[RowID]*Row {
	m := make(map[RowID]*Row, len(EngineTable))
	for i := range EngineTable {
		m[EngineTable[i].ID] = &EngineTable[i]
	}
	return m
}()

// TableRow returns the row with that ID, or nil.
func TableRow(id RowID) *Row { return tableIndex[id] }

// row returns the row the code names; the IDs are constants that
// TestEngineTable checks, so a missing row is archform's bug, and the
// caller gets an empty row rather than a panic.
func row(id RowID) *Row {
	if r := tableIndex[id]; r != nil {
		return r
	}
	return &Row{ID: id, Why: "(no row " + string(id) + " in the engine table)"}
}

// ProvidesText prints the row's levels: "read_your_writes + monotonic_reads",
// "bounded_staleness", or "eventual".
func (r *Row) ProvidesText() string {
	var parts []string
	for _, l := range r.Provides {
		parts = append(parts, string(l))
	}
	if r.Bounded {
		parts = append(parts, string(lang.BoundedStaleness))
	}
	if len(parts) == 0 {
		return string(lang.Eventual)
	}
	return strings.Join(parts, " + ")
}

// EngineTableMarkdown renders the table as docs/consistency.md prints it.
func EngineTableMarkdown() string {
	var b strings.Builder
	b.WriteString("| row | engines | configuration | provides | loses writes | why | source |\n")
	b.WriteString("|---|---|---|---|---|---|---|\n")
	esc := func(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
	for _, r := range EngineTable {
		loses := ""
		if r.Loses {
			loses = "yes"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %s | %s |\n", r.ID, esc(r.Engines), esc(r.Config), r.ProvidesText(), loses, esc(r.Why), esc(r.Source))
	}
	return b.String()
}
