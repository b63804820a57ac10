package importer

import (
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/archform/archform/internal/credential"
	"github.com/archform/archform/lang"
)

// guess is what an image says about the component that runs it.
type guess struct {
	kind   lang.Kind
	engine string
}

// images maps an image repository word (a path segment of the image name, or
// its leading word: "postgresql-repmgr" → "postgresql") to its kind and
// engine.
var images = map[string]guess{
	"postgres":      {lang.KindDatabase, "postgres"},
	"postgresql":    {lang.KindDatabase, "postgres"},
	"postgis":       {lang.KindDatabase, "postgres"},
	"timescaledb":   {lang.KindDatabase, "postgres"},
	"mysql":         {lang.KindDatabase, "mysql"},
	"mariadb":       {lang.KindDatabase, "mariadb"},
	"mongo":         {lang.KindDatabase, "mongodb"},
	"mongodb":       {lang.KindDatabase, "mongodb"},
	"mssql":         {lang.KindDatabase, "sqlserver"},
	"sqlserver":     {lang.KindDatabase, "sqlserver"},
	"cockroach":     {lang.KindDatabase, "cockroachdb"},
	"cassandra":     {lang.KindDatabase, "cassandra"},
	"scylla":        {lang.KindDatabase, "scylladb"},
	"neo4j":         {lang.KindDatabase, "neo4j"},
	"etcd":          {lang.KindDatabase, "etcd"},
	"zookeeper":     {lang.KindDatabase, "zookeeper"},
	"consul":        {lang.KindService, ""}, // a service registry: role discovery
	"couchdb":       {lang.KindDatabase, "couchdb"},
	"redis":         {lang.KindCache, "redis"},
	"memcached":     {lang.KindCache, "memcached"},
	"valkey":        {lang.KindCache, "valkey"},
	"dragonfly":     {lang.KindCache, "dragonfly"},
	"kafka":         {lang.KindQueue, "kafka"},
	"redpanda":      {lang.KindQueue, "kafka"},
	"rabbitmq":      {lang.KindQueue, "rabbitmq"},
	"nats":          {lang.KindQueue, "nats"},
	"pulsar":        {lang.KindQueue, "pulsar"},
	"nginx":         {lang.KindLoadBalancer, ""},
	"openresty":     {lang.KindLoadBalancer, ""},
	"kong":          {lang.KindGateway, ""},
	"krakend":       {lang.KindGateway, ""},
	"apisix":        {lang.KindGateway, ""},
	"tyk":           {lang.KindGateway, ""},
	"haproxy":       {lang.KindLoadBalancer, ""},
	"traefik":       {lang.KindLoadBalancer, ""},
	"envoy":         {lang.KindLoadBalancer, ""},
	"elasticsearch": {lang.KindSearch, "elasticsearch"},
	"opensearch":    {lang.KindSearch, "opensearch"},
	"solr":          {lang.KindSearch, "solr"},
	"minio":         {lang.KindStorage, "minio"},
}

// classify tells a component's kind and engine from its image: a service
// when nothing matches. The repository's last segment is tried first
// ("bitnami/redis"), then the others ("mcr.microsoft.com/mssql/server").
func classify(image string) (guess, bool) {
	repo := image
	if i := strings.Index(repo, "@"); i >= 0 {
		repo = repo[:i]
	}
	if i := strings.LastIndex(repo, ":"); i > strings.LastIndex(repo, "/") {
		repo = repo[:i]
	}
	segs := strings.Split(strings.ToLower(repo), "/")
	if len(segs) > 1 && strings.ContainsAny(segs[0], ".:") {
		segs = segs[1:] // the registry host
	}
	for i := len(segs) - 1; i >= 0; i-- {
		seg := segs[i]
		if g, ok := images[seg]; ok {
			return g, true
		}
		// The image's leading word (postgresql-repmgr, redis-stack), or
		// Confluent's cp- prefix (cp-kafka); not any word (etl-kafka is an
		// application that uses Kafka).
		words := strings.FieldsFunc(seg, func(r rune) bool { return r == '-' || r == '_' || r == '.' })
		if len(words) > 1 && words[0] == "cp" {
			words = words[1:]
		}
		if len(words) > 0 {
			if g, ok := images[words[0]]; ok {
				return g, true
			}
		}
	}
	return guess{kind: lang.KindService}, false
}

// notEngineWords in an image's name say it is a tool around an engine, not
// the engine (postgres-exporter, mongo-express, redis-commander).
var notEngineWords = map[string]bool{"exporter": true, "express": true, "commander": true, "admin": true,
	"ui": true, "client": true, "backup": true, "operator": true, "proxy": true, "insight": true,
	"sidecar": true, "cli": true, "connect": true, "manager": true, "web": true, "gui": true}

// classifyService tells a Compose service's kind: from its image
// (classify), else from a datastore engine named anywhere in its image's or
// its own name (rs-mongodb, piggymetrics-mongodb, a service named mysql),
// else a name ending in db or database (catalogue-db) is a database whose
// engine the input does not say.
func classifyService(image, name string) (guess, bool) {
	if g, ok := classify(image); ok {
		return g, true
	}
	for _, n := range []string{image, name} {
		repo := strings.ToLower(n)
		if i := strings.LastIndex(repo, ":"); i > strings.LastIndex(repo, "/") {
			repo = repo[:i]
		}
		repo = repo[strings.LastIndex(repo, "/")+1:]
		words := strings.FieldsFunc(repo, func(r rune) bool { return r == '-' || r == '_' || r == '.' })
		tool := false
		for _, w := range words {
			tool = tool || notEngineWords[w]
		}
		if tool {
			continue
		}
		for _, w := range words {
			if g, ok := images[w]; ok && (g.kind == lang.KindDatabase || g.kind == lang.KindCache) {
				return g, true
			}
		}
		if len(words) > 1 && (words[len(words)-1] == "db" || words[len(words)-1] == "database") {
			return guess{kind: lang.KindDatabase}, true
		}
	}
	return guess{kind: lang.KindService}, false
}

// roleWords are the words of an image's or a service's name that say the
// component is off user flows, by role.
var roleWords = map[string]string{
	"jaeger": "telemetry", "jaegertracing": "telemetry", "zipkin": "telemetry", "otel": "telemetry",
	"opentelemetry": "telemetry", "otelcol": "telemetry", "prometheus": "telemetry", "grafana": "telemetry",
	"loki": "telemetry", "tempo": "telemetry", "promtail": "telemetry", "seq": "telemetry",
	"alertmanager": "telemetry", "nodeexporter": "telemetry", "exporter": "telemetry", "cadvisor": "telemetry",
	"kibana": "telemetry", "logstash": "telemetry", "fluentd": "telemetry", "fluent": "telemetry",
	"datadog": "telemetry", "statsd": "telemetry", "graphite": "telemetry", "turbine": "telemetry",
	"hystrix": "telemetry", "tracing": "telemetry", "monitoring": "telemetry", "metrics": "telemetry",
	"victoriametrics": "telemetry", "signoz": "telemetry", "log": "telemetry", "logs": "telemetry",
	"consul": "discovery", "eureka": "discovery", "discovery": "discovery", "registry": "discovery",
	"config": "config", "configserver": "config",
	"admin": "admin", "pgadmin": "admin", "adminer": "admin", "phpmyadmin": "admin",
	"commander": "admin", "webstatus": "admin", "status": "admin", "dashboard": "admin", "portainer": "admin",
	"healthchecks": "admin", "kafdrop": "admin",
}

// roleOf tells a component's role from its image's repository name and its
// own name: "" for an application. A word counts alone (zipkin,
// tracing-server, admin-server); "config" and "registry" only as a
// service's whole name or before server/service (config, config-server,
// registry), as they are common words.
func roleOf(image, name string) string {
	var words []string
	repo := strings.ToLower(image)
	if i := strings.LastIndex(repo, ":"); i > strings.LastIndex(repo, "/") {
		repo = repo[:i]
	}
	split := func(s string) []string {
		return strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '_' || r == '.' || r == '/' })
	}
	segs := split(repo)
	if len(segs) > 0 && repo != "registry" { // the Docker registry image is storage
		words = append(words, segs...)
	}
	nameWords := split(strings.ToLower(name))
	words = append(words, nameWords...)
	for _, w := range words {
		r := roleWords[w]
		if r == "" || w == "config" || w == "registry" || w == "log" || w == "logs" || w == "status" {
			continue
		}
		return r
	}
	// Common words only as the name's head: config, config-server,
	// registry, log-server.
	if len(nameWords) > 0 && (len(nameWords) == 1 || nameWords[1] == "server" || nameWords[1] == "service" || nameWords[1] == "svc") {
		if r := roleWords[nameWords[0]]; r != "" {
			return r
		}
	}
	return ""
}

// secretKey reports whether an environment variable's name looks like it
// holds a credential (MYSQL_ROOT_PASSWORD, API_KEY, GITHUB_TOKEN,
// WEBPASSWORD): package credential decides.
func secretKey(name string) bool { return credential.Named(name) }

// redactArgs returns a command with every credential in its arguments
// replaced by $(VAR), VAR being a variable the component reads from a
// secret (Kubernetes expands $(VAR) in a container's command and args from
// its environment), and says so. The value is never copied.
func redactArgs(d *design, c *component, args []string) []string {
	ms := credential.FindArgs(args)
	if len(ms) == 0 {
		return args
	}
	out := slices.Clone(args)
	byArg := map[int][]credential.Match{}
	for _, m := range ms {
		byArg[m.Index] = append(byArg[m.Index], m.Match)
	}
	var vars []string
	for _, i := range slices.Sorted(maps.Keys(byArg)) {
		out[i] = credential.Replace(args[i], byArg[i], func(j int) string {
			name := fmt.Sprintf("ARG%d_SECRET", i)
			if j > 0 {
				name = fmt.Sprintf("ARG%d_SECRET_%d", i, j)
			}
			setSecret(c, name, secretRef(c.name, name))
			vars = append(vars, name)
			return "$(" + name + ")"
		})
	}
	d.guess("%s: the command holds credentials (%s): not copied; written as $(%s), read from the secrets its secrets name",
		c.addr(), whatOf(ms), strings.Join(vars, "), $("))
	return out
}

// redactCommand replaces the credentials in a component's entrypoint and
// command (read as one command line, as the container runs them).
func redactCommand(d *design, c *component) {
	if len(c.entrypoint)+len(c.command) == 0 {
		return
	}
	n := len(c.entrypoint)
	out := redactArgs(d, c, append(slices.Clone(c.entrypoint), c.command...))
	if c.entrypoint != nil {
		c.entrypoint = out[:n:n]
	}
	if len(c.command) > 0 {
		c.command = out[n:]
	}
}

// redactText returns s with every credential in it replaced by "***", for
// notes that quote the input.
func redactText(s string) string {
	return credential.Replace(s, credential.FindAll("", s), func(int) string { return "***" })
}

// whatOf lists what the matches found, without their values.
func whatOf(ms []credential.ArgMatch) string {
	var out []string
	for _, m := range ms {
		if !slices.Contains(out, m.What) {
			out = append(out, m.What)
		}
	}
	return strings.Join(out, "; ")
}

// secretRef names the secret an environment variable of a component reads:
// "<component>-credentials/<VARIABLE>". Emit turns the name into a DNS label;
// a variable's name is a valid Kubernetes secret key.
func secretRef(component, env string) string {
	return component + "-credentials/" + noSlash(env)
}

// noSlash keeps s usable as one part of a "name/key" secret reference.
func noSlash(s string) string { return strings.ReplaceAll(s, "/", "-") }

// urlProbe reads the path and port of an HTTP health check URL; the port is
// 0 when the URL leaves it to the scheme.
func urlProbe(raw string) (path string, port int) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "", 0
	}
	path = u.EscapedPath()
	if path == "" || !strings.HasPrefix(path, "/") {
		path = "/"
	}
	if p, err := strconv.Atoi(u.Port()); err == nil && p > 0 && p < 65536 {
		port = p
	}
	return path, port
}
