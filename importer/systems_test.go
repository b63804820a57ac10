package importer

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/archform/archform/internal/sharedfiles"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/rules"
)

// The six real systems of the corpus (sharedfiles), each with its
// ground-truth call graph (edges.tsv), are imported as a user would, and the
// calls found are measured against the truth. testdata/systems/visible.tsv
// classifies every ground-truth edge once, per input, as visible (evidence
// of it lies in a file the import reads: see the rule in that file's
// header) or not. Recall is measured on the visible edges, precision on all
// edges.

// systemsRoot is the corpus's systems directory (sharedfiles).
// It skips the test when absent, and fails instead when CI is set.
func systemsRoot(t *testing.T) string {
	t.Helper()
	return sharedfiles.Path(t, "corpus", "systems")
}

// systemInput is one way to import a system.
type systemInput struct {
	system, input string // input: "compose" or "kubernetes"
	paths         []string
	importer      func([]string) (*Result, error)
}

// systemInputs are the inputs a user of each system would point the
// import at: the Compose files the system documents running together, and
// its plain Kubernetes manifests where it ships them.
var systemInputs = []systemInput{
	{"voting-app", "compose", []string{"docker-compose.yml"}, Compose},
	{"voting-app", "kubernetes", []string{"k8s-specifications"}, Kubernetes},
	{"sock-shop", "compose", []string{"deploy/docker-compose/docker-compose.yml", "deploy/docker-compose/docker-compose.monitoring.yml", "deploy/docker-compose/docker-compose.logging.yml"}, Compose},
	{"sock-shop", "kubernetes", []string{"deploy/kubernetes/complete-demo.yaml"}, Kubernetes},
	{"robot-shop", "compose", []string{"docker-compose.yaml", "docker-compose-load.yaml"}, Compose},
	{"petclinic", "compose", []string{"docker-compose.yml"}, Compose},
	{"piggymetrics", "compose", []string{"docker-compose.yml"}, Compose},
	{"eshoponcontainers", "compose", []string{"src/docker-compose.yml", "src/docker-compose.override.yml"}, Compose},
}

// edge is a call between two components, by the names the input gives them.
type edge struct{ from, to string }

func (e edge) String() string { return e.from + " -> " + e.to }

// truth reads a system's edges.tsv: every ground-truth edge.
func truth(t *testing.T, root, system string) map[edge]bool {
	t.Helper()
	f, err := os.Open(filepath.Join(root, system, "edges.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[edge]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for first := true; sc.Scan(); first = false {
		cols := strings.Split(sc.Text(), "\t")
		if first || len(cols) < 2 {
			continue
		}
		out[edge{cols[0], cols[1]}] = true
	}
	return out
}

// visibility reads testdata/systems/visible.tsv: system, input, caller,
// callee, visible (yes or no), why.
func visibility(t *testing.T) map[string]map[edge]bool {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "systems", "visible.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[edge]bool{}
	for i, l := range strings.Split(string(data), "\n") {
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		cols := strings.Split(l, "\t")
		if len(cols) < 6 || cols[4] != "yes" && cols[4] != "no" {
			t.Fatalf("visible.tsv:%d: want system, input, caller, callee, yes|no, why; have %q", i+1, l)
		}
		key := cols[0] + "/" + cols[1]
		if out[key] == nil {
			out[key] = map[edge]bool{}
		}
		e := edge{cols[2], cols[3]}
		if _, dup := out[key][e]; dup {
			t.Fatalf("visible.tsv:%d: %s %s classified twice", i+1, key, e)
		}
		out[key][e] = cols[4] == "yes"
	}
	return out
}

// importedEdges imports an input and returns its design and the calls
// between components (the added client left out), by component name.
func importedEdges(t *testing.T, root string, in systemInput) (*Result, *lang.Design, map[edge]bool) {
	t.Helper()
	var paths []string
	for _, p := range in.paths {
		paths = append(paths, filepath.Join(root, in.system, p))
	}
	r, err := in.importer(paths)
	d := load(t, r, err)
	got := map[edge]bool{}
	for _, c := range d.Components {
		if c.Kind == lang.KindClient {
			continue
		}
		for _, call := range c.Calls {
			got[edge{c.Name, call.To.Name}] = true
		}
	}
	return r, d, got
}

// TestSystemsCalls measures the calls found in each real system against
// its ground truth: recall >= 0.9 on the visible edges, precision >= 0.95
// on all edges.
func TestSystemsCalls(t *testing.T) {
	root := systemsRoot(t)
	vis := visibility(t)
	var table []string
	for _, in := range systemInputs {
		t.Run(in.system+"/"+in.input, func(t *testing.T) {
			all := truth(t, root, in.system)
			classes := vis[in.system+"/"+in.input]
			for e := range all {
				if _, ok := classes[e]; !ok {
					t.Errorf("visible.tsv does not classify %s of %s/%s", e, in.system, in.input)
				}
			}
			for e := range classes {
				if !all[e] {
					t.Errorf("visible.tsv classifies %s, which is not an edge of %s's edges.tsv", e, in.system)
				}
			}
			_, _, got := importedEdges(t, root, in)
			visible, hit, correct := 0, 0, 0
			var missed, wrong []string
			for e, v := range classes {
				if !v {
					continue
				}
				visible++
				if got[e] {
					hit++
				} else {
					missed = append(missed, e.String())
				}
			}
			for e := range got {
				if all[e] {
					correct++
				} else {
					wrong = append(wrong, e.String())
				}
			}
			slices.Sort(missed)
			slices.Sort(wrong)
			recall, precision := ratio(hit, visible), ratio(correct, len(got))
			table = append(table, fmt.Sprintf("%-18s %-10s edges %2d  visible %2d  found of visible %2d  recall %.2f  calls found %2d  true %2d  precision %.2f  (recall on all edges %.2f)",
				in.system, in.input, len(all), visible, hit, recall, len(got), correct, precision, ratio(correct, len(all))))
			if recall < 0.9 {
				t.Errorf("recall %.2f (%d of %d visible edges) < 0.9; missed: %s", recall, hit, visible, strings.Join(missed, ", "))
			}
			if precision < 0.95 {
				t.Errorf("precision %.2f (%d of %d calls found are true) < 0.95; wrong: %s", precision, correct, len(got), strings.Join(wrong, ", "))
			}
			if testing.Verbose() {
				t.Logf("missed: %s\nwrong: %s", strings.Join(missed, ", "), strings.Join(wrong, ", "))
			}
		})
	}
	t.Logf("calls found against the ground truth:\n%s", strings.Join(table, "\n"))
}

// ratio is a/b, 1 when b is 0 (nothing to find, nothing wrong).
func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// datastores are every datastore of each system and the kind it must have:
// from the systems' CALLS.md node lists.
var datastores = map[string]map[string]lang.Kind{
	"voting-app":        {"redis": lang.KindCache, "db": lang.KindDatabase},
	"sock-shop":         {"catalogue-db": lang.KindDatabase, "carts-db": lang.KindDatabase, "orders-db": lang.KindDatabase, "user-db": lang.KindDatabase, "session-db": lang.KindCache, "rabbitmq": lang.KindQueue, "elasticsearch": lang.KindSearch},
	"robot-shop":        {"mongodb": lang.KindDatabase, "mysql": lang.KindDatabase, "redis": lang.KindCache, "rabbitmq": lang.KindQueue},
	"petclinic":         {},
	"piggymetrics":      {"auth-mongodb": lang.KindDatabase, "account-mongodb": lang.KindDatabase, "statistics-mongodb": lang.KindDatabase, "notification-mongodb": lang.KindDatabase, "rabbitmq": lang.KindQueue},
	"eshoponcontainers": {"sqldata": lang.KindDatabase, "nosqldata": lang.KindDatabase, "basketdata": lang.KindCache, "rabbitmq": lang.KindQueue},
}

// offFlow are the telemetry, discovery, config and admin components of each
// system (CALLS.md's infrastructure nodes), which must stay off user flows.
var offFlow = map[string][]string{
	"sock-shop":         {"prometheus", "grafana", "alertmanager", "nodeexporter", "kibana", "log-server"},
	"petclinic":         {"config-server", "discovery-server", "tracing-server", "admin-server", "prometheus-server", "grafana-server"},
	"piggymetrics":      {"config", "registry", "monitoring", "turbine-stream-service"},
	"eshoponcontainers": {"seq", "webstatus"},
}

// TestSystemsDesigns checks what else an import of a real system must get
// right: every datastore's kind; telemetry, discovery, config and admin
// components off every user flow; every application component with no call
// found named in the header; and lint's spof rule flagging every
// single-replica tier on a user flow (every tier of these systems runs one
// replica).
func TestSystemsDesigns(t *testing.T) {
	root := systemsRoot(t)
	for _, in := range systemInputs {
		t.Run(in.system+"/"+in.input, func(t *testing.T) {
			r, d, _ := importedEdges(t, root, in)
			byName := map[string]*lang.Component{}
			for _, c := range d.Components {
				if c.Kind != lang.KindClient {
					byName[c.Name] = c
				}
			}
			for name, kind := range datastores[in.system] {
				c := byName[name]
				if c == nil {
					continue // not in this input (session-db is Kubernetes-only)
				}
				if c.Kind != kind {
					t.Errorf("%s: kind %s, want %s", name, c.Kind, kind)
				}
			}
			res, err := analyze.ComputeSafe(d)
			if err != nil {
				t.Fatal(err)
			}
			onFlow := map[*lang.Component][]string{}
			for _, name := range res.FlowOrder {
				for _, h := range res.Flows[name].Hops {
					onFlow[h.Component] = append(onFlow[h.Component], name)
				}
			}
			for _, name := range offFlow[in.system] {
				c := byName[name]
				if c == nil {
					continue
				}
				if !c.Role.OffFlow() {
					t.Errorf("%s: role %q, want telemetry, discovery, config or admin", name, c.Role)
				}
				if fs := onFlow[c]; len(fs) > 0 {
					t.Errorf("%s is on user flows %v", name, fs)
				}
			}
			header, _, _ := strings.Cut(string(r.Source), "\nsystem ")
			_, noCalls, _ := strings.Cut(header, "# No call found from these")
			noCalls, _, _ = strings.Cut(noCalls, "#\n")
			for _, c := range d.Components {
				if len(c.Calls) > 0 || c.Kind == lang.KindClient || !c.Kind.Deployable() || c.Kind.Stateful() {
					continue
				}
				if !strings.Contains(noCalls, "#   - "+c.Addr+"\n") {
					t.Errorf("%s has no call, and the header's list of components with no call found does not name it", c.Addr)
				}
			}
			if len(d.Flows) == 0 && len(d.Components) > 0 && !strings.Contains(header, "WARNING") {
				t.Errorf("no flow and no WARNING in the header")
			}
			report, err := analyze.Run(d, rules.All, nil)
			if err != nil {
				t.Fatal(err)
			}
			flagged := map[string]bool{}
			for _, f := range report.Findings {
				if f.Rule == "spof" {
					flagged[f.Subject] = true
				}
			}
			for c, fs := range onFlow {
				if c.Kind == lang.KindClient || len(c.Instances) != 1 {
					continue
				}
				if !flagged[c.Addr] {
					t.Errorf("%s runs one instance on flows %v, and lint's spof rule does not flag it", c.Addr, fs)
				}
			}
		})
	}
}
