package importer

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/archform/archform/emit"
	"github.com/archform/archform/lang"
	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"
)

// TestSystemsRoundTrip imports each real system's Compose files, emits the
// design as Compose and loads the output with compose-go's loader, as
// `docker compose` would: every service's command, entrypoint, published
// ports (host address, host port, container port and protocol), container
// ports, environment and mounts must be the input's.
//
// What is compared modulo what archform does on purpose:
//   - a variable whose value looks like a credential is not copied: the
//     design names a secret, and the output reads it from NAME_FILE;
//   - a load balancer runs archform's own proxy (HAProxy), so its command,
//     entrypoint, environment and mounts are the proxy's; its ports are
//     still the input's;
//   - the output may add variables of its own for an engine it knows
//     (PGDATA for postgres, heap sizes), and a data volume for a datastore
//     the input runs without one, listed in the log, never changing what
//     the input sets;
//   - a port published on a host port Docker picks, or on a range, has no
//     host_port in the language: it stays a container port (the header says so).
func TestSystemsRoundTrip(t *testing.T) {
	root := systemsRoot(t)
	for _, in := range systemInputs {
		if in.input != "compose" {
			continue
		}
		t.Run(in.system, func(t *testing.T) {
			var paths []string
			for _, p := range in.paths {
				paths = append(paths, filepath.Join(root, in.system, p))
			}
			files, err := composeFiles(paths)
			if err != nil {
				t.Fatal(err)
			}
			input, err := loadCompose(files)
			if err != nil {
				t.Fatal(err)
			}
			imported, err := loadCompose(files)
			if err != nil {
				t.Fatal(err)
			}
			dsg := fromCompose(imported, files)
			r, err := finish(dsg)
			d := load(t, r, err)
			out, err := emit.Compose(d, emit.Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range out.Findings {
				if f.Severity.String() == "error" {
					t.Errorf("emit compose: %s: %s", f.Subject, f.Message)
				}
			}
			emitted := loadEmitted(t, out.Files)
			byAddr := map[string][]types.ServiceConfig{}
			for _, s := range emitted.Services {
				byAddr[s.Labels["archform.component"]] = append(byAddr[s.Labels["archform.component"]], s)
			}
			var added []string
			for _, c := range dsg.comps {
				if c.service == "" {
					continue
				}
				want := input.Services[c.service]
				dc := d.Component(c.addr())
				got := byAddr[c.addr()]
				if dc == nil || len(got) == 0 {
					t.Errorf("%s (input service %s) is not in the output", c.addr(), c.service)
					continue
				}
				for _, g := range got {
					added = append(added, compareService(t, c.service, dc, want, g)...)
				}
			}
			slices.Sort(added)
			t.Logf("%s: variables and volumes the output adds for the engines it knows: %s", in.system, strings.Join(slices.Compact(added), ", "))
		})
	}
}

// loadEmitted loads emitted Compose files from a scratch directory, with
// interpolation, as docker compose does.
func loadEmitted(t *testing.T, files []emit.File) *types.Project {
	t.Helper()
	dir := t.TempDir()
	var main []byte
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
		if f.Name == emit.ComposeFile {
			main = f.Data
		}
	}
	p, err := loader.LoadWithContext(context.Background(), types.ConfigDetails{
		WorkingDir:  dir,
		ConfigFiles: []types.ConfigFile{{Filename: filepath.Join(dir, emit.ComposeFile), Content: main}},
		Environment: types.Mapping{},
	}, func(o *loader.Options) {
		o.SetProjectName("roundtrip", true)
		o.SkipResolveEnvironment = true
		o.ResolvePaths = false
	})
	if err != nil {
		t.Fatalf("the emitted Compose project does not load: %v", err)
	}
	return p
}

// compareService compares one input service with an emitted one; it
// returns the variables the output adds.
func compareService(t *testing.T, name string, c *lang.Component, want, got types.ServiceConfig) []string {
	t.Helper()
	where := fmt.Sprintf("%s (%s)", name, c.Addr)
	proxy := c.Kind == lang.KindLoadBalancer
	if !proxy {
		if !slices.Equal(want.Command, got.Command) {
			t.Errorf("%s: command %q, want %q", where, got.Command, want.Command)
		}
		if !slices.Equal(want.Entrypoint, got.Entrypoint) || (want.Entrypoint == nil) != (got.Entrypoint == nil) {
			t.Errorf("%s: entrypoint %q, want %q", where, got.Entrypoint, want.Entrypoint)
		}
	}
	if w, g := publishedPorts(want), publishedPorts(got); !slices.Equal(w, g) {
		t.Errorf("%s: published ports %v, want %v", where, g, w)
	}
	gotPorts := containerPorts(got)
	for _, p := range containerPorts(want) {
		if !slices.Contains(gotPorts, p) {
			t.Errorf("%s: container port %s is lost (output has %v)", where, p, gotPorts)
		}
	}
	if proxy {
		return nil
	}
	var added []string
	for _, k := range slices.Sorted(maps.Keys(want.Environment)) {
		w := want.Environment[k]
		g, ok := got.Environment[k]
		_, fromSecret := got.Environment[k+"_FILE"]
		switch {
		case c.Secrets[k] != (lang.SecretRef{}) || !ok && fromSecret:
			// A credential: the design names a secret (or emit's detector
			// moved the value there), and the output reads it from a file.
			if !fromSecret {
				t.Errorf("%s: %s is a secret in the design, and the output does not set %s_FILE", where, k, k)
			}
		case !ok:
			t.Errorf("%s: environment %s is lost", where, k)
		case w == nil && g != nil:
			t.Errorf("%s: environment %s is passed through in the input, and set to %q in the output", where, k, *g)
		case w != nil && (g == nil || *g != *w):
			t.Errorf("%s: environment %s = %s, want %q", where, k, show(g), *w)
		}
	}
	for k := range got.Environment {
		if _, ok := want.Environment[k]; !ok && !strings.HasSuffix(k, "_FILE") {
			added = append(added, name+"."+k)
		}
	}
	gotMounts := mounts(got)
	for _, m := range mounts(want) {
		if !slices.Contains(gotMounts, m) {
			t.Errorf("%s: mount %s is lost (output has %v)", where, m, gotMounts)
		}
	}
	for _, m := range gotMounts {
		if !slices.Contains(mounts(want), m) {
			if !strings.HasPrefix(m, "volume:") {
				t.Errorf("%s: the output mounts %s, which the input does not", where, m)
			}
			added = append(added, name+" "+m)
		}
	}
	return added
}

func show(p *string) string {
	if p == nil {
		return "(passed through)"
	}
	return fmt.Sprintf("%q", *p)
}

// publishedPorts are a service's host mappings that the language holds
// (one host port), as HOST_IP:HOST:CONTAINER/PROTOCOL, sorted.
func publishedPorts(s types.ServiceConfig) []string {
	var out []string
	for _, p := range s.Ports {
		if p.Published == "" || strings.Contains(p.Published, "-") {
			continue
		}
		proto := p.Protocol
		if proto == "" {
			proto = "tcp"
		}
		out = append(out, fmt.Sprintf("%s:%s:%d/%s", p.HostIP, p.Published, p.Target, proto))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// containerPorts are the ports a service's containers listen on (ports and
// expose), as PORT/PROTOCOL.
func containerPorts(s types.ServiceConfig) []string {
	var out []string
	for _, p := range s.Ports {
		proto := p.Protocol
		if proto == "" {
			proto = "tcp"
		}
		out = append(out, fmt.Sprintf("%d/%s", p.Target, proto))
	}
	for _, e := range s.Expose {
		if !strings.Contains(e, "/") {
			e += "/tcp"
		}
		out = append(out, e)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// mounts are a service's volumes and bind mounts as TYPE:SOURCE:TARGET[:ro].
func mounts(s types.ServiceConfig) []string {
	var out []string
	for _, v := range s.Volumes {
		m := fmt.Sprintf("%s:%s:%s", v.Type, v.Source, v.Target)
		if v.ReadOnly {
			m += ":ro"
		}
		out = append(out, m)
	}
	slices.Sort(out)
	return out
}

// TestSystemsKubernetesRoundTrip imports each system's plain Kubernetes
// manifests, emits the design as Kubernetes, and compares every workload's
// main container with the input's: command (the entrypoint), args, every
// container port with its protocol (the output may add a port an engine
// listens on) and every environment variable (a credential is read from a
// Secret instead; a load balancer runs archform's proxy).
func TestSystemsKubernetesRoundTrip(t *testing.T) {
	root := systemsRoot(t)
	for _, in := range systemInputs {
		if in.input != "kubernetes" {
			continue
		}
		t.Run(in.system, func(t *testing.T) {
			var paths []string
			for _, p := range in.paths {
				paths = append(paths, filepath.Join(root, in.system, p))
			}
			files, _, err := manifestFiles(paths)
			if err != nil {
				t.Fatal(err)
			}
			var objs []kubeObject
			for _, f := range files {
				data, err := os.ReadFile(f.path)
				if err != nil {
					t.Fatal(err)
				}
				more, err := decodeManifests(f.path, data)
				if err != nil {
					t.Fatal(err)
				}
				objs = append(objs, more...)
			}
			dsg, err := fromKubernetes(objs, paths)
			if err != nil {
				t.Fatal(err)
			}
			r, err := finish(dsg)
			d := load(t, r, err)
			out, err := emit.Kubernetes(d, emit.Options{})
			if err != nil {
				t.Fatal(err)
			}
			emitted := map[string]corev1.Container{} // by workload name
			for _, f := range out.Files {
				if !strings.HasPrefix(f.Name, "deployment-") && !strings.HasPrefix(f.Name, "statefulset-") {
					continue
				}
				var w struct {
					Metadata metav1.ObjectMeta `json:"metadata"`
					Spec     struct {
						Template corev1.PodTemplateSpec `json:"template"`
					} `json:"spec"`
				}
				if err := yaml.Unmarshal(f.Data, &w); err != nil {
					t.Fatal(err)
				}
				for _, ctr := range w.Spec.Template.Spec.Containers {
					if ctr.Name == w.Metadata.Name {
						emitted[w.Metadata.Name] = ctr
					}
				}
			}
			byService := map[string]*component{}
			for _, c := range dsg.comps {
				byService[c.service] = c
			}
			compared := 0
			for _, o := range objs {
				var name string
				var pod corev1.PodSpec
				switch x := o.obj.(type) {
				case *appsv1.Deployment:
					name, pod = x.Name, x.Spec.Template.Spec
				case *appsv1.StatefulSet:
					name, pod = x.Name, x.Spec.Template.Spec
				default:
					continue
				}
				c := byService[name]
				want := mainContainer(name, pod.Containers)
				if c == nil || want == nil || c.kind == lang.KindLoadBalancer {
					continue
				}
				dc := d.Component(c.addr())
				got, ok := emitted[dnsName(dc.Name)]
				if !ok {
					t.Errorf("%s (%s): no workload in the output", name, c.addr())
					continue
				}
				compared++
				if !slices.Equal(want.Command, got.Command) || !slices.Equal(want.Args, got.Args) {
					t.Errorf("%s: command %q args %q, want %q %q", name, got.Command, got.Args, want.Command, want.Args)
				}
				for _, p := range want.Ports {
					if !slices.ContainsFunc(got.Ports, func(q corev1.ContainerPort) bool {
						return q.ContainerPort == p.ContainerPort && (q.Protocol == p.Protocol || p.Protocol == "" && q.Protocol == corev1.ProtocolTCP)
					}) {
						t.Errorf("%s: container port %d/%s is lost (output %v)", name, p.ContainerPort, p.Protocol, got.Ports)
					}
				}
				for _, e := range want.Env {
					i := slices.IndexFunc(got.Env, func(g corev1.EnvVar) bool { return g.Name == e.Name })
					switch {
					case i < 0:
						t.Errorf("%s: environment %s is lost", name, e.Name)
					case e.ValueFrom == nil && got.Env[i].ValueFrom == nil && got.Env[i].Value != e.Value:
						t.Errorf("%s: environment %s = %q, want %q", name, e.Name, got.Env[i].Value, e.Value)
					case e.ValueFrom == nil && got.Env[i].ValueFrom != nil && got.Env[i].ValueFrom.SecretKeyRef == nil:
						t.Errorf("%s: environment %s comes from %v, want %q", name, e.Name, got.Env[i].ValueFrom, e.Value)
					}
				}
			}
			if compared == 0 {
				t.Fatal("no workload compared")
			}
			t.Logf("%s: %d workloads compared", in.system, compared)
		})
	}
}

// dnsName is the workload name emit gives a component name with no
// collision: lower case, [a-z0-9-].
func dnsName(s string) string {
	return strings.Trim(strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return '-'
	}, s), "-")
}
