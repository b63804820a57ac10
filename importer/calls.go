package importer

import (
	"fmt"
	"maps"
	"net"
	"regexp"
	"slices"
	"strings"

	"github.com/archform/archform/internal/credential"
)

// A call is found where a running system keeps its addresses: a host name,
// a URL's host or a host:port in an environment variable, a command-line
// argument, a configuration file the container reads, a proxy's upstreams.
// A host names a component when it is the component's name, an alias
// (container_name, hostname, network alias, link alias) or, in Kubernetes,
// one of a Service's DNS forms. Each call keeps its evidence: the file and
// the key that named the host.

// hostRef is one host named in a value: the host as written, or the
// variable that stands for it when the value leaves it unresolved
// (http://${CATALOGUE_HOST}:8080).
type hostRef struct {
	host     string
	variable string // the NAME of ${NAME} in host position; host is then ""
	bare     bool   // a lone word, not a URL's host or a host:port
}

var (
	// urlRE finds a URL's host: scheme://[user[:pass]@]host.
	urlRE = regexp.MustCompile(`[A-Za-z][A-Za-z0-9+.-]*://(?:[^/\s"'@,;]*@)?(\$\{[A-Za-z0-9_]+\}|\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+)`)
	// hostPortRE finds host:port not inside a path or a URL's scheme.
	hostPortRE = regexp.MustCompile(`(?:^|[\s,;=@"'(\[>])(\$\{[A-Za-z0-9_]+\}|[A-Za-z0-9][A-Za-z0-9_.-]*):(\d{1,5})\b`)
	// defaultRE finds a placeholder with a default: ${NAME:default} (Spring),
	// ${NAME:-default} or ${NAME-default} (shell, Compose).
	defaultRE = regexp.MustCompile(`\$\{[A-Za-z0-9_.]+:?-?([^{}]*)\}`)
	// wordRE is a lone host-like word.
	wordRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)
	// varRE is a lone unresolved variable.
	varRE = regexp.MustCompile(`^\$\{([A-Za-z0-9_]+)\}$`)
)

// withDefaults replaces placeholders that carry a default by the default:
// what the program reads when the variable is unset.
func withDefaults(v string) string {
	for range 4 { // nested defaults
		next := defaultRE.ReplaceAllStringFunc(v, func(m string) string {
			inner := m[2 : len(m)-1]
			i := strings.Index(inner, ":")
			j := strings.Index(inner, "-")
			switch {
			case i > 0 && (j < 0 || i < j):
				return strings.TrimPrefix(inner[i+1:], "-")
			case j > 0:
				return inner[j+1:]
			}
			return m
		})
		if next == v {
			break
		}
		v = next
	}
	return v
}

// scanHosts returns the hosts a value names. URLs and host:port pairs count
// wherever they are; a lone word counts only where the key says it holds an
// address (address is true), or as the value of an address sub-key
// (Server=sqldata;Database=x, host=mysql;dbname=y).
func scanHosts(value string, address bool) []hostRef {
	v := withDefaults(value)
	var out []hostRef
	add := func(h string, bare bool) {
		h = strings.Trim(h, "[]")
		if m := varRE.FindStringSubmatch(h); m != nil {
			out = append(out, hostRef{variable: m[1]})
			return
		}
		if strings.Contains(h, "${") || strings.Contains(h, "$") {
			return
		}
		out = append(out, hostRef{host: strings.ToLower(strings.TrimSuffix(h, ".")), bare: bare})
	}
	for _, m := range urlRE.FindAllStringSubmatch(v, -1) {
		add(m[1], false)
	}
	noURL := urlRE.ReplaceAllString(v, " ")
	for _, m := range hostPortRE.FindAllStringSubmatch(noURL, -1) {
		add(m[1], false)
	}
	// Lone words: the whole value, list items, and key=value parts.
	for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\t' || r == '\n' }) {
		part = strings.Trim(part, `"'`)
		k, val, isPair := strings.Cut(part, "=")
		switch {
		case isPair && addressWord(k):
			val = strings.Trim(val, `"'`)
			if h, _, ok := strings.Cut(val, ":"); ok && !strings.Contains(val, "//") {
				val = h
			}
			if wordRE.MatchString(val) || varRE.MatchString(val) {
				add(val, true)
			}
		case !isPair && address && (wordRE.MatchString(part) || varRE.MatchString(part)):
			add(part, true)
		}
	}
	return out
}

// addressWords are the words of a key (split at _, -, ., and case changes)
// that say its value is an address.
var addressWords = map[string]bool{
	"host": true, "hosts": true, "hostname": true, "addr": true, "address": true, "addresses": true,
	"url": true, "urls": true, "uri": true, "uris": true, "endpoint": true, "endpoints": true,
	"server": true, "servers": true, "broker": true, "brokers": true, "dsn": true,
	"connection": true, "connectionstring": true, "conn": true, "target": true, "targets": true,
	"upstream": true, "backend": true, "backends": true, "proxy": true, "svc": true,
	"serviceid": true, "zone": true, "defaultzone": true, "seeds": true, "nodes": true,
	"bootstrap": true, "peers": true, "master": true, "sentinel": true, "datasource": true,
	"h": true, // -h HOST on a command line
}

// notAddressWords make a key about something else than an address even
// when an address word is in it (server_name, listen, host_port).
var notAddressWords = map[string]bool{"name": true, "port": true, "ports": true, "path": true,
	"timeout": true, "millis": true, "enabled": true, "user": true, "username": true, "password": true,
	"file": true, "dir": true, "size": true, "type": true, "mode": true, "level": true}

// addressWord reports whether a key names an address: one of its words (or
// two neighbours joined: serviceId, defaultZone) is an address word, and its
// last word does not say it is a name, port, path or setting (server_name,
// host_port).
func addressWord(key string) bool {
	words := keyWords(key)
	if len(words) == 0 || notAddressWords[words[len(words)-1]] {
		return false
	}
	for i, w := range words {
		if addressWords[w] || i+1 < len(words) && addressWords[w+words[i+1]] {
			return true
		}
	}
	return false
}

// keyWords splits a key into lower-case words at punctuation and at case
// changes (defaultZone → default, zone), as the credential detector does.
func keyWords(key string) []string { return credential.Words(key) }

// varHostSuffixes are the endings of a variable that holds a host.
var varHostSuffixes = []string{"_SERVICE_HOST", "_HOST", "_HOSTNAME", "_ADDR", "_ADDRESS", "_URL", "_URI", "_ENDPOINT", "_SERVER", "_SVC", "_SERVICE"}

// variableHost reads the host a variable's name stands for when the
// variable is left unresolved: CATALOGUE_HOST → catalogue, USER_SERVICE_ADDR
// → user-service.
func variableHost(name string) string {
	upper := strings.ToUpper(name)
	for _, s := range varHostSuffixes {
		if base, ok := strings.CutSuffix(upper, s); ok && base != "" {
			return strings.ReplaceAll(strings.ToLower(base), "_", "-")
		}
	}
	return ""
}

// found is the calls found from one component: callee → evidence lines.
type found map[*component][]string

func (f found) add(to *component, ev string) {
	if !slices.Contains(f[to], ev) {
		f[to] = append(f[to], ev)
	}
}

// resolver maps host names to the components they reach.
type resolver struct {
	hosts map[string]*component
	// dns resolves Kubernetes forms (svc.ns, svc.ns.svc.cluster.local);
	// nil for Compose, where only names and aliases resolve.
	dns func(host, ns string) []*component
	// outside are names the project maps to hosts outside it
	// (extra_hosts, host.docker.internal).
	outside map[string]bool
}

func newResolver() *resolver {
	return &resolver{hosts: map[string]*component{}, outside: map[string]bool{
		"host.docker.internal": true, "gateway.docker.internal": true, "localhost": true,
		"docker.for.mac.localhost": true, "docker.for.linux.localhost": true}}
}

// alias makes a name reach a component, unless another already claims it.
func (r *resolver) alias(name string, c *component) {
	name = strings.ToLower(name)
	if name == "" {
		return
	}
	if _, taken := r.hosts[name]; !taken {
		r.hosts[name] = c
	}
}

// lookup finds the components a host reaches from namespace ns, and how
// the host was read when not as written.
func (r *resolver) lookup(h hostRef, ns string) ([]*component, string) {
	host := h.host
	how := ""
	if h.variable != "" {
		host = variableHost(h.variable)
		if host == "" {
			return nil, ""
		}
		how = " (the host of ${" + h.variable + "}, read from the variable's name)"
	}
	if host == "" || r.outside[host] || net.ParseIP(host) != nil {
		return nil, ""
	}
	if c := r.hosts[host]; c != nil {
		return []*component{c}, how
	}
	if r.dns != nil {
		if cs := r.dns(host, ns); len(cs) > 0 {
			return cs, how
		}
	}
	return nil, ""
}

// scanInto adds to f a call for each host of value that reaches another
// component than from. It returns whether the value named any address at
// all (a component, or a host the project does not hold).
func (r *resolver) scanInto(f found, from *component, ns, value string, address bool, evidence string) bool {
	any := false
	for _, h := range scanHosts(value, address) {
		tos, how := r.lookup(h, ns)
		if len(tos) == 0 {
			if !h.bare && h.host != "" && !r.outside[h.host] && net.ParseIP(h.host) == nil && from != nil && !strings.Contains(h.host, ".") {
				from.notes = append(from.notes, fmt.Sprintf("%s names host %s, which is no component of the input: no call", evidence, h.host))
			}
			if !h.bare && h.host != "" {
				any = true
			}
			continue
		}
		for _, to := range tos {
			if to != from {
				f.add(to, evidence+how)
				any = true
			}
		}
	}
	return any
}

// scanCommand scans command-line arguments: URLs and host:port anywhere, a
// lone word after a flag that names an address (-h edge-router, --host db,
// -addr geo:8083), and flag=value forms (--db=db:5432).
func (r *resolver) scanCommand(f found, from *component, ns string, args []string, evidence string) bool {
	any := false
	for i, a := range args {
		address := false
		if i > 0 && strings.HasPrefix(args[i-1], "-") && !strings.Contains(args[i-1], "=") {
			address = addressWord(strings.TrimLeft(args[i-1], "-"))
		}
		val := a
		if strings.HasPrefix(a, "-") {
			k, v, ok := strings.Cut(strings.TrimLeft(a, "-"), "=")
			if !ok {
				continue
			}
			val, address = v, addressWord(k)
		}
		if r.scanInto(f, from, ns, val, address, fmt.Sprintf("%s[%d]", evidence, i)) {
			any = true
		}
	}
	return any
}

// evidenceLines writes a component's calls with their evidence, sorted.
func evidenceLines(c *component) []string {
	var out []string
	for _, to := range slices.SortedFunc(maps.Keys(c.evidence), func(a, b *component) int { return strings.Compare(a.addr(), b.addr()) }) {
		ev := slices.Clone(c.evidence[to])
		slices.Sort(ev)
		out = append(out, fmt.Sprintf("%s -> %s: %s", c.addr(), to.addr(), strings.Join(ev, "; ")))
	}
	return out
}

// secretSetting reports whether a key holds a secret whose value the
// import must not read: a credential's name (PASSWORD, API_KEY, TOKEN) that
// is not also an address's (accessTokenUri, AUTH_SERVER_URL).
func secretSetting(key string) bool {
	return secretKey(key) && !addressWord(key)
}
