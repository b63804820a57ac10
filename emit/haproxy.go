package emit

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// HAProxy's monitor endpoint, which the proxy's own health check asks.
const (
	proxyHealthPort = 8405
	proxyHealthPath = "/healthz"
	proxyConfigPath = "/usr/local/etc/haproxy/haproxy.cfg"
)

// haproxyBalance maps the language's algorithms to HAProxy's.
var haproxyBalance = map[string]string{
	"":                  "roundrobin",
	"round_robin":       "roundrobin",
	"weighted":          "roundrobin", // with per-server weights
	"least_connections": "leastconn",
	"ip_hash":           "source",
	"random":            "random",
}

// haproxyConfig writes the configuration of a load balancer's proxy: one
// frontend per port, one backend with a server template per backend service
// (its replicas found through Docker's DNS) and active health checks.
func haproxyConfig(system string, b *balancer, replicas func(*unit) int) []byte {
	var w strings.Builder
	w.WriteString(header(system))
	algo := b.c.Algorithm
	if algo == "" {
		algo = "round_robin"
	}
	mode := "http"
	if b.Layer == 4 {
		mode = "tcp"
	}
	var names []string
	for _, be := range b.Backends {
		names = append(names, be.u.c.Addr)
	}
	fmt.Fprintf(&w, "# %s: layer %d, %s over %s.\n", b.c.Addr, b.Layer, algo, strings.Join(names, ", "))
	fmt.Fprintf(&w, `
global
    log stdout format raw local0
    maxconn 4096

defaults
    mode %s
    log global
    option %slog
    timeout connect 5s
    timeout client 30s
    timeout server 30s

resolvers docker
    nameserver dns 127.0.0.11:53
    accepted_payload_size 8192
    hold valid 10s

frontend health
    bind :%d
    mode http
    monitor-uri %s
`, mode, mode, proxyHealthPort, proxyHealthPath)
	fmt.Fprintf(&w, "\nfrontend %s\n", b.Name)
	for _, port := range b.Ports {
		fmt.Fprintf(&w, "    bind :%d\n", port)
	}
	fmt.Fprintf(&w, "    default_backend %s-backends\n", b.Name)

	fmt.Fprintf(&w, "\nbackend %s-backends\n", b.Name)
	fmt.Fprintf(&w, "    balance %s\n", haproxyBalance[algo])
	hc := b.c.HealthCheck
	check := "check"
	if hc != nil && hc.Path != "" {
		w.WriteString("    option httpchk\n")
		fmt.Fprintf(&w, "    http-check send meth GET uri %s\n", hc.Path)
		w.WriteString("    http-check expect status 200-399\n")
	}
	if hc != nil && hc.Port != 0 {
		check += fmt.Sprintf(" port %d", hc.Port)
	}
	pr := timed(&probe{}, hc)
	fmt.Fprintf(&w, "    default-server %s inter %s fall %d rise 2 resolvers docker init-addr libc,none\n",
		check, haproxyDuration(pr.Interval), pr.Failures)
	if hc != nil && hc.Timeout > 0 {
		fmt.Fprintf(&w, "    timeout check %s\n", haproxyDuration(hc.Timeout))
	}
	weights := haproxyWeights(b)
	for i, be := range b.Backends {
		line := fmt.Sprintf("    server-template %s %d %s:%d", be.u.Name, replicas(be.u), be.u.Name, be.u.Ports[0])
		if algo == "weighted" {
			line += fmt.Sprintf(" weight %d", weights[i])
		}
		w.WriteString(line + "\n")
	}
	return []byte(w.String())
}

// haproxyWeights scales the backends' weights to HAProxy's 1..256, the
// heaviest backend getting 100.
func haproxyWeights(b *balancer) []int {
	heaviest := 0.0
	for _, be := range b.Backends {
		heaviest = math.Max(heaviest, be.Weight)
	}
	out := make([]int, len(b.Backends))
	for i, be := range b.Backends {
		w := 1
		if heaviest > 0 {
			w = int(math.Round(be.Weight / heaviest * 100))
		}
		out[i] = max(w, 1)
	}
	return out
}

// haproxyDuration writes a duration in HAProxy's units (ms or s).
func haproxyDuration(d time.Duration) string {
	if d%time.Second == 0 {
		return fmt.Sprintf("%ds", int64(d/time.Second))
	}
	return fmt.Sprintf("%dms", d.Milliseconds())
}
