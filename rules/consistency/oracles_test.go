package consistency_test

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/rules/cacheinvalidation"
	"github.com/archform/archform/rules/capconflict"
	"github.com/archform/archform/rules/consistency"
	"github.com/archform/archform/rules/durability"
	"github.com/archform/archform/rules/idempotency"
	"github.com/archform/archform/rules/multiregion"
	"github.com/archform/archform/rules/quorum"
	"github.com/google/go-cmp/cmp"
)

// family is every rule of the consistency and CAP analysis.
var family = []*analyze.Analyzer{
	consistency.Analyzer, quorum.Analyzer, capconflict.Analyzer, durability.Analyzer,
	idempotency.Analyzer, cacheinvalidation.Analyzer, multiregion.Analyzer,
}

// oracleDesign is a client calling one store, with a flow over it: store is
// the store's block, flow the flow's attributes.
const oracleDesign = `
system "oracle" {}

client "web" {
  rps = 100
  call {
    to = %s
  }
}

%s

flow "f" {
  entry = client.web
%s
}
`

// writesWithRPO0 is a write flow that tolerates no data loss.
const writesWithRPO0 = `  op = "write"
  slo {
    rpo = "0s"
  }`

// TestConsistencyOracles runs the whole family on each case of ORACLES.md's
// "Consistency and CAP" table and asserts which rules fire, on what, and the
// figures they carry: one cause, one finding.
func TestConsistencyOracles(t *testing.T) {
	tests := []struct {
		name   string
		target string
		store  string
		flow   string
		want   []string // "rule subject"
		data   map[string]any
	}{
		{
			name: "read_your_writes from an async replica", target: "database.db",
			store: `database "db" {
  engine = "postgres"
  replication {
    mode      = "async"
    replicas  = 2
    read_from = "replicas"
  }
}`,
			flow: `  op = "read"
  consistency = "read_your_writes"`,
			want: []string{"consistency database.db"},
			data: map[string]any{"needed": "read_your_writes", "provided": "eventual"},
		},
		{
			// ORACLES.md: "with replication.mode = "sync" none". Issue 23
			// case 2: that holds only when the standby acknowledges on
			// apply (synchronous_commit = remote_apply).
			name: "read_your_writes from a sync replica acknowledged on apply", target: "database.db",
			store: `database "db" {
  engine = "postgres"
  replication {
    mode      = "sync"
    ack       = "apply"
    replicas  = 2
    read_from = "replicas"
  }
}`,
			flow: `  op = "read"
  consistency = "read_your_writes"`,
		},
		{
			name: "read_your_writes from a sync replica acknowledged on flush", target: "database.db",
			store: `database "db" {
  engine = "postgres"
  replication {
    mode      = "sync"
    replicas  = 2
    read_from = "replicas"
  }
}`,
			flow: `  op = "read"
  consistency = "read_your_writes"`,
			want: []string{"consistency database.db"},
			data: map[string]any{"needed": "read_your_writes", "provided": "eventual", "setup": "sync replicas, ack = flush"},
		},
		{
			// ORACLES.md: quorum 3/2/2, no finding (r + w > n): the
			// quorum rule is silent, and read_your_writes holds.
			name: "quorum 3/2/2 under read_your_writes", target: "database.kv",
			store: `database "kv" {
  engine = "cassandra"
  replication {
    mode = "quorum"
  }
  quorum {
    n = 3
    r = 2
    w = 2
  }
}`,
			flow: `  consistency = "read_your_writes"`,
		},
		{
			// Issue 23 case 1: overlap with last-write-wins is not
			// linearizable (Jepsen, Cassandra); the quorum rule stays
			// silent, the consistency rule reports it.
			name: "quorum 3/2/2 under linearizable", target: "database.kv",
			store: `database "kv" {
  engine = "cassandra"
  replication {
    mode = "quorum"
  }
  quorum {
    n = 3
    r = 2
    w = 2
  }
}`,
			flow: `  consistency = "linearizable"`,
			want: []string{"consistency database.kv"},
			data: map[string]any{"needed": "linearizable", "provided": "read_your_writes"},
		},
		{
			name: "quorum 3/1/1 under linearizable", target: "database.kv",
			store: `database "kv" {
  engine = "cassandra"
  replication {
    mode = "quorum"
  }
  quorum {
    n = 3
    r = 1
    w = 1
  }
}`,
			flow: `  consistency = "linearizable"`,
			want: []string{"quorum database.kv"},
			data: map[string]any{"stale_read_probability": "2/3", "stale_read_probability_float": 2.0 / 3},
		},
		{
			name: "linearizable and available", target: "database.db",
			store: `database "db" {
  engine = "postgres"
}`,
			flow: `  consistency = "linearizable"
  partition   = "available"`,
			want: []string{"cap-conflict flow.f"},
			data: map[string]any{"needed": "linearizable", "partition": "available"},
		},
		{
			name: "active-active lww under linearizable", target: "database.g",
			store: `region "us" {
  zones = ["us-a"]
}

region "eu" {
  zones = ["eu-a"]
}

database "g" {
  engine = "postgres" # one cause: a leaderless engine would add its own eventual reads
  multi_region {
    mode     = "active_active"
    regions  = ["us", "eu"]
    conflict = "lww"
  }
}`,
			flow: `  consistency = "linearizable"`,
			want: []string{"multi-region-conflict database.g"},
			data: map[string]any{"conflict": "lww", "provided": "eventual"},
		},
		{
			name: "write_back under rpo 0s", target: "cache.c",
			store: `cache "c" {
  engine   = "redis"
  strategy = "write_back"
  origin   = database.db
}

database "db" {
  engine = "postgres"
}`,
			flow: writesWithRPO0,
			want: []string{"durability cache.c"},
			data: map[string]any{"rpo_s": 0.0},
		},
		{
			name: "async with automatic failover under rpo 0s", target: "database.db",
			store: `database "db" {
  engine = "postgres"
  replication {
    mode     = "async"
    replicas = 2
    failover = "automatic"
  }
}`,
			flow: writesWithRPO0,
			want: []string{"durability database.db"},
			data: map[string]any{"replication": "async", "failover": "automatic"},
		},
		{
			name: "semi_sync with automatic failover under rpo 0s", target: "database.db",
			store: `database "db" {
  engine = "mysql"
  replication {
    mode     = "semi_sync"
    replicas = 2
    failover = "automatic"
  }
}`,
			// Issue 23 case 3: semi-sync falls back to async after
			// rpl_semi_sync_source_timeout (MySQL manual §19.4.10.2).
			flow: writesWithRPO0,
			want: []string{"durability database.db"},
			data: map[string]any{"replication": "semi_sync", "engine_table_row": "semi-sync-fallback"},
		},
		{
			name: "semi_sync that never falls back, automatic failover, rpo 0s", target: "database.db",
			store: `database "db" {
  engine = "mysql"
  replication {
    mode     = "semi_sync"
    fallback = "none"
    replicas = 2
    failover = "automatic"
  }
}`,
			flow: writesWithRPO0,
		},
	}
	for _, tt := range tests {
		t.Run(strings.ReplaceAll(tt.name, " ", "_"), func(t *testing.T) {
			src := fmt.Sprintf(oracleDesign, tt.target, tt.store, tt.flow)
			d, diags := lang.LoadFiles(map[string][]byte{"oracle.arch.hcl": []byte(src)}, lang.Options{})
			if diags.HasErrors() {
				t.Fatalf("design does not load: %v\n%s", diags, src)
			}
			rep, err := analyze.Run(d, family, nil)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range rep.Findings {
				got = append(got, f.Rule+" "+f.Subject)
			}
			sort.Strings(got)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Fatalf("findings (-want +got):\n%s", diff)
			}
			if len(tt.want) == 0 {
				return
			}
			f := rep.Findings[0]
			for k, v := range tt.data {
				if f.Data[k] != v {
					t.Errorf("data[%q] = %v (%T), want %v", k, f.Data[k], f.Data[k], v)
				}
			}
			if f.Detail == "" || !strings.Contains(f.Detail, "fix") {
				t.Errorf("detail names no fix: %q", f.Detail)
			}
		})
	}
}

// TestKeysAreUnique: baselines and SARIF fingerprints tell findings apart by
// rule, subject and key; on every design of the family's testdata and the
// examples, no two findings share all three.
func TestKeysAreUnique(t *testing.T) {
	dirs, _ := filepath.Glob("../*/testdata/*")
	more, _ := filepath.Glob("../../testdata/*")
	checked := 0
	for _, dir := range append(dirs, more...) {
		d, diags := lang.Load(dir, lang.Options{})
		if diags.HasErrors() {
			continue
		}
		rep, err := analyze.Run(d, family, nil)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, f := range rep.Findings {
			if !inFamily(f.Rule) {
				continue // the engine's own (suppression) findings
			}
			if f.Key == "" {
				t.Errorf("%s: %s finding without a key: %s", dir, f.Rule, f.Message)
			}
			k := f.Rule + "|" + f.Subject + "|" + f.Key
			if seen[k] {
				t.Errorf("%s: two findings keyed %q", dir, k)
			}
			seen[k] = true
			checked++
		}
	}
	if checked < 20 {
		t.Errorf("only %d findings checked", checked)
	}
}

func inFamily(id string) bool {
	for _, a := range family {
		if a.ID == id {
			return true
		}
	}
	return false
}
