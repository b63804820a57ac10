package emit

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

// composeProject emits a design as Compose and loads the output back as
// docker compose would (interpolation on: $$ is a literal $).
func composeProject(t *testing.T, src string) (*types.Project, *Result) {
	t.Helper()
	return composeProjectDesign(t, loadSrc(t, src))
}

// composeProjectDesign is composeProject of a decoded design, with HOME,
// USER and TAG set in the environment Compose interpolates from.
func composeProjectDesign(t *testing.T, d *lang.Design) (*types.Project, *Result) {
	t.Helper()
	r, err := Compose(d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var main []byte
	for _, f := range r.Files {
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
		if f.Name == ComposeFile {
			main = f.Data
		}
	}
	p, err := loader.LoadWithContext(context.Background(), types.ConfigDetails{
		WorkingDir:  dir,
		ConfigFiles: []types.ConfigFile{{Filename: filepath.Join(dir, ComposeFile), Content: main}},
		Environment: types.Mapping{"HOME": "/host-home", "USER": "host-user", "TAG": "host-tag"},
	}, func(o *loader.Options) {
		o.SetProjectName("t", true)
		o.SkipResolveEnvironment = true
		o.ResolvePaths = false
	})
	if err != nil {
		t.Fatal(err)
	}
	return p, r
}

func errorsOf(fs []analyze.Finding) []string {
	var out []string
	for _, f := range fs {
		if f.Severity == analyze.Error {
			out = append(out, f.Subject+": "+f.Message)
		}
	}
	return out
}

// wantError checks that the findings hold an error saying want, or no
// error when want is "".
func wantError(t *testing.T, fs []analyze.Finding, want string) {
	t.Helper()
	errs := errorsOf(fs)
	switch {
	case want == "" && len(errs) > 0:
		t.Errorf("errors %v, want none", errs)
	case want != "" && !slices.ContainsFunc(errs, func(e string) bool { return strings.Contains(e, want) }):
		t.Errorf("errors %v, want one saying %q", errs, want)
	}
}

// TestComposeKeepsWhatTheDesignSays: entrypoint and command, passed-through
// variables (never the literal ${NAME}), UDP ports, host mappings with their
// host address, the volume's name and mounts come out of emit compose as
// the design writes them.
func TestComposeKeepsWhatTheDesignSays(t *testing.T) {
	p, r := composeProject(t, `
system "s" {}
service "result" {
  image           = "example/result:1"
  entrypoint      = ["nodemon", "--inspect=0.0.0.0", "server.js"]
  command         = ["--port", "80"]
  env             = { MODE = "dev", PRICE = "$5" }
  env_passthrough = ["GC"]
  ports           = [9090]
  port {
    number    = 80
    host_port = 5001
  }
  port {
    number    = 9229
    host_port = 9229
    host_ip   = "127.0.0.1"
  }
  port {
    number   = 6831
    protocol = "udp"
  }
  volume {
    path = "/data"
    name = "results"
  }
  mount {
    source    = "./result"
    target    = "/usr/local/app"
    read_only = true
  }
  mount {
    source = "cache"
    target = "/cache"
  }
}
`)
	s := p.Services["result"]
	if !slices.Equal(s.Entrypoint, []string{"nodemon", "--inspect=0.0.0.0", "server.js"}) || !slices.Equal(s.Command, []string{"--port", "80"}) {
		t.Errorf("entrypoint %q command %q", s.Entrypoint, s.Command)
	}
	if v, ok := s.Environment["GC"]; !ok || v != nil {
		t.Errorf("GC: %v (set %v), want passed through (no value)", v, ok)
	}
	if v := s.Environment["PRICE"]; v == nil || *v != "$5" {
		t.Errorf("PRICE = %v, want $5", v)
	}
	var ports []string
	for _, pc := range s.Ports {
		ports = append(ports, pc.HostIP+":"+pc.Published+":"+strconv.Itoa(int(pc.Target))+"/"+pc.Protocol)
	}
	slices.Sort(ports)
	if want := []string{"127.0.0.1:9229:9229/tcp", ":5001:80/tcp"}; !slices.Equal(ports, want) {
		t.Errorf("published %v, want %v (a component with host ports publishes only those)", ports, want)
	}
	expose := slices.Clone(s.Expose)
	slices.Sort(expose)
	if want := []string{"6831/udp", "9090"}; !slices.Equal(expose, want) {
		t.Errorf("expose %v, want %v", expose, want)
	}
	var mounts []string
	for _, v := range s.Volumes {
		m := v.Type + ":" + v.Source + ":" + v.Target
		if v.ReadOnly {
			m += ":ro"
		}
		mounts = append(mounts, m)
	}
	if want := []string{"volume:results:/data", "bind:./result:/usr/local/app:ro", "volume:cache:/cache"}; !slices.Equal(mounts, want) {
		t.Errorf("mounts %v, want %v", mounts, want)
	}
	if _, ok := p.Volumes["cache"]; !ok {
		t.Errorf("the named volume cache is not declared: %v", p.Volumes)
	}
	if findingWith(r.Findings, "service.result", "bind-mounts ./result") == nil {
		t.Errorf("no finding says where ./result must be: %v", r.Findings)
	}
	if errs := errorsOf(r.Findings); len(errs) > 0 {
		t.Errorf("errors: %v", errs)
	}
}

// TestHostPortCollisions: Docker refuses a second container on a host port
// already taken; emit reports it as an error, on overlapping host
// addresses and the same protocol only.
func TestHostPortCollisions(t *testing.T) {
	base := `
system "s" {}
service "a" {
  image = "example/a:1"
  port {
    number    = 80
    host_port = 8080
    %s
  }
}
service "b" {
  image = "example/b:1"
  %s
  port {
    number    = 8080
    host_port = 8080
    %s
  }
}
`
	for _, c := range []struct {
		name             string
		aExtra, b, bPort string
		want             string
	}{
		{"same port", "", "", "", "host port 8080/tcp is published by both service.a and service.b"},
		{"every address and loopback", "", "", `host_ip = "127.0.0.1"`, "host port 8080/tcp is published by both"},
		{"two loopback addresses", `host_ip = "127.0.0.1"`, "", `host_ip = "127.0.0.2"`, ""},
		{"tcp and udp", "", "", `protocol = "udp"`, ""},
		{"several replicas", "", "replicas = 2", `host_ip = "127.0.0.2"`, "the 2 replicas of service.b cannot all publish host port 8080"},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := strings.Replace(strings.Replace(strings.Replace(base, "%s", c.aExtra, 1), "%s", c.b, 1), "%s", c.bPort, 1)
			_, r := composeProject(t, src)
			wantError(t, r.Findings, c.want)
		})
	}
}

// TestNoPortInvented: a service that declares no ports is exposed nowhere;
// where a port is needed archform says what it assumed.
func TestNoPortInvented(t *testing.T) {
	src := `
system "s" {}
client "users" {
  call {
    to = load_balancer.edge
  }
}
load_balancer "edge" {
  call {
    to = service.web
  }
}
service "web" {
  image = "example/web:1"
}
service "worker" {
  image = "example/worker:1"
}
`
	p, r := composeProject(t, src)
	if s := p.Services["worker"]; len(s.Expose) > 0 || len(s.Ports) > 0 {
		t.Errorf("worker exposes %v publishes %v: the design declares no port", s.Expose, s.Ports)
	}
	if findingWith(r.Findings, "service.web", "declares no ports: archform assumed port 8080") == nil {
		t.Errorf("no finding says 8080 was assumed for web behind the load balancer: %v", r.Findings)
	}
	if findingWith(r.Findings, "service.worker", "declares no ports") != nil {
		t.Errorf("a finding about worker's port, which nothing uses")
	}
	k, err := Kubernetes(loadSrc(t, src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(names(k.Files), "service-worker.yaml") {
		t.Errorf("a Service for worker, which declares no port and which nothing calls: %v", names(k.Files))
	}
	if pod := workloads(t, k.Files)["worker"]; len(pod.Containers) != 1 || pod.Containers[0].ReadinessProbe != nil || len(pod.Containers[0].Ports) > 0 {
		t.Errorf("worker's container probes or declares an assumed port: %+v", pod.Containers)
	}
	if findingWith(k.Findings, "service.web", "archform assumed port 8080 for its Service") == nil {
		t.Errorf("no Kubernetes finding says 8080 was assumed for web: %v", k.Findings)
	}
}

// TestKubernetesKeepsWhatItCan: the entrypoint is the container's command,
// the command its args, UDP ports are UDP everywhere; what Kubernetes has no
// place for is a finding.
func TestKubernetesKeepsWhatItCan(t *testing.T) {
	r, err := Kubernetes(loadSrc(t, `
system "s" {}
service "collector" {
  image           = "example/collector:1"
  entrypoint      = ["/bin/collector"]
  command         = ["--udp", "6831"]
  env_passthrough = ["GC"]
  ports           = [14268]
  port {
    number   = 6831
    protocol = "udp"
  }
  port {
    number    = 16686
    host_port = 16686
  }
  mount {
    source = "./collector.yaml"
    target = "/etc/collector.yaml"
  }
}
`), Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctr := workloads(t, r.Files)["collector"].Containers[0]
	if !slices.Equal(ctr.Command, []string{"/bin/collector"}) || !slices.Equal(ctr.Args, []string{"--udp", "6831"}) {
		t.Errorf("command %q args %q", ctr.Command, ctr.Args)
	}
	var ports []string
	for _, p := range ctr.Ports {
		ports = append(ports, strconv.Itoa(int(p.ContainerPort))+"/"+string(p.Protocol))
	}
	if want := []string{"14268/TCP", "16686/TCP", "6831/UDP"}; !slices.Equal(ports, want) {
		t.Errorf("container ports %v, want %v", ports, want)
	}
	var svc corev1.Service
	for _, f := range r.Files {
		if f.Name == "service-collector.yaml" {
			if err := yaml.Unmarshal(f.Data, &svc); err != nil {
				t.Fatal(err)
			}
		}
	}
	if !slices.ContainsFunc(svc.Spec.Ports, func(p corev1.ServicePort) bool { return p.Port == 6831 && p.Protocol == corev1.ProtocolUDP }) {
		t.Errorf("the Service has no UDP port 6831: %+v", svc.Spec.Ports)
	}
	for _, want := range []string{"no environment to pass GC through", "does not mount host path ./collector.yaml", "does not publish host port 16686"} {
		if findingWith(r.Findings, "service.collector", want) == nil {
			t.Errorf("no finding says %q: %v", want, r.Findings)
		}
	}
}

// TestBlockedCalls: a component whose configuration names another one it
// has no call to (or a port it does not declare) would be cut off by the
// NetworkPolicies: an error, not a silent pass.
func TestBlockedCalls(t *testing.T) {
	design := func(apiExtra, call string) string {
		return `
system "s" {}
service "api" {
  image = "example/api:1"
  ports = [8080]
  ` + apiExtra + `
  ` + call + `
}
service "geo" {
  image = "example/geo:1"
  ports = [8083]
}
cache "redis" {
  engine = "redis"
}
`
	}
	callRedis := "call {\n to = cache.redis\n }"
	for _, c := range []struct {
		name, extra, call, want string
	}{
		{"env address, no call", `env = { REDIS_ADDR = "redis:6379" }`, "", "env REDIS_ADDR implies (\"redis:6379\" names cache.redis): the design has no call from service.api to cache.redis"},
		{"env address with the call", `env = { REDIS_ADDR = "redis:6379" }`, callRedis, ""},
		{"host variable, no call", `env = { CACHE_HOST = "redis" }`, "", "names cache.redis"},
		{"a word that is no address", `env = { MODE = "redis" }`, "", ""},
		{"a port it does not declare", `env = { REDIS_URL = "redis://redis:6380/0" }`, callRedis, "port 6380 is not among the ports of cache.redis (6379)"},
		{"command flag, no call", `command = ["-addr", "geo:8083"]`, callRedis, "the design has no call from service.api to service.geo"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := Kubernetes(loadSrc(t, design(c.extra, c.call)), Options{})
			if err != nil {
				t.Fatal(err)
			}
			wantError(t, r.Findings, c.want)
		})
	}
}
