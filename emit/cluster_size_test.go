package emit

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/archform/archform/lang"
	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
)

// TestClusterOutputLinear (issue 15 item 7): a quorum of n members emits
// output that grows linearly with n, not as n² (each member listing every
// other: etcd quorum { n = 2000 } wrote a 101 MB compose.yaml). The bytes of
// every file emitted for ten times the members grow at most 11 times, for
// each engine whose members name each other, on both targets: 20 and 200
// members (etcd's 200 and 2,000 under CI, without -short).
func TestClusterOutputLinear(t *testing.T) {
	sizes := map[string]int{"etcd": 20, "kafka": 20, "consul": 20, "nats": 20}
	if os.Getenv("CI") != "" && !testing.Short() {
		sizes["etcd"] = 200 // 2,000 members: seconds of compose-go's validation
	}
	for _, engine := range []string{"etcd", "kafka", "consul", "nats"} {
		small := sizes[engine]
		for _, e := range emitters {
			a := emittedBytes(t, e.run, clusterDesign(t, engine, small))
			b := emittedBytes(t, e.run, clusterDesign(t, engine, 10*small))
			if float64(b) > 11*float64(a) {
				t.Errorf("%s %s: %d members emit %d bytes, %d members %d bytes: %.1f× for 10× the members", engine, e.target, small, a, 10*small, b, float64(b)/float64(a))
			}
		}
	}
}

// TestClusterSharedEnv: the variables a large cluster's members share are
// written once, in an env_file, and every member still gets them: loaded by
// compose-go as docker compose loads it, each member's environment is the
// whole of what the engine gives it (an etcd member its initial cluster of
// every member, a Kafka member its node id and the voters).
func TestClusterSharedEnv(t *testing.T) {
	for engine, want := range map[string]func(i int) map[string]string{
		"etcd": func(int) map[string]string {
			var all []string
			for i := range 9 {
				all = append(all, fmt.Sprintf("db-%d=http://db-%d:2380", i, i))
			}
			return map[string]string{"ETCD_INITIAL_CLUSTER": strings.Join(all, ",")}
		},
		"kafka": func(i int) map[string]string {
			var voters []string
			for j := range 9 {
				voters = append(voters, fmt.Sprintf("%d@db-%d:9093", j, j))
			}
			return map[string]string{"KAFKA_NODE_ID": fmt.Sprint(i), "KAFKA_CONTROLLER_QUORUM_VOTERS": strings.Join(voters, ","),
				"KAFKA_ADVERTISED_LISTENERS": fmt.Sprintf("PLAINTEXT://db-%d:9092", i)}
		},
	} {
		res, err := Compose(clusterDesign(t, engine, 9), Options{})
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		var main []byte
		for _, f := range res.Files {
			if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
			if f.Name == ComposeFile {
				main = f.Data
			}
		}
		if _, err := os.Stat(filepath.Join(dir, "db-members.env")); err != nil {
			t.Fatalf("%s: no shared env_file: %v", engine, err)
		}
		p, err := loader.LoadWithContext(context.Background(), types.ConfigDetails{
			WorkingDir:  dir,
			ConfigFiles: []types.ConfigFile{{Filename: filepath.Join(dir, ComposeFile), Content: main}},
			Environment: types.Mapping{},
		}, func(o *loader.Options) { o.SetProjectName("t", true) })
		if err != nil {
			t.Fatal(err)
		}
		for i := range 9 {
			s, ok := p.Services[fmt.Sprintf("db-%d", i)]
			if !ok {
				t.Fatalf("%s: no member db-%d", engine, i)
			}
			for k, v := range want(i) {
				if got := s.Environment[k]; got == nil || *got != v {
					t.Errorf("%s member %d: %s = %v, want %q", engine, i, k, got, v)
				}
			}
			if strings.Contains(strings.Join(s.Command, " "), "--initial-cluster=") {
				t.Errorf("%s member %d: the initial cluster is in the command too (etcd refuses a flag set twice)", engine, i)
			}
		}
	}
}

// clusterDesign is a design with one quorum store of n members of engine.
func clusterDesign(t testing.TB, engine string, n int) *lang.Design {
	t.Helper()
	src := fmt.Sprintf(`system "s" {}
database "db" {
  engine = %q
  replication {
    mode = "quorum"
  }
  quorum {
    n = %d
    r = %d
    w = %d
  }
}
`, engine, n, n/2+1, n/2+1)
	d, diags := lang.LoadFiles(map[string][]byte{"d.arch.hcl": []byte(src)}, lang.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return d
}

// emittedBytes is the size of every file the target writes for d.
func emittedBytes(t testing.TB, run func(*lang.Design, Options) (*Result, error), d *lang.Design) int {
	t.Helper()
	res, err := run(d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range res.Files {
		n += len(f.Data)
	}
	return n
}

// BenchmarkComposeCluster is Compose of an etcd quorum of 2,000 members;
// BenchmarkComposeCluster200 of 200: compare their CPU time (linear: about
// 10×; compose-go's validation of the output is most of it).
func BenchmarkComposeCluster(b *testing.B) {
	d := clusterDesign(b, "etcd", 2000)
	for b.Loop() {
		emittedBytes(b, Compose, d)
	}
}

func BenchmarkComposeCluster200(b *testing.B) {
	d := clusterDesign(b, "etcd", 200)
	for b.Loop() {
		emittedBytes(b, Compose, d)
	}
}
