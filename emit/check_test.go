package emit

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"sigs.k8s.io/yaml"
)

// TestEveryExampleValidates emits each example to both targets (which runs
// compose-go's loader and the strict Kubernetes decoding) and checks that
// every file carries the marker and every finding points into the design.
func TestEveryExampleValidates(t *testing.T) {
	for _, dir := range examples(t) {
		d := load(t, dir)
		for _, e := range emitters {
			for _, single := range []bool{false, true} {
				r, err := e.run(d, Options{SingleFile: single})
				if err != nil {
					t.Fatalf("%s %s: %v", dir, e.target, err)
				}
				if len(r.Files) == 0 {
					t.Errorf("%s %s: no files", dir, e.target)
				}
				for _, f := range r.Files {
					first, _, _ := bytes.Cut(f.Data, []byte("\n"))
					if !bytes.Contains(first, []byte(Marker)) {
						t.Errorf("%s %s/%s: first line %q lacks the marker", dir, e.target, f.Name, first)
					}
				}
				for _, f := range r.Findings {
					if f.Rule != "emit-"+e.target || f.Range.Filename == "" || f.Range.Start.Line == 0 || f.Subject == "" {
						t.Errorf("%s: finding without rule, subject or range: %+v", dir, f)
					}
					if f.Severity != analyze.Warning && f.Severity != analyze.Info {
						t.Errorf("%s: finding %q has severity %s; emit-* findings are warnings or info", dir, f.Message, f.Severity)
					}
				}
			}
		}
	}
}

// TestDeterministic emits each example twice and wants the same bytes.
func TestDeterministic(t *testing.T) {
	for _, dir := range examples(t) {
		for _, e := range emitters {
			a, err := e.run(load(t, dir), Options{})
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 1; i++ {
				b, err := e.run(load(t, dir), Options{})
				if err != nil {
					t.Fatal(err)
				}
				if len(a.Files) != len(b.Files) {
					t.Fatalf("%s %s: %d then %d files", dir, e.target, len(a.Files), len(b.Files))
				}
				for j := range a.Files {
					if a.Files[j].Name != b.Files[j].Name || !bytes.Equal(a.Files[j].Data, b.Files[j].Data) {
						t.Fatalf("%s %s: %s differs between two runs", dir, e.target, a.Files[j].Name)
					}
				}
				if !bytes.Equal(findingsText(a.Findings), findingsText(b.Findings)) {
					t.Fatalf("%s %s: findings differ between two runs", dir, e.target)
				}
			}
		}
	}
}

// TestShopDeploysAsDesigned checks what the shop's design asks of each target.
func TestShopDeploysAsDesigned(t *testing.T) {
	d := load(t, "../testdata/shop")
	res := analyze.Compute(d)
	k, err := Kubernetes(d, Options{Results: res})
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, f := range k.Files {
		files[f.Name] = string(f.Data)
	}
	// The instances the nominal load needs, from the analysis (11 since
	// retries count as load), fewer than the 12 declared.
	need := res.Components["service.api"].K
	if need < 1 || need >= 12 {
		t.Fatalf("the analysis says api needs %d of its 12 instances; the budget test wants 1..11", need)
	}
	want := map[string][]string{
		// 12 replicas over zones a, b, c: spread by zone, a budget from the analysis.
		"deployment-api.yaml": {"replicas: 12", "topologyKey: topology.kubernetes.io/zone", "maxSkew: 1",
			"whenUnsatisfiable: DoNotSchedule", "readOnlyRootFilesystem: true", "runAsNonRoot: true",
			"- ALL", "type: RuntimeDefault", "allowPrivilegeEscalation: false", "path: /healthz",
			"lb.archform.dev/edge: \"true\""},
		"poddisruptionbudget-api.yaml": {fmt.Sprintf("minAvailable: %d\n", need)},
		// The database keeps its data in a claim and reads its password from a Secret.
		"statefulset-orders.yaml": {"volumeClaimTemplates:", "storage: 10Gi", "name: orders-credentials",
			"key: password", "image: postgres:17.6", "pg_isready"},
		"service-orders.yaml": {"clusterIP: None"},
		// The load balancer is a Service over the pods behind it, exposed by an Ingress.
		"service-edge.yaml": {"lb.archform.dev/edge: \"true\"", "targetPort: 8080"},
		"ingress-edge.yaml": {"name: edge", "number: 80"},
		// api may reach exactly orders and sessions (and DNS); orders only from api.
		"networkpolicy-api.yaml":    {"app.kubernetes.io/name: orders", "app.kubernetes.io/name: sessions", "port: 53"},
		"networkpolicy-orders.yaml": {"app.kubernetes.io/name: api", "port: 5432"},
	}
	for name, subs := range want {
		body, ok := files[name]
		if !ok {
			t.Errorf("no %s", name)
			continue
		}
		for _, s := range subs {
			if !strings.Contains(body, s) {
				t.Errorf("%s lacks %q", name, s)
			}
		}
	}
	if _, ok := files["poddisruptionbudget-orders.yaml"]; ok {
		t.Error("orders runs one instance: it must not get a disruption budget")
	}
	if strings.Contains(files["networkpolicy-orders.yaml"], "name: edge") {
		t.Error("orders accepts traffic from the load balancer, which the design does not call it from")
	}

	c, err := Compose(d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var project struct {
		Services map[string]struct {
			Image  string
			Deploy struct{ Replicas int }
			Depend map[string]struct{ Condition string } `json:"depends_on"`
		}
		Volumes map[string]any
	}
	cfg := ""
	for _, f := range c.Files {
		switch f.Name {
		case ComposeFile:
			if err := yaml.Unmarshal(f.Data, &project); err != nil {
				t.Fatal(err)
			}
		case "haproxy-edge.cfg":
			cfg = string(f.Data)
		}
	}
	if s := project.Services["api"]; s.Deploy.Replicas != 12 || s.Depend["orders"].Condition != "service_healthy" {
		t.Errorf("api: want 12 replicas depending on a healthy orders, got %+v", s)
	}
	if _, ok := project.Services["api"].Depend["sessions"]; ok {
		t.Error("api's call to sessions is not required: no depends_on")
	}
	if project.Services["edge"].Image != proxyImage || project.Services["edge"].Deploy.Replicas != 2 {
		t.Errorf("edge: want 2 replicas of %s, got %+v", proxyImage, project.Services["edge"])
	}
	if _, ok := project.Volumes["orders-data"]; !ok {
		t.Error("orders keeps no volume")
	}
	for _, s := range []string{"balance leastconn", "http-check send meth GET uri /healthz", "server-template api 12 api:8080", "inter 5s"} {
		if !strings.Contains(cfg, s) {
			t.Errorf("haproxy-edge.cfg lacks %q:\n%s", s, cfg)
		}
	}
	var zones, replication bool
	for _, f := range c.Findings {
		zones = zones || f.Subject == "service.api" && strings.Contains(f.Message, "no zones")
		replication = replication || f.Subject == "database.orders" && strings.Contains(f.Message, "async replication")
	}
	if !zones || !replication {
		t.Errorf("Compose findings lack the lost zones (%v) or replication (%v):\n%s", zones, replication, findingsText(c.Findings))
	}
}

// TestValidationCatches feeds the validators broken output: each must fail.
func TestValidationCatches(t *testing.T) {
	d := load(t, "../testdata/shop")
	k, err := Kubernetes(d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	get := func(name string) File {
		for _, f := range k.Files {
			if f.Name == name {
				return f
			}
		}
		t.Fatalf("no %s", name)
		return File{}
	}
	replace := func(f File, old, new string) []File {
		var out []File
		for _, g := range k.Files {
			if g.Name == f.Name {
				if !bytes.Contains(g.Data, []byte(old)) {
					t.Fatalf("%s lacks %q", f.Name, old)
				}
				g = File{Name: g.Name, Data: bytes.Replace(g.Data, []byte(old), []byte(new), 1)}
			}
			out = append(out, g)
		}
		return out
	}
	cases := map[string][]File{
		"unknown field":       replace(get("deployment-api.yaml"), "  replicas: 12\n", "  replicas: 12\n  replika: 1\n"),
		"selector mismatch":   replace(get("service-api.yaml"), "  selector:\n    app.kubernetes.io/name: api", "  selector:\n    app.kubernetes.io/name: apx"),
		"invalid name":        replace(get("service-orders.yaml"), "\n  name: orders\n", "\n  name: Orders_DB\n"),
		"ingress to nothing":  replace(get("ingress-edge.yaml"), "name: edge\n            port", "name: edgy\n            port"),
		"template mismatch":   replace(get("deployment-api.yaml"), "        app.kubernetes.io/name: api", "        app.kubernetes.io/name: other"),
		"invalid label value": replace(get("deployment-api.yaml"), "app.kubernetes.io/component: service", "app.kubernetes.io/component: not a value"),
	}
	cases["duplicate object"] = append(append([]File{}, k.Files...), File{Name: "again.yaml", Data: get("service-api.yaml").Data})
	for name, files := range cases {
		err := validateKubernetes(files)
		var ve *ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("%s: validation passed (err %v)", name, err)
		}
	}
	if err := validateKubernetes(k.Files); err != nil {
		t.Errorf("untouched output fails: %v", err)
	}

	c, err := Compose(d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	breakCompose := func(old, new string) []File {
		var out []File
		for _, f := range c.Files {
			if f.Name == ComposeFile {
				if !bytes.Contains(f.Data, []byte(old)) {
					t.Fatalf("compose.yaml lacks %q", old)
				}
				f = File{Name: f.Name, Data: bytes.Replace(f.Data, []byte(old), []byte(new), 1)}
			}
			out = append(out, f)
		}
		return out
	}
	for name, files := range map[string][]File{
		"undefined network": breakCompose("      trust-data: null\n", "      elsewhere: null\n"),
		"unknown attribute": breakCompose("    restart: unless-stopped\n", "    restart: unless-stopped\n    restrat: always\n"),
		"undefined service": breakCompose("      orders:\n        condition", "      nobody:\n        condition"),
	} {
		if err := validateCompose(files); err == nil {
			t.Errorf("compose %s: validation passed", name)
		}
	}
}

// TestKubeScore runs kube-score v1.20.0 over every example's manifests and
// fails on any CRITICAL finding.
func TestKubeScore(t *testing.T) {
	bin := tool(t, "kube-score", "go install github.com/zegl/kube-score/cmd/kube-score@v1.20.0")
	critical := regexp.MustCompile(`(?m)^.*\[CRITICAL\].*$`)
	for _, dir := range examples(t) {
		r, err := Kubernetes(load(t, dir), Options{SingleFile: true})
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "manifests.yaml")
		if err := os.WriteFile(path, r.Files[0].Data, 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(bin, "score", "--output-format", "ci", path).CombinedOutput()
		if m := critical.FindAllString(string(out), -1); len(m) > 0 {
			t.Errorf("%s: kube-score finds CRITICAL issues:\n%s", dir, strings.Join(m, "\n"))
		} else if err != nil && !strings.Contains(string(out), "[WARNING]") && !strings.Contains(string(out), "[OK]") {
			t.Errorf("%s: kube-score failed: %v\n%s", dir, err, out)
		}
	}
}

// TestHAProxyConfigs checks every generated load balancer configuration with
// `haproxy -c`.
func TestHAProxyConfigs(t *testing.T) {
	bin := tool(t, "haproxy", "apt-get install haproxy")
	n := 0
	for _, dir := range examples(t) {
		r, err := Compose(load(t, dir), Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range r.Files {
			if !strings.HasSuffix(f.Name, ".cfg") {
				continue
			}
			n++
			path := filepath.Join(t.TempDir(), f.Name)
			if err := os.WriteFile(path, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
			if out, err := exec.Command(bin, "-c", "-f", path).CombinedOutput(); err != nil {
				t.Errorf("%s %s: haproxy -c: %v\n%s", dir, f.Name, err, out)
			}
		}
	}
	if n == 0 {
		t.Fatal("no example has a load balancer")
	}
}

// tool finds an outside program on PATH or in $(go env GOPATH)/bin. When it
// is missing the test skips, or fails if ARCHFORM_REQUIRE_TOOLS=1.
func tool(t *testing.T, name, install string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if gopath, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		p := filepath.Join(strings.TrimSpace(string(gopath)), "bin", name)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	msg := fmt.Sprintf("%s not found on PATH or in $(go env GOPATH)/bin; install it with: %s", name, install)
	if os.Getenv("ARCHFORM_REQUIRE_TOOLS") == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// TestNothingToDeploy: a design of clients and externals emits valid, empty
// output and says why each component is left out.
func TestNothingToDeploy(t *testing.T) {
	d, diags := lang.LoadFiles(map[string][]byte{"d.arch.hcl": []byte(`
system "empty" {}
client "web" {
  rps = 10
  call {
    to = external.saas
  }
}
external "saas" {}
`)}, lang.Options{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	for _, e := range emitters {
		r, err := e.run(d, Options{})
		if err != nil {
			t.Fatalf("%s: %v", e.target, err)
		}
		if len(r.Findings) != 2 {
			t.Errorf("%s: want 2 not-deployed findings, got:\n%s", e.target, findingsText(r.Findings))
		}
		if e.target == TargetKubernetes && len(r.Files) != 0 {
			t.Errorf("kubernetes: want no objects, got %d files", len(r.Files))
		}
	}
}

// TestQuorumStoreRunsAsACluster: etcd's quorum of 3 becomes 3 members on
// Kubernetes that know each other, keep a majority through disruptions and
// may talk to each other; Compose runs one service per member.
func TestQuorumStoreRunsAsACluster(t *testing.T) {
	d, diags := lang.LoadFiles(map[string][]byte{"d.arch.hcl": []byte(`
system "cfg" {}
service "app" {
  image = "example/app:1.0.0"
  call {
    to = database.coord
  }
}
database "coord" {
  engine = "etcd"
  replication {
    mode = "quorum"
  }
  quorum {
    n = 3
  }
}
`)}, lang.Options{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	k, err := Kubernetes(d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, f := range k.Files {
		files[f.Name] = string(f.Data)
	}
	for name, subs := range map[string][]string{
		"statefulset-coord.yaml": {"replicas: 3", "podManagementPolicy: Parallel", "fieldPath: metadata.name",
			"--initial-cluster=coord-0=http://coord-0.coord:2380,coord-1=http://coord-1.coord:2380,coord-2=http://coord-2.coord:2380"},
		"service-coord.yaml":             {"clusterIP: None", "publishNotReadyAddresses: true"},
		"poddisruptionbudget-coord.yaml": {"minAvailable: 2"},
		"networkpolicy-coord.yaml":       {"port: 2380", "app.kubernetes.io/name: app"},
	} {
		for _, s := range subs {
			if !strings.Contains(files[name], s) {
				t.Errorf("%s lacks %q:\n%s", name, s, files[name])
			}
		}
	}
	for _, f := range k.Findings {
		if f.Severity == analyze.Warning {
			t.Errorf("Kubernetes deploys the quorum as designed, yet warns: %s", f.Message)
		}
	}
	c, err := Compose(d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var project struct {
		Services map[string]struct {
			Command  []string
			Networks map[string]struct{ Aliases []string }
			Depends  map[string]struct{ Condition string } `json:"depends_on"`
		}
		Volumes map[string]any
	}
	if err := yaml.Unmarshal(c.Files[0].Data, &project); err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"coord-0", "coord-1", "coord-2"} {
		s, ok := project.Services[m]
		if !ok {
			t.Fatalf("Compose has no member %s: %v", m, project.Services)
		}
		if a := s.Networks[zoneNetwork(lang.ZoneData)].Aliases; len(a) != 1 || a[0] != "coord" {
			t.Errorf("%s does not answer to coord: aliases %v", m, a)
		}
		if !slices.Contains(s.Command, "--name="+m) || !slices.Contains(s.Command,
			"--initial-cluster=coord-0=http://coord-0:2380,coord-1=http://coord-1:2380,coord-2=http://coord-2:2380") {
			t.Errorf("%s: command %v", m, s.Command)
		}
		if _, ok := project.Volumes[m+"-data"]; !ok {
			t.Errorf("%s has no volume of its own", m)
		}
		if project.Services["app"].Depends[m].Condition != "service_healthy" {
			t.Errorf("app does not wait for %s", m)
		}
	}
	for _, f := range c.Findings {
		if f.Severity == analyze.Warning {
			t.Errorf("Compose deploys the quorum as designed, yet warns: %s", f.Message)
		}
	}
}

// TestNamesDoNotCollide: components named like the objects archform adds
// (default-deny, NAME-public) or like each other across kinds still emit.
func TestNamesDoNotCollide(t *testing.T) {
	d, diags := lang.LoadFiles(map[string][]byte{"d.arch.hcl": []byte(`
system "n" {}
service "default_deny" {
  image = "example/a:1"
}
database "orders" {
  engine = "postgres"
  public = true
}
service "orders_public" {
  image = "example/b:1"
}
cache "orders" {
  engine = "redis"
}
`)}, lang.Options{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	for _, e := range emitters {
		if _, err := e.run(d, Options{}); err != nil {
			t.Errorf("%s: %v", e.target, err)
		}
	}
}

// TestKafkaRunsAsAKRaftCluster: three Kafka replicas become three KRaft
// members that vote for each other, each with its own node id.
func TestKafkaRunsAsAKRaftCluster(t *testing.T) {
	d, diags := lang.LoadFiles(map[string][]byte{"d.arch.hcl": []byte(`
system "k" {}
queue "events" {
  engine   = "kafka"
  replicas = 3
}
`)}, lang.Options{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	voters := "0@events-0.events:9093,1@events-1.events:9093,2@events-2.events:9093"
	k, err := Kubernetes(d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range k.Files {
		if f.Name != "statefulset-events.yaml" {
			continue
		}
		for _, s := range []string{"replicas: 3", voters, "fieldPath: metadata.labels['apps.kubernetes.io/pod-index']",
			"value: $(POD_INDEX)", "PLAINTEXT://$(POD_NAME).events:9092"} {
			if !strings.Contains(string(f.Data), s) {
				t.Errorf("statefulset-events.yaml lacks %q", s)
			}
		}
	}
	c, err := Compose(d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var project struct {
		Services map[string]struct{ Environment map[string]string }
	}
	if err := yaml.Unmarshal(c.Files[0].Data, &project); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		env := project.Services[fmt.Sprintf("events-%d", i)].Environment
		if env["KAFKA_NODE_ID"] != fmt.Sprint(i) || env["KAFKA_CONTROLLER_QUORUM_VOTERS"] != "0@events-0:9093,1@events-1:9093,2@events-2:9093" ||
			env["CLUSTER_ID"] == "" {
			t.Errorf("events-%d: environment %v", i, env)
		}
	}
}
