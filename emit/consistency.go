package emit

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/archform/archform/lang"
)

// The replication and durability settings the consistency analysis assumes
// (analyze's engine table) are written where the deployed image takes them,
// and every one that is not written is a finding naming it. Sources, by the
// image's files:
//
//   - postgres: docker-library/postgres docker-entrypoint.sh runs
//     `postgres "$@"` when the first argument starts with "-", so
//     `-c synchronous_commit=VALUE` reaches the server;
//   - mysql: docker-library/mysql docker-entrypoint.sh does the same for
//     mysqld; the semi-sync source plugin of MySQL 8.4 is semisync_source.so
//     with rpl_semi_sync_source_enabled and rpl_semi_sync_source_timeout (ms);
//   - mariadb: MariaDB/mariadb-docker docker-entrypoint.sh does the same for
//     mariadbd; semi-sync is built in (rpl_semi_sync_master_enabled,
//     rpl_semi_sync_master_timeout in ms);
//   - kafka: apache/kafka docker/resources/common-scripts (configure and
//     kafka-propertiesSpec.json) render every KAFKA_* variable into
//     server.properties (KAFKA_MIN_INSYNC_REPLICAS → min.insync.replicas);
//     once one is set, no default file is used, so they are written only for
//     the clusters archform configures in full.

// consistencyConfig writes the unit's replication and durability settings
// (command arguments, environment) and reports what it cannot write.
func (p *plan) consistencyConfig(u *unit, n *notes) {
	c := u.c
	if u.Engine == nil {
		return
	}
	switch u.Engine.Name {
	case "postgres":
		p.postgresSync(u, n)
	case "mysql", "mariadb":
		p.mysqlSemiSync(u, n)
	case "redis", "valkey":
		if c.Kind == lang.KindDatabase && c.Replication.Mode == "sync" {
			n.warn(c, "replication.mode", "%s: WAIT (mode = \"sync\") is sent by the clients after each write; min-replicas-to-write is not written: "+
				"its replicas are not deployed, and with none %s refuses every write", c.Addr, u.Engine.Name)
		}
	case "kafka":
		p.kafkaDurability(u, n)
	}
}

// args appends server arguments to the unit's command where the image
// takes them (no command, or one of the server's own flags); it reports
// false when the design's command is something else.
func (u *unit) args(server string, extra ...string) bool {
	switch {
	case len(u.Command) == 0:
		u.Command = extra
	case strings.HasPrefix(u.Command[0], "-") || u.Command[0] == server:
		u.Command = append(append([]string(nil), u.Command...), extra...)
	default:
		return false
	}
	return true
}

// postgresSync writes synchronous_commit for mode = "sync": on (ack =
// "flush"), remote_write ("receive") or remote_apply ("apply").
func (p *plan) postgresSync(u *unit, n *notes) {
	c := u.c
	r := c.Replication
	switch r.Mode {
	case "semi_sync":
		n.warn(c, "replication.mode", "postgres has no semi-synchronous replication: nothing is written for %s's mode = \"semi_sync\"; use mode = \"sync\" with the ack it needs", c.Addr)
		return
	case "sync":
	default:
		return
	}
	value := map[string]string{"receive": "remote_write", "apply": "remote_apply"}[r.Ack]
	if value == "" {
		value = "on"
	}
	setting := "synchronous_commit=" + value
	if !u.args("postgres", "-c", setting) {
		n.warn(c, "command", "%s: %s is not written: the design's command (%s) replaces the server's arguments; add -c %s to it",
			c.Addr, setting, strings.Join(u.Command, " "), setting)
	}
	n.warn(c, "replication.mode", "%s: synchronous_standby_names is not written: the %d standby(s) it would name are not deployed, and naming them would make every commit wait",
		c.Addr, r.Replicas)
	n.explain("synchronous_commit = %s is written, as the analysis assumes. Run the standbys with an operator (CloudNativePG: spec.postgresql.synchronous) that sets synchronous_standby_names = 'ANY 1 (...)'.", value)
}

// mysqlSemiSync writes semi-synchronous replication for mode = "semi_sync"
// with fallback = "async" after fallback_timeout.
func (p *plan) mysqlSemiSync(u *unit, n *notes) {
	c := u.c
	r := c.Replication
	switch r.Mode {
	case "sync":
		n.warn(c, "replication.mode", "%s has no synchronous replication of a primary's writes (Group Replication is not emitted): nothing is written for %s's mode = \"sync\"",
			u.Engine.Name, c.Addr)
		return
	case "semi_sync":
	default:
		return
	}
	if r.Fallback == "none" {
		n.warn(c, "replication.fallback", "%s: semi-sync without fallback is not written: its replicas are not deployed, and with none every commit would wait forever", c.Addr)
		return
	}
	timeout := r.FallbackTimeout
	if timeout == 0 {
		timeout = 10 * time.Second
	}
	ms := fmt.Sprint(timeout.Milliseconds())
	server, flags := "mysqld", []string{"--plugin-load-add=semisync_source.so", "--rpl-semi-sync-source-enabled=ON", "--rpl-semi-sync-source-timeout=" + ms}
	if u.Engine.Name == "mariadb" {
		server, flags = "mariadbd", []string{"--rpl-semi-sync-master-enabled=ON", "--rpl-semi-sync-master-timeout=" + ms}
	}
	if !u.args(server, flags...) {
		n.warn(c, "command", "%s: semi-sync (%s) is not written: the design's command replaces the server's arguments", c.Addr, strings.Join(flags, " "))
		return
	}
	n.warn(c, "replication.mode", "%s: the replicas' side of semi-sync (rpl_semi_sync_replica_enabled) is not written: its replicas are not deployed; the primary falls back to async after %s without them",
		c.Addr, timeout)
}

// kafkaDurability writes the brokers' durability settings for a cluster
// archform configures (min.insync.replicas, default.replication.factor,
// unclean.leader.election.enable), and reports acks, a producer setting.
func (p *plan) kafkaDurability(u *unit, n *notes) {
	c := u.c
	env := map[string]string{}
	if c.Has("min_insync_replicas") {
		env["KAFKA_MIN_INSYNC_REPLICAS"] = fmt.Sprint(c.MinInsyncReplicas)
	}
	if c.Has("replication_factor") {
		env["KAFKA_DEFAULT_REPLICATION_FACTOR"] = fmt.Sprint(c.ReplicationFactor)
	}
	if c.Has("unclean_leader_election") {
		env["KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE"] = fmt.Sprint(c.UncleanLeaderElection)
	}
	if len(env) > 0 {
		names := make([]string, 0, len(env))
		for k := range env {
			names = append(names, k)
		}
		sort.Strings(names)
		switch {
		case u.Members == 0:
			n.warn(c, "replication_factor", "%s: %s not written: it runs one broker with the image's own configuration, which any KAFKA_* variable would replace",
				c.Addr, strings.Join(names, ", "))
		default:
			for k, v := range env {
				if _, set := c.Env[k]; !set {
					u.Env[k] = v
				}
			}
			if c.ReplicationFactor > u.Members {
				n.warn(c, "replication_factor", "%s: replication_factor = %d on %d brokers: topics cannot be created with that many copies",
					c.Addr, c.ReplicationFactor, u.Members)
			}
		}
	}
	if c.Acks != "" {
		var producers []string
		for _, call := range p.d.Incoming(c) {
			producers = append(producers, call.From.Addr)
		}
		sort.Strings(producers)
		n.info(c, "acks", "%s: acks = %q is the producers' setting, not the broker's: not written; set acks=%s in the Kafka clients of %s",
			c.Addr, c.Acks, c.Acks, strings.Join(producers, ", "))
	}
}
