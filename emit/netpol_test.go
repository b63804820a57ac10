package emit

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/archform/archform/lang"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	"sigs.k8s.io/yaml"
)

// conn is one connection between two workloads: from, to, port/protocol.
type conn struct {
	from, to string
	port     int
	proto    string
}

func (c conn) String() string { return fmt.Sprintf("%s -> %s:%d/%s", c.from, c.to, c.port, c.proto) }

// TestNetworkPoliciesAdmitExactlyTheDesign derives, for every example, the
// connections its design implies between deployed workloads (calls, through
// load balancers too; consumed queues; dead-letter queues their consumers
// publish to; members of a cluster on every peer listener) and checks that
// the emitted NetworkPolicies admit exactly those: each is allowed out of
// its source and into its target, and nothing else between workloads is.
// Every workload may also resolve names (DNS).
func TestNetworkPoliciesAdmitExactlyTheDesign(t *testing.T) {
	for _, dir := range examples(t) {
		want := impliedConnections(load(t, dir))
		got, dns := admittedConnections(t, emitted(t, dir, TargetKubernetes).Files)
		for c := range want {
			if !got[c] {
				t.Errorf("%s: the design needs %s; the NetworkPolicies block it", dir, c)
			}
		}
		for c := range got {
			if !want[c] {
				t.Errorf("%s: the NetworkPolicies admit %s, which the design does not imply", dir, c)
			}
		}
		for w, ok := range dns {
			if !ok {
				t.Errorf("%s: %s may not resolve names (no egress to kube-dns on 53/UDP and 53/TCP)", dir, w)
			}
		}
	}
}

// impliedConnections works from the design alone (the plan only names the
// workloads).
func impliedConnections(d *lang.Design) map[conn]bool {
	p := newPlan(d, &notes{rule: kubernetesRuleID, target: "Kubernetes"})
	out := map[conn]bool{}
	to := func(from, target *unit) {
		if from == nil || target == nil || from == target {
			return
		}
		for _, port := range target.Ports {
			out[conn{from.Name, target.Name, port, "TCP"}] = true
		}
		for _, port := range target.UDP {
			out[conn{from.Name, target.Name, port, "UDP"}] = true
		}
	}
	// reach follows calls through load balancers to the deployed components.
	var reach func(c *lang.Component, seen map[*lang.Component]bool) []*unit
	reach = func(c *lang.Component, seen map[*lang.Component]bool) []*unit {
		if seen[c] {
			return nil
		}
		seen[c] = true
		if u := p.byComp[c]; u != nil {
			return []*unit{u}
		}
		var us []*unit
		if c.Kind == lang.KindLoadBalancer {
			for _, call := range c.Calls {
				us = append(us, reach(call.To, seen)...)
			}
		}
		return us
	}
	for _, c := range d.Components {
		from := p.byComp[c]
		if from == nil {
			continue
		}
		for _, call := range c.Calls {
			for _, target := range reach(call.To, map[*lang.Component]bool{}) {
				to(from, target)
			}
		}
		for _, cs := range c.Consumes {
			to(from, p.byComp[cs.Queue])
			if cs.Queue.DeadLetter != nil {
				to(from, p.byComp[cs.Queue.DeadLetter])
			}
		}
	}
	for _, u := range p.units {
		if u.Members > 0 && u.Profile != nil {
			for _, pp := range u.Profile.Peers {
				out[conn{u.Name, u.Name, pp.Port, pp.Proto}] = true
			}
		}
	}
	return out
}

// admittedConnections evaluates the emitted NetworkPolicies: a connection
// between two workloads, to a port the target's container declares, is
// admitted when the source's policy lets it out and the target's lets it
// in. dns says, per workload, whether it may reach kube-dns.
func admittedConnections(t *testing.T, files []File) (map[conn]bool, map[string]bool) {
	t.Helper()
	policies := map[string]networkingv1.NetworkPolicy{}
	for _, f := range files {
		if strings.HasPrefix(f.Name, "networkpolicy-") && f.Name != "networkpolicy-"+denyAllName+".yaml" {
			var np networkingv1.NetworkPolicy
			if err := yaml.Unmarshal(f.Data, &np); err != nil {
				t.Fatal(err)
			}
			policies[np.Spec.PodSelector.MatchLabels[labelName]] = np
		}
	}
	type port struct {
		port  int
		proto string
	}
	ports := map[string][]port{}
	var names []string
	for name, spec := range workloads(t, files) {
		names = append(names, name)
		for _, p := range spec.Containers[0].Ports {
			ports[name] = append(ports[name], port{int(p.ContainerPort), string(p.Protocol)})
		}
		if _, ok := policies[name]; !ok {
			t.Errorf("workload %s has no NetworkPolicy of its own: the default deny cuts it off", name)
		}
	}
	sort.Strings(names)
	// A peer selects a pod when every label it names is on the pod (as the
	// API server evaluates matchLabels; archform writes no expressions).
	labels := podLabels(t, files)
	matches := func(peers []networkingv1.NetworkPolicyPeer, name string) bool {
		if len(peers) == 0 {
			return true // any source or destination
		}
		for _, pe := range peers {
			if pe.PodSelector == nil || pe.NamespaceSelector != nil || pe.IPBlock != nil || len(pe.PodSelector.MatchExpressions) > 0 {
				continue
			}
			all := true
			for k, v := range pe.PodSelector.MatchLabels {
				all = all && labels[name][k] == v
			}
			if all {
				return true
			}
		}
		return false
	}
	allows := func(list []networkingv1.NetworkPolicyPort, p port) bool {
		if len(list) == 0 {
			return true
		}
		for _, np := range list {
			proto := corev1.ProtocolTCP
			if np.Protocol != nil {
				proto = *np.Protocol
			}
			if (np.Port == nil || np.Port.IntValue() == p.port) && string(proto) == p.proto {
				return true
			}
		}
		return false
	}
	out := map[conn]bool{}
	dns := map[string]bool{}
	for _, from := range names {
		egress := policies[from].Spec.Egress
		for _, to := range names {
			ingress := policies[to].Spec.Ingress
			for _, p := range ports[to] {
				var okOut, okIn bool
				for _, r := range egress {
					okOut = okOut || matches(r.To, to) && allows(r.Ports, p)
				}
				for _, r := range ingress {
					okIn = okIn || matches(r.From, from) && allows(r.Ports, p)
				}
				if okOut && okIn {
					out[conn{from, to, p.port, p.proto}] = true
				}
			}
		}
		udp, tcp := false, false
		for _, r := range egress {
			for _, pe := range r.To {
				if pe.PodSelector != nil && pe.PodSelector.MatchLabels["k8s-app"] == "kube-dns" {
					udp = udp || allows(r.Ports, port{53, "UDP"})
					tcp = tcp || allows(r.Ports, port{53, "TCP"})
				}
			}
		}
		dns[from] = udp && tcp
	}
	return out, dns
}
