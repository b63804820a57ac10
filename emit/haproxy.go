package emit

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/archform/archform/lang"
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
		names = append(names, be.addr())
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
	haproxyRateLimit(&w, b, mode)
	fmt.Fprintf(&w, "    default_backend %s-backends\n", b.Name)

	fmt.Fprintf(&w, "\nbackend %s-backends\n", b.Name)
	fmt.Fprintf(&w, "    balance %s\n", haproxyBalance[algo])
	hc := b.c.HealthCheck
	check := "check"
	if hc != nil && hc.Path != "" {
		w.WriteString("    option httpchk\n")
		fmt.Fprintf(&w, "    http-check send meth GET uri %s\n", haproxyURI(hc.Path))
		w.WriteString("    http-check expect status 200-399\n")
	}
	if hc != nil && hc.Port != 0 {
		check += fmt.Sprintf(" port %d", hc.Port)
	}
	pr := timed(&probe{}, hc)
	fmt.Fprintf(&w, "    default-server %s inter %s fall %d rise 2 resolvers docker init-addr none\n",
		check, haproxyDuration(pr.Interval), pr.Failures)
	if hc != nil && hc.Timeout > 0 {
		fmt.Fprintf(&w, "    timeout check %s\n", haproxyDuration(hc.Timeout))
	}
	weights := haproxyWeights(b, replicas)
	for i, be := range b.Backends {
		line := fmt.Sprintf("    server-template %s %d %s:%d", be.name(), count(be, replicas), be.name(), be.port())
		if algo == "weighted" {
			line += fmt.Sprintf(" weight %d", weights[i])
		}
		w.WriteString(line + "\n")
	}
	return []byte(w.String())
}

// proxyLimits reports whether the proxy enforces a load balancer's rate
// limit: per source IP or for everyone (it cannot tell clients apart).
func proxyLimits(rl *lang.RateLimit) bool {
	return rl != nil && (rl.Per == "ip" || rl.Per == "global" || rl.Per == "")
}

// haproxyRateLimit writes a rate limit into the frontend: a stick table
// counting each source's (or everyone's) requests (connections at layer 4)
// over a sliding second, refusing beyond rate + burst.
func haproxyRateLimit(w *strings.Builder, b *balancer, mode string) {
	rl := b.c.RateLimit
	if !proxyLimits(rl) {
		return
	}
	table, key := "type ip size 1m", "src"
	if rl.Per == "global" {
		table, key = "type integer size 1", "int(0)"
	}
	limit := int(math.Ceil(rl.Rate + rl.Burst))
	if mode == "http" {
		fmt.Fprintf(w, "    stick-table %s expire 10s store http_req_rate(1s)\n", table)
		fmt.Fprintf(w, "    http-request track-sc0 %s\n", key)
		fmt.Fprintf(w, "    http-request deny deny_status 429 if { sc_http_req_rate(0) gt %d }\n", limit)
		return
	}
	fmt.Fprintf(w, "    stick-table %s expire 10s store conn_rate(1s)\n", table)
	fmt.Fprintf(w, "    tcp-request connection track-sc0 %s\n", key)
	fmt.Fprintf(w, "    tcp-request connection reject if { sc_conn_rate(0) gt %d }\n", limit)
}

// haproxyWeights gives each server of a backend its share of the backend's
// weight (a call's weight is the share of the whole backend service, spread
// over its replicas), scaled to HAProxy's 1..256 with the heaviest server at 100.
func haproxyWeights(b *balancer, replicas func(*unit) int) []int {
	per := make([]float64, len(b.Backends))
	heaviest := 0.0
	for i, be := range b.Backends {
		per[i] = be.Weight / float64(max(count(be, replicas), 1))
		heaviest = math.Max(heaviest, per[i])
	}
	out := make([]int, len(b.Backends))
	for i := range b.Backends {
		w := 1
		if heaviest > 0 {
			w = int(math.Round(per[i] / heaviest * 100))
		}
		out[i] = max(w, 1)
	}
	return out
}

// count is how many servers a backend has: its replicas, or the proxies of
// a load balancer behind this one.
func count(be backend, replicas func(*unit) int) int {
	if be.lb != nil {
		return be.lb.Replicas
	}
	return replicas(be.u)
}

// haproxyDuration writes a duration in HAProxy's units (ms or s).
func haproxyDuration(d time.Duration) string {
	return lang.FormatDuration(d.Truncate(time.Millisecond))
}

// haproxyURI writes a URI as one word of a HAProxy configuration: every
// byte that HAProxy's parser reads as more than a character of the word
// (a space or tab ends it, a line feed ends the line, '#' starts a
// comment, quotes and '\\' quote, '$' expands a variable in quotes) and
// anything a URI does not hold raw is percent-encoded. Validation already
// refuses such paths; this keeps the configuration one line whatever
// reaches it.
func haproxyURI(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~!&()*+,;=:@/?%", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}
