package emit

import (
	"slices"
	"strconv"
	"testing"
)

// TestConsistencySettingsWritten: emit writes the replication settings the
// consistency analysis assumes where the image takes them, as arguments its
// entrypoint hands to the server (a first argument starting with "-" runs
// the server with them: docker-library/postgres and docker-library/mysql
// docker-entrypoint.sh, MariaDB/mariadb-docker), and a finding names what
// it does not write.
func TestConsistencySettingsWritten(t *testing.T) {
	for _, c := range []struct {
		name, db      string
		wantArgs      []string
		wantFinding   string
		noArgsWritten bool
	}{
		{"postgres sync apply", `engine = "postgres"
  replication {
    mode     = "sync"
    replicas = 1
    ack      = "apply"
  }`, []string{"-c", "synchronous_commit=remote_apply"}, "synchronous_standby_names is not written", false},
		{"postgres sync receive", `engine = "postgres"
  replication {
    mode     = "sync"
    replicas = 1
    ack      = "receive"
  }`, []string{"-c", "synchronous_commit=remote_write"}, "synchronous_standby_names is not written", false},
		{"postgres sync, own command", `engine  = "postgres"
  command = ["/usr/local/bin/start.sh"]
  replication {
    mode     = "sync"
    replicas = 1
  }`, []string{"/usr/local/bin/start.sh"}, "synchronous_commit=on is not written: the design's command", false},
		{"mysql semi-sync", `engine = "mysql"
  replication {
    mode             = "semi_sync"
    replicas         = 1
    fallback_timeout = "2s"
  }`, []string{"--plugin-load-add=semisync_source.so", "--rpl-semi-sync-source-enabled=ON", "--rpl-semi-sync-source-timeout=2000"}, "the primary falls back to async after 2s", false},
		{"mysql semi-sync without fallback", `engine = "mysql"
  replication {
    mode     = "semi_sync"
    replicas = 1
    fallback = "none"
  }`, nil, "semi-sync without fallback is not written", true},
		{"mariadb semi-sync", `engine = "mariadb"
  replication {
    mode     = "semi_sync"
    replicas = 1
  }`, []string{"--rpl-semi-sync-master-enabled=ON", "--rpl-semi-sync-master-timeout=10000"}, "the primary falls back to async after 10s", false},
		{"redis wait", `engine = "redis"
  replication {
    mode     = "sync"
    replicas = 1
  }`, nil, "min-replicas-to-write is not written", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := "system \"s\" {}\ndatabase \"db\" {\n  " + c.db + "\n}\n"
			p, r := composeProject(t, src)
			got := []string(p.Services["db"].Command)
			if c.noArgsWritten {
				if len(got) > 0 {
					t.Errorf("compose command %q, want none", got)
				}
			} else if !slices.Equal(got, c.wantArgs) {
				t.Errorf("compose command %q, want %q", got, c.wantArgs)
			}
			if len(got) > 0 && !c.noArgsWritten && c.wantArgs[0][0] == '-' && got[0][0] != '-' {
				t.Errorf("the image's entrypoint runs the server with the arguments only when the first starts with -: %q", got)
			}
			if findingWith(r.Findings, "database.db", c.wantFinding) == nil {
				t.Errorf("no compose finding says %q: %v", c.wantFinding, r.Findings)
			}
			k, err := Kubernetes(loadSrc(t, src), Options{})
			if err != nil {
				t.Fatal(err)
			}
			ctr := workloads(t, k.Files)["db"].Containers[0]
			if !c.noArgsWritten && !slices.Equal(ctr.Args, c.wantArgs) {
				t.Errorf("kubernetes args %q, want %q", ctr.Args, c.wantArgs)
			}
			if findingWith(k.Findings, "database.db", c.wantFinding) == nil {
				t.Errorf("no kubernetes finding says %q", c.wantFinding)
			}
		})
	}
}

// TestKafkaDurabilityWritten: a Kafka cluster archform configures gets the
// brokers' durability settings (KAFKA_* variables the apache/kafka image
// renders into server.properties); one broker keeps the image's own
// configuration and a finding; acks, the producers' setting, is a finding.
func TestKafkaDurabilityWritten(t *testing.T) {
	src := func(replicas int) string {
		return `
system "s" {}
service "api" {
  image = "example/api:1"
  ports = [8080]
  call {
    to   = queue.events
    mode = "async"
  }
}
queue "events" {
  engine                  = "kafka"
  replicas                = ` + strconv.Itoa(replicas) + `
  acks                    = "all"
  min_insync_replicas     = 2
  replication_factor      = 3
  unclean_leader_election = false
}
`
	}
	p, r := composeProject(t, src(3))
	for _, name := range []string{"events-0", "events-1", "events-2"} {
		env := p.Services[name].Environment
		for k, want := range map[string]string{"KAFKA_MIN_INSYNC_REPLICAS": "2", "KAFKA_DEFAULT_REPLICATION_FACTOR": "3", "KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE": "false"} {
			if v := env[k]; v == nil || *v != want {
				t.Errorf("%s: %s = %v, want %s", name, k, v, want)
			}
		}
	}
	if findingWith(r.Findings, "queue.events", `acks = "all" is the producers' setting`) == nil || findingWith(r.Findings, "queue.events", "service.api") == nil {
		t.Errorf("no finding names acks and its producer: %v", r.Findings)
	}
	p, r = composeProject(t, src(1))
	if _, ok := p.Services["events"].Environment["KAFKA_MIN_INSYNC_REPLICAS"]; ok {
		t.Errorf("one broker got KAFKA_MIN_INSYNC_REPLICAS: any KAFKA_* variable replaces the image's own configuration")
	}
	if findingWith(r.Findings, "queue.events", "KAFKA_DEFAULT_REPLICATION_FACTOR, KAFKA_MIN_INSYNC_REPLICAS, KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE not written") == nil {
		t.Errorf("no finding says what one broker does not get: %v", r.Findings)
	}
}
