package importer

import (
	"net/url"
	"strconv"
	"strings"

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
	"consul":        {lang.KindDatabase, "consul"},
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

// secretWords are the words of an environment variable's name that say its
// value is a credential.
var secretWords = map[string]bool{
	"PASSWORD": true, "PASSWD": true, "PASS": true, "PWD": true, "PW": true,
	"SECRET": true, "SECRETS": true, "TOKEN": true, "KEY": true, "APIKEY": true,
	"CREDENTIAL": true, "CREDENTIALS": true, "AUTH": true,
	"DSN": true,
}

// secretKey reports whether an environment variable's name looks like it
// holds a credential (MYSQL_ROOT_PASSWORD, API_KEY, GITHUB_TOKEN,
// WEBPASSWORD).
func secretKey(name string) bool {
	upper := strings.ToUpper(name)
	for _, w := range strings.FieldsFunc(upper, func(r rune) bool { return r == '_' || r == '-' || r == '.' }) {
		if secretWords[w] {
			return true
		}
	}
	for _, w := range []string{"PASSWORD", "PASSWD", "SECRET", "TOKEN", "APIKEY", "ACCESSKEY"} {
		if strings.Contains(upper, w) {
			return true
		}
	}
	return false
}

// secretValue reports whether a value carries a credential whatever its
// name: a URL with a password (mysql://root:pw@db/x) or a private key.
func secretValue(v string) bool {
	if strings.Contains(v, "-----BEGIN") {
		return true
	}
	if u, err := url.Parse(v); err == nil && u.User != nil {
		if _, ok := u.User.Password(); ok {
			return true
		}
	}
	return false
}

// secretRef names the secret an environment variable of a component reads:
// "<component>-credentials/<VARIABLE>". Emit turns the name into a DNS label;
// a variable's name is a valid Kubernetes secret key.
func secretRef(component, env string) string {
	return component + "-credentials/" + noSlash(env)
}

// noSlash keeps s usable as one part of a "name/key" secret reference.
func noSlash(s string) string { return strings.ReplaceAll(s, "/", "-") }

// hosts returns the host names a configuration value names: a URL's host
// (http://cart:8080/x, mysql://u:p@db:3306/d), host:port (cart:7070), a
// bare host, or several of these separated by commas or spaces
// (kafka-0:9092,kafka-1:9092).
func hosts(v string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		if strings.Contains(part, "://") {
			if u, err := url.Parse(part); err == nil && u.Hostname() != "" {
				out = append(out, u.Hostname())
			}
			continue
		}
		host := part
		if h, port, ok := strings.Cut(part, ":"); ok {
			if _, err := strconv.Atoi(port); err != nil {
				continue
			}
			host = h
		}
		if h, _, ok := strings.Cut(host, "/"); ok {
			host = h
		}
		out = append(out, host)
	}
	return out
}

// lookupHost finds the component a host name stands for: the name itself or
// its first DNS label (cart.shop.svc.cluster.local → cart).
func lookupHost(host string, byName map[string]*component) *component {
	host = strings.ToLower(host)
	if c := byName[host]; c != nil {
		return c
	}
	if first, _, ok := strings.Cut(host, "."); ok {
		return byName[first]
	}
	return nil
}

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
