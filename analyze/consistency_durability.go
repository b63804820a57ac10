package analyze

// Durability of acknowledged writes, from the engine table: the ways a
// database or a queue can lose a write it acknowledged, which the
// durability rule holds against a flow's rpo.

import (
	"fmt"

	"github.com/archform/archform/lang"
)

// WriteLoss is one way a store can lose writes it acknowledged.
type WriteLoss struct {
	Row *Row
	// Attr is the attribute that causes it, for a finding's range.
	Attr string
	// Setup names the configuration in a few words.
	Setup string
	// Reason says how the write is lost, with the design's figures.
	Reason string
	// Fixes are the changes that close it, smallest first.
	Fixes []string
}

// DatabaseWriteLosses lists how a database's failover can lose
// acknowledged writes: async replication with automatic failover, semi-sync
// that falls back to async, Redis WAIT with Sentinel. It returns nil when
// every acknowledged write is on a replica that a failover can promote (sync
// that waits rather than falls back), with the row that says so.
func DatabaseWriteLosses(c *lang.Component) ([]WriteLoss, *Row) {
	rep := c.Replication
	if rep.Replicas == 0 || rep.Failover != "automatic" {
		return nil, nil
	}
	switch {
	case c.Engine == "redis":
		return []WriteLoss{{Row: row(RowRedisFailover), Attr: "replication.failover", Setup: "replicates with Redis replication (WAIT or not)",
			Reason: row(RowRedisFailover).Why,
			Fixes:  []string{`a store that replicates by consensus (engine = "etcd", or fencing = true on the lock and its resource)`, `replication.failover = "manual"`}}}, nil
	case rep.Mode == "async":
		return []WriteLoss{{Row: row(RowPrimaryFailover), Attr: "replication.mode", Setup: "replicates async",
			Reason: row(RowPrimaryFailover).Why,
			Fixes:  []string{`replication { mode = "semi_sync", fallback = "none" }`, `replication.mode = "sync"`}}}, nil
	case rep.Mode == "semi_sync" && Fallback(c) == "async":
		attr := "replication.mode"
		if c.Has("replication.fallback") {
			attr = "replication.fallback"
		}
		return []WriteLoss{{Row: row(RowSemiSyncFallback), Attr: attr, Setup: fmt.Sprintf("replicates semi-sync, falling back to async after %s,", lang.FormatDuration(FallbackTimeout(c))),
			Reason: fmt.Sprintf("after fallback_timeout = %s without a replica's acknowledgement, the primary reverts to async replication and keeps acknowledging writes that no replica has; a failover then promotes a replica without them",
				lang.FormatDuration(FallbackTimeout(c))),
			Fixes: []string{`replication.fallback = "none"` + " (rpl_semi_sync_source_timeout large enough never to fall back)", `replication.failover = "manual"`}}}, nil
	case rep.Mode == "sync" && Fallback(c) == "none":
		return nil, row(RowSyncNoFallback)
	}
	return nil, nil
}

// QueueWriteLosses lists how a Kafka queue can lose messages it
// acknowledged: acks below all, min.insync.replicas of 1 (or a replication
// factor that leaves no room above it), unclean leader election. It returns
// nil and the durable row when none applies, nil and nil for engines the
// table does not cover.
func QueueWriteLosses(q *lang.Component) ([]WriteLoss, *Row) {
	if q.Engine != "kafka" {
		return nil, nil
	}
	var out []WriteLoss
	acks, why := q.Acks, "acks"
	if acks == "" {
		acks, why = "1", "acks not written: assumed 1, the producer default before Kafka 3.0"
	} else {
		why = fmt.Sprintf("acks = %q", acks)
	}
	minISR := max(q.MinInsyncReplicas, 1)
	rf := max(q.ReplicationFactor, 1)
	if acks != "all" {
		out = append(out, WriteLoss{Row: row(RowKafkaAcks), Attr: "acks", Setup: why,
			Reason: fmt.Sprintf("%s: %s", why, row(RowKafkaAcks).Why), Fixes: []string{`acks = "all"`}})
	}
	if acks == "all" && (minISR < 2 || rf <= minISR) {
		attr := "min_insync_replicas"
		reason := fmt.Sprintf("min_insync_replicas = %d with replication_factor = %d: %s", minISR, rf, row(RowKafkaISR).Why)
		if minISR >= 2 {
			attr = "replication_factor"
			reason = fmt.Sprintf("replication_factor = %d ≤ min_insync_replicas = %d: one broker down and no write can be acknowledged, so operators lower min.insync.replicas, and %s", rf, minISR, row(RowKafkaISR).Why)
		}
		out = append(out, WriteLoss{Row: row(RowKafkaISR), Attr: attr, Setup: fmt.Sprintf("min.insync.replicas %d of %d", minISR, rf),
			Reason: reason, Fixes: []string{"min_insync_replicas = 2 with replication_factor = 3"}})
	}
	if q.UncleanLeaderElection {
		out = append(out, WriteLoss{Row: row(RowKafkaUnclean), Attr: "unclean_leader_election", Setup: "unclean leader election",
			Reason: row(RowKafkaUnclean).Why, Fixes: []string{"unclean_leader_election = false"}})
	}
	if len(out) == 0 {
		return nil, row(RowKafkaDurable)
	}
	return out, nil
}

// ExactlyOnceCovers reports whether a queue's delivery = "exactly_once"
// covers a consumer's side effect on target: Kafka's exactly-once covers
// writes back to Kafka only (engine-table row kafka-exactly-once).
func ExactlyOnceCovers(q, target *lang.Component) (bool, *Row) {
	r := row(RowKafkaEOS)
	if q.Engine != "kafka" {
		return false, r
	}
	return target.Kind == lang.KindQueue && target.Engine == "kafka", r
}
