package emit

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/archform/archform/lang"
	networkingv1 "k8s.io/api/networking/v1"
	"sigs.k8s.io/yaml"
)

// podLabels are the labels of each workload's pods, by workload name.
func podLabels(t *testing.T, files []File) map[string]map[string]string {
	t.Helper()
	out := map[string]map[string]string{}
	for name, tmpl := range podTemplates(t, files) {
		out[name] = tmpl.Labels
	}
	return out
}

// publicEntries are, from the design alone, the deployed components the
// internet reaches: public = true, called by a client or a CDN, or behind
// a load balancer that is.
func publicEntries(d *lang.Design) map[*lang.Component]bool {
	var open func(c *lang.Component, seen map[*lang.Component]bool) bool
	open = func(c *lang.Component, seen map[*lang.Component]bool) bool {
		if seen[c] {
			return false
		}
		seen[c] = true
		if c.Public {
			return true
		}
		for _, call := range d.Incoming(c) {
			switch call.From.Kind {
			case lang.KindClient, lang.KindCDN:
				return true
			case lang.KindLoadBalancer:
				if open(call.From, seen) {
					return true
				}
			}
		}
		return false
	}
	out := map[*lang.Component]bool{}
	for _, c := range d.Components {
		if c.Kind.Deployable() && c.Kind != lang.KindLoadBalancer && open(c, map[*lang.Component]bool{}) {
			out[c] = true
		}
	}
	return out
}

// TestKubernetesTrustZones checks, for every example, that each pod carries
// its component's trust zone, that every NetworkPolicy peer names the trust
// zone of the pods it admits (the connections themselves are checked by
// TestNetworkPoliciesAdmitExactlyTheDesign, which matches peers on all
// their labels), and that only the design's public entries take traffic
// from anywhere.
func TestKubernetesTrustZones(t *testing.T) {
	for _, dir := range examples(t) {
		d := load(t, dir)
		files := emitted(t, dir, TargetKubernetes).Files
		comp := map[string]*lang.Component{}
		for c, name := range lang.DeployNames(d) {
			if c.Kind.Deployable() {
				comp[name] = c
			}
		}
		labels := podLabels(t, files)
		for name, l := range labels {
			c := comp[name]
			if c == nil {
				t.Errorf("%s: workload %s deploys no component of the design", dir, name)
				continue
			}
			if got := l[labelTrustZone]; got != string(c.TrustZone) {
				t.Errorf("%s: the pods of %s are labelled trust zone %q; %s is in %q", dir, name, got, c.Addr, c.TrustZone)
			}
		}
		entries := publicEntries(d)
		for _, f := range files {
			if !strings.HasPrefix(f.Name, "networkpolicy-") || f.Name == "networkpolicy-"+denyAllName+".yaml" {
				continue
			}
			var np networkingv1.NetworkPolicy
			if err := yaml.Unmarshal(f.Data, &np); err != nil {
				t.Fatal(err)
			}
			name := np.Spec.PodSelector.MatchLabels[labelName]
			var peers []networkingv1.NetworkPolicyPeer
			open := false
			for _, r := range np.Spec.Ingress {
				peers = append(peers, r.From...)
				open = open || len(r.From) == 0
			}
			for _, r := range np.Spec.Egress {
				peers = append(peers, r.To...)
			}
			for _, pe := range peers {
				if pe.PodSelector == nil || pe.NamespaceSelector != nil {
					continue // DNS and the internet
				}
				peer := pe.PodSelector.MatchLabels[labelName]
				if want := labels[peer][labelTrustZone]; pe.PodSelector.MatchLabels[labelTrustZone] != want || want == "" {
					t.Errorf("%s: the NetworkPolicy of %s names peer %s in trust zone %q; its pods are in %q",
						dir, name, peer, pe.PodSelector.MatchLabels[labelTrustZone], want)
				}
			}
			if c := comp[name]; c != nil && open != entries[c] {
				t.Errorf("%s: the NetworkPolicy of %s admits traffic from anywhere: %v; the design makes it a public entry: %v", dir, name, open, entries[c])
			}
		}
	}
}

// composeNet is what the Compose networks test reads of compose.yaml.
type composeNet struct {
	Services map[string]struct {
		Labels   map[string]string
		Networks map[string]any
	}
	Networks map[string]struct {
		Internal bool
	}
}

// TestComposeNetworksFollowTrustZones evaluates the emitted Compose
// networks of every example (two services reach each other when they share
// a network; a network marked internal has no route out of the host) and
// checks them against the design alone:
//   - every call, consume and dead-letter publish the design declares
//     between two deployed components can connect;
//   - two services in different trust zones share a network only when one
//     declares a call or a consume into the other's zone, or both publish
//     ports on the host (frontend);
//   - the private and data zones' networks are internal, and a service in
//     them reaches the internet only when it calls an external or managed
//     service, through a network of its own.
func TestComposeNetworksFollowTrustZones(t *testing.T) {
	for _, dir := range examples(t) {
		d := load(t, dir)
		var project composeNet
		for _, f := range emitted(t, dir, TargetCompose).Files {
			if f.Name == ComposeFile {
				if err := yaml.Unmarshal(f.Data, &project); err != nil {
					t.Fatal(err)
				}
			}
		}
		services := map[*lang.Component][]string{}
		of := map[string]*lang.Component{}
		for name, s := range project.Services {
			c := d.Component(s.Labels[composeLabel])
			if c == nil {
				t.Fatalf("%s: service %s names no component (%q)", dir, name, s.Labels[composeLabel])
			}
			services[c] = append(services[c], name)
			of[name] = c
		}
		for _, names := range services {
			sort.Strings(names)
		}
		share := func(a, b string) bool {
			for n := range project.Services[a].Networks {
				if _, ok := project.Services[b].Networks[n]; ok {
					return true
				}
			}
			return false
		}
		// The design's connections, between components deployed as services.
		calls := map[[2]*lang.Component]bool{}
		intoZone := map[*lang.Component]map[lang.TrustZone]bool{}
		for _, c := range d.Components {
			var targets []*lang.Component
			for _, call := range c.Calls {
				targets = append(targets, call.To)
			}
			for _, cs := range c.Consumes {
				targets = append(targets, cs.Queue)
				if cs.Queue.DeadLetter != nil {
					targets = append(targets, cs.Queue.DeadLetter)
				}
			}
			for _, to := range targets {
				if len(services[c]) > 0 && len(services[to]) > 0 && to != c {
					calls[[2]*lang.Component{c, to}] = true
					if intoZone[c] == nil {
						intoZone[c] = map[lang.TrustZone]bool{}
					}
					intoZone[c][to.TrustZone] = true
				}
			}
		}
		for pair := range calls {
			for _, a := range services[pair[0]] {
				for _, b := range services[pair[1]] {
					if !share(a, b) {
						t.Errorf("%s: %s calls %s, but services %s and %s share no network", dir, pair[0].Addr, pair[1].Addr, a, b)
					}
				}
			}
		}
		names := slices.Sorted(maps.Keys(project.Services))
		for i, a := range names {
			for _, b := range names[i+1:] {
				ca, cb := of[a], of[b]
				if ca == cb || ca.TrustZone == cb.TrustZone || !share(a, b) {
					continue
				}
				_, fa := project.Services[a].Networks[networkFrontend]
				_, fb := project.Services[b].Networks[networkFrontend]
				if !intoZone[ca][cb.TrustZone] && !intoZone[cb][ca.TrustZone] && !(fa && fb) {
					t.Errorf("%s: %s (%s zone) and %s (%s zone) share a network, but neither calls into the other's zone", dir, a, ca.TrustZone, b, cb.TrustZone)
				}
			}
		}
		for _, z := range []lang.TrustZone{lang.ZonePrivate, lang.ZoneData} {
			if n, ok := project.Networks[zoneNetwork(z)]; ok && !n.Internal {
				t.Errorf("%s: the %s zone's network %s is not internal", dir, z, zoneNetwork(z))
			}
		}
		for _, name := range names {
			c := of[name]
			if c.TrustZone.Level() < lang.ZonePrivate.Level() {
				continue
			}
			var out []string
			for n := range project.Services[name].Networks {
				if !project.Networks[n].Internal {
					out = append(out, n)
				}
			}
			sort.Strings(out)
			_, published := project.Services[name].Networks[networkFrontend]
			wantOut := callsOut(c)
			switch {
			case wantOut && !slices.Contains(out, egressNetwork(name)):
				t.Errorf("%s: %s (%s zone) calls the internet but is not on %s (networks out: %v)", dir, name, c.TrustZone, egressNetwork(name), out)
			case !wantOut && !published && len(out) > 0 && !intoZone[c][lang.ZoneDMZ] && !intoZone[c][lang.ZonePublic]:
				t.Errorf("%s: %s (%s zone) calls nothing outside and publishes nothing, but is on networks with a way out: %v", dir, name, c.TrustZone, out)
			}
		}
	}
}

// callsOut reports whether c calls an external or a managed service (the
// design's own words: kind external, or an engine archform does not deploy).
func callsOut(c *lang.Component) bool {
	for _, call := range c.Calls {
		if call.To.Kind == lang.KindExternal {
			return true
		}
		switch call.To.Engine {
		case "sqs", "dynamodb", "s3", "gcs":
			return true
		}
	}
	return false
}

// TestIngressSecurity: the Ingress in front of an entry that takes mutual
// TLS checks client certificates with the CA Secret given, serves HTTPS
// with the Secret the design implies (NAME-tls) or the one given, speaks
// HTTPS to a backend that serves TLS; without a CA, or without TLS at the
// Ingress, no client certificate is checked and a warning says so; a
// token-based auth is the entry's own (info).
func TestIngressSecurity(t *testing.T) {
	const src = `
system "pay" {}
client "merchants" {
  rps = 100
  call {
    to  = gateway.api
    tls = %s
  }
}
gateway "api" {
  image        = "envoyproxy/envoy:v1.31.2"
  ports        = [8443]
  auth         = "%s"
  tls          = true
  capacity_rps = 1000
}
`
	ingressOf := func(r *Result) networkingv1.Ingress {
		t.Helper()
		for _, f := range r.Files {
			if f.Name == "ingress-api.yaml" {
				var ing networkingv1.Ingress
				if err := yaml.Unmarshal(f.Data, &ing); err != nil {
					t.Fatal(err)
				}
				return ing
			}
		}
		t.Fatal("no ingress-api.yaml")
		return networkingv1.Ingress{}
	}
	emitK := func(tls, auth string, opts Options) *Result {
		t.Helper()
		r, err := Kubernetes(loadSrc(t, fmt.Sprintf(src, tls, auth)), opts)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}

	r := emitK("true", "mtls", Options{IngressClass: "nginx", ClientCASecret: "pay/merchant-ca"})
	ing := ingressOf(r)
	if len(ing.Spec.TLS) != 1 || ing.Spec.TLS[0].SecretName != "api-tls" {
		t.Errorf("tls = %+v, want the Secret api-tls", ing.Spec.TLS)
	}
	want := map[string]string{
		annotAuthTLSVerifyClient: "on", annotAuthTLSSecret: "pay/merchant-ca",
		annotAuthTLSPassCert: "true", annotBackendProtocol: "HTTPS",
	}
	for k, v := range want {
		if ing.Annotations[k] != v {
			t.Errorf("annotation %s = %q, want %q", k, ing.Annotations[k], v)
		}
	}
	if f := findingWith(r.Findings, "gateway.api", "does not check client certificates"); f != nil {
		t.Errorf("a CA was given, yet: %s", f.Message)
	}
	if f := findingWith(r.Findings, "gateway.api", "another Ingress controller ignores them"); f != nil {
		t.Errorf("the class is nginx, yet: %s", f.Message)
	}

	r = emitK("true", "mtls", Options{TLSSecret: "wildcard"})
	ing = ingressOf(r)
	if len(ing.Spec.TLS) != 1 || ing.Spec.TLS[0].SecretName != "wildcard" {
		t.Errorf("tls = %+v, want the Secret of --tls-secret", ing.Spec.TLS)
	}
	if _, ok := ing.Annotations[annotAuthTLSVerifyClient]; ok {
		t.Error("client certificates are checked without a CA")
	}
	if findingWith(r.Findings, "gateway.api", "no certificate authority is given") == nil {
		t.Errorf("no finding for mtls without a CA: %v", r.Findings)
	}
	if findingWith(r.Findings, "gateway.api", "another Ingress controller ignores them") == nil {
		t.Errorf("no finding for ingress-nginx annotations without class nginx: %v", r.Findings)
	}

	// The client's call says tls = false: the Ingress serves HTTP (the
	// gateway's own tls is how the Ingress reaches it), and mtls cannot be
	// checked there.
	r = emitK("false", "mtls", Options{ClientCASecret: "pay/merchant-ca"})
	ing = ingressOf(r)
	if len(ing.Spec.TLS) != 0 {
		t.Errorf("tls = %+v for a plaintext entry", ing.Spec.TLS)
	}
	if findingWith(r.Findings, "gateway.api", "it serves plain HTTP") == nil {
		t.Errorf("no finding for mtls behind a plain-HTTP Ingress: %v", r.Findings)
	}

	r = emitK("true", "jwt", Options{})
	ing = ingressOf(r)
	if _, ok := ing.Annotations[annotAuthTLSVerifyClient]; ok {
		t.Error("client certificates checked for jwt")
	}
	if findingWith(r.Findings, "gateway.api", `checks auth = "jwt" itself`) == nil {
		t.Errorf("no finding for jwt at the Ingress: %v", r.Findings)
	}
}

// TestClientCASecretFlag: --client-ca-secret must be NAMESPACE/NAME.
func TestClientCASecretFlag(t *testing.T) {
	for v, ok := range map[string]bool{"": true, "pay/merchant-ca": true, "merchant-ca": false, "a/b/c": false, "Pay/x": false, "/x": false} {
		err := Options{ClientCASecret: v}.Check()
		if (err == nil) != ok {
			t.Errorf("--client-ca-secret %q: err %v, want ok %v", v, err, ok)
		}
	}
}
