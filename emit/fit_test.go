package emit

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	appsv1 "k8s.io/api/apps/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"sigs.k8s.io/yaml"
)

func loadSrc(t *testing.T, src string) *lang.Design {
	t.Helper()
	d, diags := lang.LoadFiles(map[string][]byte{"d.arch.hcl": []byte(src)}, lang.Options{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	return d
}

func findingWith(fs []analyze.Finding, subject, text string) *analyze.Finding {
	for i, f := range fs {
		if f.Subject == subject && strings.Contains(f.Message, text) {
			return &fs[i]
		}
	}
	return nil
}

// TestComposeHostFit: search's 90 Elasticsearch containers of 64Gi cannot
// share one host; the finding names the project's need, the host and the
// biggest consumer, and a big enough host has no finding.
func TestComposeHostFit(t *testing.T) {
	r := emitted(t, "../testdata/search", TargetCompose)
	f := findingWith(r.Findings, "search.index", "one host has 16Gi and 8 CPUs")
	if f == nil || f.Severity != analyze.Warning || !strings.Contains(f.Message, "search.index alone needs 5.62Ti in 90 container(s)") {
		t.Fatalf("no host-fit finding on search.index:\n%s", findingsText(r.Findings))
	}
	if mem := f.Data["memory_bytes"].(int64); mem < 90*64<<30 {
		t.Errorf("the project's memory %d leaves out the index's 90 x 64Gi", mem)
	}
	d := loadSrc(t, `
system "h" {}
search "index" {
  engine   = "elasticsearch"
  replicas = 3
  resources {
    cpu    = "2"
    memory = "8Gi"
  }
}
`)
	for _, c := range []struct {
		mem, cpus string
		fits      bool
	}{{"16Gi", "8", false}, {"24Gi", "8", true}, {"32Gi", "4", false}} {
		r, err := Compose(d, Options{HostMemory: c.mem, HostCPUs: c.cpus})
		if err != nil {
			t.Fatal(err)
		}
		if f := findingWith(r.Findings, "search.index", "one host has"); (f == nil) != c.fits {
			t.Errorf("3 x (2 CPUs, 8Gi) on a host of %s and %s CPUs: fits %v, finding %v", c.mem, c.cpus, c.fits, f)
		}
	}
}

// TestJVMSizedFromTheLimit: Pulsar's image defaults to a 2g heap and 4g of
// direct memory; archform sizes both from the 2Gi limit. A design's own heap
// above the limit is a finding; one that fits is kept.
func TestJVMSizedFromTheLimit(t *testing.T) {
	d := loadSrc(t, `
system "j" {}
queue "events" {
  engine = "pulsar"
}
search "big" {
  engine = "elasticsearch"
  env = {
    ES_JAVA_OPTS = "-Xms31g -Xmx31g"
  }
  resources {
    cpu    = "4"
    memory = "32Gi"
  }
}
search "fits" {
  engine = "elasticsearch"
  env = {
    ES_JAVA_OPTS = "-Xms8g -Xmx8g"
  }
  resources {
    cpu    = "4"
    memory = "16Gi"
  }
}
`)
	k, err := Kubernetes(d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]map[string]string{}
	for name, spec := range workloads(t, k.Files) {
		env[name] = map[string]string{}
		for _, e := range spec.Containers[0].Env {
			env[name][e.Name] = e.Value
		}
	}
	if got := env["events"]["PULSAR_MEM"]; got != "-Xms1024m -Xmx1024m -XX:MaxDirectMemorySize=512m" {
		t.Errorf("pulsar in 2Gi: PULSAR_MEM %q", got)
	}
	if got := env["fits"]["ES_JAVA_OPTS"]; got != "-Xms8g -Xmx8g" {
		t.Errorf("the design's heap that fits was replaced: %q", got)
	}
	f := findingWith(k.Findings, "search.big", "31Gi heap and 15.5Gi of direct memory, more than its 32Gi memory limit")
	if f == nil || f.Severity != analyze.Warning {
		t.Errorf("no finding for a 31g heap (+15.5g direct) in 32Gi:\n%s", findingsText(k.Findings))
	}
	if findingWith(k.Findings, "search.fits", "heap") != nil {
		t.Error("an 8g heap (+4g direct) in 16Gi fits, yet a finding")
	}
}

// TestIssueBreakagesFixed checks, on the examples, each breakage the issue
// lists that the per-profile tests do not name.
func TestIssueBreakagesFixed(t *testing.T) {
	files := func(dir string, opts Options) map[string]string {
		k, err := Kubernetes(load(t, dir), opts)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, f := range k.Files {
			out[f.Name] = string(f.Data)
		}
		return out
	}
	// Kafka's configuration directory is writable and seeded; brokers reach
	// each other on the inter-broker listener (9092), not only 9093.
	pay := files("../testdata/payments", Options{})
	ss := pay["statefulset-payment-events.yaml"]
	for _, s := range []string{"mountPath: /opt/kafka/config", "cp -R /opt/kafka/config/. /seed/"} {
		if !strings.Contains(ss, s) {
			t.Errorf("payments kafka lacks %q", s)
		}
	}
	// RabbitMQ keeps the image's conf.d (remote logins, console logging).
	for name, body := range files("../testdata/video", Options{}) {
		if strings.Contains(body, "/etc/rabbitmq") {
			t.Errorf("video %s mounts over /etc/rabbitmq", name)
		}
	}
	// Redis caches without persistence can still write their snapshots.
	rl := files("../testdata/ratelimiter", Options{})
	for name, body := range rl {
		if strings.HasPrefix(name, "statefulset-") || strings.HasPrefix(name, "deployment-") {
			if strings.Contains(body, "image: redis:") && !strings.Contains(body, "mountPath: /data") {
				t.Errorf("ratelimiter %s runs redis without a writable /data", name)
			}
		}
	}
	// Consul gossips over UDP too.
	dc := files("../testdata/distcache", Options{})
	if np := dc["networkpolicy-config.yaml"]; !strings.Contains(np, "protocol: UDP\n") || !strings.Contains(np, "port: 8301") {
		t.Errorf("consul's policy has no UDP gossip:\n%s", np)
	}
	var cfg appsv1.StatefulSet
	if err := yaml.Unmarshal([]byte(dc["statefulset-config.yaml"]), &cfg); err != nil {
		t.Fatal(err)
	}
	var disabled bool
	for _, e := range cfg.Spec.Template.Spec.Containers[0].Env {
		disabled = disabled || e.Name == "CONSUL_DISABLE_PERM_MGMT"
	}
	if !disabled {
		t.Error("consul would chown its data dir and su-exec as a non-root user")
	}
	// Elasticsearch: 9300 declared once; the mmap bootstrap check avoided.
	se := files("../testdata/search", Options{})["statefulset-search-index.yaml"]
	if n := strings.Count(se, "containerPort: 9300"); n != 1 {
		t.Errorf("search-index declares 9300 %d times", n)
	}
	if !strings.Contains(se, "name: node.store.allow_mmap\n          value: \"false\"") {
		t.Error("search-index: vm.max_map_count bootstrap check not handled")
	}
	// Disruption budgets let crash-looping pods be evicted.
	for name, body := range pay {
		if strings.HasPrefix(name, "poddisruptionbudget-") {
			var pdb policyv1.PodDisruptionBudget
			if err := yaml.Unmarshal([]byte(body), &pdb); err != nil {
				t.Fatal(err)
			}
			if p := pdb.Spec.UnhealthyPodEvictionPolicy; p == nil || *p != policyv1.AlwaysAllow {
				t.Errorf("%s: unhealthyPodEvictionPolicy %v", name, p)
			}
		}
	}
}

// TestPaymentsEnvoyHealthcheck: the envoy image has neither wget nor curl;
// its Compose healthcheck runs bash, which it has, so `edge` (which waits
// for it to be healthy) starts.
func TestPaymentsEnvoyHealthcheck(t *testing.T) {
	c, err := Compose(load(t, "../testdata/payments"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var project struct {
		Services map[string]struct {
			Image       string
			Healthcheck struct{ Test []string }
		}
	}
	if err := yaml.Unmarshal(c.Files[0].Data, &project); err != nil {
		t.Fatal(err)
	}
	n := 0
	for name, s := range project.Services {
		if !strings.HasPrefix(s.Image, "envoyproxy/envoy:") {
			continue
		}
		n++
		test := strings.Join(s.Healthcheck.Test, " ")
		if !strings.HasPrefix(test, "CMD bash -c exec 3<>/dev/tcp/127.0.0.1/") || strings.Contains(test, "wget") || strings.Contains(test, "curl") {
			t.Errorf("%s: healthcheck %q", name, test)
		}
	}
	if n == 0 {
		t.Fatal("payments runs no envoy")
	}
}

// TestIngressClassAndTLS: without options, each Ingress is a finding (no
// class, no TLS); with them, the Ingress carries both.
func TestIngressClassAndTLS(t *testing.T) {
	d := load(t, "../testdata/shop")
	k, err := Kubernetes(d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if findingWith(k.Findings, "load_balancer.edge", "names no ingress class") == nil ||
		findingWith(k.Findings, "load_balancer.edge", "serves plain HTTP") == nil {
		t.Errorf("no finding for the Ingress without class or TLS:\n%s", findingsText(k.Findings))
	}
	k, err = Kubernetes(d, Options{IngressClass: "nginx", TLSSecret: "shop-tls"})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range k.Files {
		if f.Name != "ingress-edge.yaml" {
			continue
		}
		var ing networkingv1.Ingress
		if err := yaml.Unmarshal(f.Data, &ing); err != nil {
			t.Fatal(err)
		}
		if ing.Spec.IngressClassName == nil || *ing.Spec.IngressClassName != "nginx" || len(ing.Spec.TLS) != 1 || ing.Spec.TLS[0].SecretName != "shop-tls" {
			t.Errorf("ingress-edge: class %v, tls %+v", ing.Spec.IngressClassName, ing.Spec.TLS)
		}
	}
	if findingWith(k.Findings, "load_balancer.edge", "ingress class") != nil || findingWith(k.Findings, "load_balancer.edge", "plain HTTP") != nil {
		t.Error("class and TLS given, yet findings")
	}
}

// TestMissingSecretFiles: Compose names each secret file it reads and the
// command that creates it, and stays quiet about files that exist.
func TestMissingSecretFiles(t *testing.T) {
	d := load(t, "../testdata/shop")
	dir := t.TempDir()
	r, err := Compose(d, Options{OutputDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	f := findingWith(r.Findings, "database.orders", "./secrets/orders-credentials-password, which archform does not create")
	if f == nil || !strings.Contains(f.Detail, "openssl rand -base64 32 > secrets/orders-credentials-password") {
		t.Fatalf("no missing-secret finding with its command:\n%s", findingsText(r.Findings))
	}
	if err := os.MkdirAll(filepath.Join(dir, "secrets"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "secrets", "orders-credentials-password"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	r, err = Compose(d, Options{OutputDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if f := findingWith(r.Findings, "database.orders", "which archform does not create"); f != nil {
		t.Errorf("the secret file exists, yet: %s", f.Message)
	}
}
