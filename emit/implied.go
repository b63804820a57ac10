package emit

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
)

// An address a unit's configuration names: another deployed component's
// host, with the port when one is written.
type impliedCall struct {
	where string // "env REDIS_ADDR", "command", "entrypoint"
	value string
	host  string
	port  int // 0: none written
}

var (
	// hostPort is HOST:PORT, or SCHEME://[USER@]HOST[:PORT], in a value.
	hostPortRE = regexp.MustCompile(`(?:^|[\s=,;@('"/])([a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*):(\d{1,5})\b`)
	schemeRE   = regexp.MustCompile(`[a-z][a-z0-9+.-]*://(?:[^@/\s]*@)?([a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*)(?::(\d{1,5}))?`)
	// addressKey is a variable whose whole value is a host name.
	addressKey = regexp.MustCompile(`(?i)(HOST|HOSTNAME|HOSTS|ADDR|ADDRESS|SERVER|SERVERS|ENDPOINT|URL|URI)$`)
)

// impliedCalls lists the addresses of other components that a unit's
// environment, command and entrypoint name, by the component's name as the
// manifests call it (its Service) or as the design writes it.
func (p *plan) impliedCalls(u *unit) []impliedCall {
	var out []impliedCall
	scan := func(where, value string, whole bool) {
		seen := map[string]bool{}
		add := func(host, port string) {
			host = strings.SplitN(host, ".", 2)[0] // svc.ns.svc.cluster.local
			n, _ := strconv.Atoi(port)
			key := host + ":" + port
			if seen[key] {
				return
			}
			seen[key] = true
			out = append(out, impliedCall{where: where, value: value, host: host, port: n})
		}
		v := strings.ToLower(value)
		for _, m := range schemeRE.FindAllStringSubmatch(v, -1) {
			add(m[1], m[2])
		}
		for _, m := range hostPortRE.FindAllStringSubmatch(v, -1) {
			add(m[1], m[2])
		}
		if whole {
			for _, h := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
				if hostName(h) {
					add(h, "")
				}
			}
		}
	}
	for _, k := range sortedKeys(u.c.Env) {
		scan("env "+k, u.c.Env[k], addressKey.MatchString(k))
	}
	for _, a := range u.c.Command {
		scan("command", a, false)
	}
	for _, a := range u.c.Entrypoint {
		scan("entrypoint", a, false)
	}
	return out
}

var hostNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*$`)

func hostName(s string) bool { return hostNameRE.MatchString(s) }

// blockedCalls reports, as errors, every address a unit's configuration
// names that the NetworkPolicies archform writes from the design's calls
// would block: another component the design does not say it calls, or a
// port of a called component that is not among its ports. Those calls
// would fail in the cluster while the design says nothing of them.
func (kb *kubeBuilder) blockedCalls(u *unit) {
	byName := map[string]*lang.Component{}
	ports := map[*lang.Component][]int{}
	for _, v := range kb.p.units {
		byName[v.Name], byName[strings.ToLower(v.c.Name)] = v.c, v.c
		ports[v.c] = append(slices.Clone(v.Ports), v.UDP...)
	}
	for _, b := range kb.p.lbs {
		byName[b.Name], byName[strings.ToLower(b.c.Name)] = b.c, b.c
		ports[b.c] = b.Ports
	}
	allowed := map[*lang.Component]bool{u.c: true}
	for _, v := range kb.callees(u) {
		allowed[v.c] = true
	}
	for _, call := range u.c.Calls {
		if kb.p.lbOf[call.To] != nil {
			allowed[call.To] = true
		}
	}
	reported := map[string]bool{}
	for _, ic := range kb.p.impliedCalls(u) {
		to := byName[ic.host]
		if to == nil || to == u.c {
			continue
		}
		var why string
		switch {
		case !allowed[to]:
			why = fmt.Sprintf("the design has no call from %s to %s", u.c.Addr, to.Addr)
		case ic.port > 0 && !slices.Contains(ports[to], ic.port):
			why = fmt.Sprintf("port %d is not among the ports of %s (%s)", ic.port, to.Addr, joinInts(ports[to]))
		default:
			continue
		}
		if reported[to.Addr+why] {
			continue
		}
		reported[to.Addr+why] = true
		attr := "env"
		if ic.where == "command" || ic.where == "entrypoint" {
			attr = ic.where
		}
		kb.n.add(analyze.Error, u.c, attr, map[string]any{"to": to.Addr, "evidence": ic.where},
			"the NetworkPolicies block a call that %s's %s implies (%q names %s): %s", u.c.Addr, ic.where, ic.value, to.Addr, why)
		kb.n.explain("archform's NetworkPolicies allow exactly the design's calls. Add a call block from %s to %s (with its port among the target's ports), "+
			"or remove the address from its configuration.", u.c.Addr, to.Addr)
	}
}

func joinInts(xs []int) string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = strconv.Itoa(x)
	}
	return strings.Join(out, ", ")
}
