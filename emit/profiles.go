package emit

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// A profile is what one image does at run time, read from its Dockerfile
// and entrypoint rather than assumed: the user it runs as, every path it
// writes, how it takes its configuration, the ports members of a cluster
// use between each other, the programs a health check can run inside it and
// how it sizes its memory. Both targets read this table: Kubernetes mounts a
// writable volume over exactly the paths written (seeding those that hold the
// image's own files), picks the user and sizes the JVM; Compose picks health
// checks the image can run and sizes the JVM. Sources cite, by repository
// and path, the file each fact was read from.
type profile struct {
	Name string
	// Repos are the image repositories (the image without its tag) the
	// profile describes.
	Repos []string
	// User is the image's own user id: its USER, or the user its
	// entrypoint steps down to (0: root).
	User int64
	// AnyUser says the image runs as any non-root user once the paths it
	// writes are writable; archform then keeps its own unprivileged id.
	AnyUser bool
	// Root says the image must start as root: its entrypoint rewrites files
	// of the image and starts a supervisor. The root filesystem then stays
	// writable and the manifest says why.
	Root bool
	// Writes lists every path the image writes when it starts and runs.
	Writes []written
	// Config says how the image takes its configuration.
	Config string
	// Peers are the ports members of a cluster use between each other, on
	// every listener they use.
	Peers []peer
	// Tools are the programs in the image a health check may run.
	Tools []string
	// Memory is how the process sizes its memory (nil: from the cgroup
	// limit, nothing to set).
	Memory *memoryModel
	// Env is the environment the image needs to run as archform deploys it,
	// KubeEnv what it needs on Kubernetes only (non-root, no capabilities);
	// Why says why, for the comment in the manifest.
	Env, KubeEnv map[string]string
	Why          []string
	// Sources cite the files the facts come from: "owner/repo path: fact".
	Sources []string
}

// written is a path an image writes.
type written struct {
	Path string
	// Seed says the image ships files there that it needs too (its default
	// configuration): an init container copies them into the writable
	// volume before the engine starts.
	Seed bool
	// Why names what writes there, for the comment in the manifest.
	Why string
}

// peer is a port members of a cluster talk to each other on.
type peer struct {
	Port  int
	Proto string // "TCP" or "UDP"
}

// memoryModel is how a process sizes its memory and how archform sets it.
type memoryModel struct {
	// Kind is "jvm" (heap plus direct memory) or "native".
	Kind string
	// Read returns the heap and direct memory (bytes) the environment sets;
	// set is false when it sets no heap.
	Read func(env map[string]string) (heap, direct int64, set bool)
	// Default returns the heap and direct memory the process takes with
	// nothing set, given the container limit (bytes; 0 for none).
	Default func(limit int64) (heap, direct int64)
	// Set returns the environment that sizes heap and direct memory.
	Set func(heap, direct int64) map[string]string
}

const mib = 1 << 20

// sized returns the heap and direct memory archform gives a process with
// the container limit: half the limit for the heap, a quarter for direct
// memory, the rest for the JVM's own (metaspace, threads, code cache) and
// the page cache. Elasticsearch's guidance ("no more than 50% of the
// memory") is the model.
func sized(limit int64) (heap, direct int64) {
	return limit / 2 / mib * mib, limit / 4 / mib * mib
}

var (
	xmx       = regexp.MustCompile(`-Xmx(\d+)([kKmMgGtT]?)\b`)
	maxDirect = regexp.MustCompile(`-XX:MaxDirectMemorySize=(\d+)([kKmMgGtT]?)\b`)
)

// javaBytes reads a JVM size ("31g", "512m", "1024").
func javaBytes(num, unit string) int64 {
	n, _ := strconv.ParseInt(num, 10, 64)
	switch strings.ToLower(unit) {
	case "k":
		return n << 10
	case "m":
		return n << 20
	case "g":
		return n << 30
	case "t":
		return n << 40
	}
	return n
}

var sizeValue = regexp.MustCompile(`^(\d+)([kKmMgGtT]?)$`)

// sizeVar reads a variable holding one size ("8G", "512m").
func sizeVar(env map[string]string, name string) (int64, bool) {
	m := sizeValue.FindStringSubmatch(env[name])
	if m == nil {
		return 0, false
	}
	return javaBytes(m[1], m[2]), true
}

// jvmOpts is the memory model of an image that passes one variable of JVM
// options to java; directOfHeap is the direct memory the process gets when
// only the heap is set (the JVM's default is the heap size).
func jvmOpts(name string, defaultHeap, defaultDirect func(limit int64) int64, directOfHeap func(int64) int64) *memoryModel {
	return &memoryModel{
		Kind: "jvm",
		Read: func(env map[string]string) (int64, int64, bool) {
			v, ok := env[name]
			if !ok {
				return 0, 0, false
			}
			m := xmx.FindAllStringSubmatch(v, -1)
			if len(m) == 0 {
				return 0, 0, false
			}
			last := m[len(m)-1]
			heap := javaBytes(last[1], last[2])
			direct := directOfHeap(heap)
			if d := maxDirect.FindAllStringSubmatch(v, -1); len(d) > 0 {
				direct = javaBytes(d[len(d)-1][1], d[len(d)-1][2])
			}
			return heap, direct, true
		},
		Default: func(limit int64) (int64, int64) { return defaultHeap(limit), defaultDirect(limit) },
		Set: func(heap, direct int64) map[string]string {
			return map[string]string{name: fmt.Sprintf("-Xms%dm -Xmx%dm -XX:MaxDirectMemorySize=%dm", heap/mib, heap/mib, direct/mib)}
		},
	}
}

func fixed(n int64) func(int64) int64   { return func(int64) int64 { return n } }
func share(f float64) func(int64) int64 { return func(l int64) int64 { return int64(float64(l) * f) } }
func same(h int64) int64                { return h }
func half(h int64) int64                { return h / 2 }

// Paths written by more than one image.
var tmp = written{Path: "/tmp", Why: "temporary files (mktemp in the entrypoints, the JVM's hsperfdata)"}

// profiles is the table. Keep it sorted by Name.
var profiles = []*profile{
	{
		Name: "cassandra", Repos: []string{"cassandra"}, User: 999, AnyUser: true,
		Writes: []written{tmp,
			{Path: "/etc/cassandra", Seed: true, Why: "the entrypoint rewrites cassandra.yaml in place (seeds, listen and broadcast addresses)"},
			{Path: "/var/lib/cassandra", Why: "data, commit log, saved caches"},
			{Path: "/var/log/cassandra", Why: "system.log and gc.log ($CASSANDRA_HOME/logs links here)"}},
		Config: "environment (CASSANDRA_* variables the entrypoint writes into cassandra.yaml)",
		Peers:  []peer{{7000, "TCP"}},
		Tools:  []string{"sh", "bash", "grep", "nodetool", "cqlsh"},
		Memory: &memoryModel{Kind: "jvm",
			Read: func(env map[string]string) (int64, int64, bool) {
				heap, ok := sizeVar(env, "MAX_HEAP_SIZE")
				if !ok {
					return 0, 0, false
				}
				direct := heap
				if d := maxDirect.FindStringSubmatch(env["JVM_EXTRA_OPTS"]); d != nil {
					direct = javaBytes(d[1], d[2])
				}
				return heap, direct, true
			},
			// cassandra-env.sh: max(min(1/2 ram, 1G), min(1/4 ram, 8G)) of
			// the machine's memory as `free` reports it, not the cgroup's.
			Default: func(limit int64) (int64, int64) { return 8 << 30, 8 << 30 },
			Set: func(heap, direct int64) map[string]string {
				return map[string]string{"MAX_HEAP_SIZE": fmt.Sprintf("%dM", heap/mib), "HEAP_NEWSIZE": fmt.Sprintf("%dM", heap/4/mib),
					"JVM_EXTRA_OPTS": fmt.Sprintf("-XX:MaxDirectMemorySize=%dm", direct/mib)}
			}},
		Sources: []string{
			"docker-library/cassandra 5.0/Dockerfile: eclipse-temurin (Ubuntu: sh, bash, grep) base; user cassandra uid 999; $CASSANDRA_CONF=/etc/cassandra, /var/lib/cassandra and /var/log/cassandra chmod 1777 (any user); EXPOSE 7000 (intra-node) 9042 (CQL)",
			"docker-library/cassandra docker-entrypoint.sh: steps down with gosu only when root; _sed-in-place rewrites $CASSANDRA_CONF/cassandra.yaml through mktemp",
			"apache/cassandra conf/cassandra-env.sh: heap from `free -m` unless MAX_HEAP_SIZE and HEAP_NEWSIZE are set together; JVM_EXTRA_OPTS appended to the JVM options",
		},
	},
	{
		Name: "cockroachdb", Repos: []string{"cockroachdb/cockroach"}, User: 0, AnyUser: true,
		Writes: []written{tmp, {Path: "/cockroach/cockroach-data", Why: "data"}},
		Config: "arguments", Tools: []string{"sh", "bash", "cockroach"},
		Sources: []string{"cockroachdb/cockroach build/deploy/Dockerfile: ubi-minimal base (bash; no curl or wget), /cockroach/cockroach in PATH, no USER (root by default); EXPOSE 26257 8080"},
	},
	{
		Name: "consul", Repos: []string{"hashicorp/consul"}, User: 100, AnyUser: true,
		Writes: []written{tmp, {Path: "/consul/data", Why: "raft and serf state"},
			{Path: "/consul/config", Why: "the entrypoint writes $CONSUL_LOCAL_CONFIG to local.json"}},
		Config:  "arguments (agent flags) and /consul/config",
		Peers:   []peer{{8300, "TCP"}, {8301, "TCP"}, {8301, "UDP"}, {8302, "TCP"}, {8302, "UDP"}},
		Tools:   []string{"sh", "consul", "wget", "curl"},
		KubeEnv: map[string]string{"CONSUL_DISABLE_PERM_MGMT": "true"},
		Why: []string{"CONSUL_DISABLE_PERM_MGMT: the entrypoint otherwise chowns /consul/data and /consul/config and su-execs to consul, " +
			"which a non-root container with no capabilities cannot do; the volumes are writable through fsGroup instead"},
		Sources: []string{
			"hashicorp/consul .release/docker/docker-entrypoint.sh: unless CONSUL_DISABLE_PERM_MGMT is set, chown of $CONSUL_DATA_DIR and $CONSUL_CONFIG_DIR and su-exec ${CONSUL_UID}; CONSUL_LOCAL_CONFIG written to $CONSUL_CONFIG_DIR/local.json",
			"hashicorp/consul Dockerfile: alpine (busybox sh and wget) with curl; system user consul (uid 100 in the UBI image); /consul/data and /consul/config owned by consul; EXPOSE 8300, 8301 and 8302 over TCP and UDP, 8500, 8600",
		},
	},
	{
		Name: "elasticsearch", Repos: []string{"docker.elastic.co/elasticsearch/elasticsearch", "elasticsearch"}, User: 1000, AnyUser: true,
		Writes: []written{tmp,
			{Path: "/usr/share/elasticsearch/config", Seed: true, Why: "the entrypoint creates elasticsearch.keystore there when ELASTIC_PASSWORD is set"},
			{Path: "/usr/share/elasticsearch/data", Why: "data"},
			{Path: "/usr/share/elasticsearch/logs", Why: "logs"}},
		Config: "environment (each `a.b=c` variable becomes -Ea.b=c) and ES_JAVA_OPTS",
		Peers:  []peer{{9300, "TCP"}},
		Tools:  []string{"sh", "bash", "curl"},
		Memory: jvmOpts("ES_JAVA_OPTS", share(0.5), share(0.25), half),
		Env:    map[string]string{"node.store.allow_mmap": "false"},
		Why: []string{"node.store.allow_mmap=false: with discovery other than single-node the vm.max_map_count bootstrap check is enforced, " +
			"and raising it needs a privileged init container; without mmap the check does not apply. Set vm.max_map_count=262144 on the nodes and " +
			"node.store.allow_mmap=true in the design's env to use mmap"},
		Sources: []string{
			"elastic/elasticsearch distribution/docker/src/docker/bin/docker-entrypoint.sh: env `a.b=c` becomes -Ea.b=c; with ELASTIC_PASSWORD(_FILE) it runs elasticsearch-keystore create (config dir); runs as the current user unless root (then uid 1000)",
			"elastic/elasticsearch distribution/docker/src/docker/Dockerfile: uid 1000 gid 0, /usr/share/elasticsearch/{config,data,logs} group-writable; curl installed; EXPOSE 9200 9300",
			"elastic/elasticsearch server/src/main/java/org/elasticsearch/bootstrap/BootstrapChecks.java: the max map count check is skipped when node.store.allow_mmap is false",
			"elastic/elasticsearch distribution/tools/server-cli/src/main/java/org/elasticsearch/server/cli/JvmErgonomics.java: -XX:MaxDirectMemorySize defaults to half the heap",
		},
	},
	{
		Name: "envoy", Repos: []string{"envoyproxy/envoy"}, User: 101, AnyUser: true,
		Writes: []written{tmp},
		Config: "a file (-c /etc/envoy/envoy.yaml)",
		Tools:  []string{"sh", "bash", "envoy"},
		Sources: []string{
			"envoyproxy/envoy ci/Dockerfile-envoy: ubuntu base with only ca-certificates installed (no curl, no wget; bash from the base); adduser --system envoy",
			"envoyproxy/envoy ci/docker-entrypoint.sh: execs envoy as the current user",
		},
	},
	{
		Name: "etcd", Repos: []string{"quay.io/coreos/etcd", "gcr.io/etcd-development/etcd"}, User: 0, AnyUser: true,
		Writes: []written{{Path: "/etcd-data", Why: "data (--data-dir)"}},
		Config: "arguments", Peers: []peer{{2380, "TCP"}},
		Tools:   []string{"etcd", "etcdctl"},
		Sources: []string{"etcd-io/etcd Dockerfile: distroless static base (no shell), etcd and etcdctl in /usr/local/bin; EXPOSE 2379 2380"},
	},
	{
		Name: "haproxy", Repos: []string{"haproxy"}, User: 99, AnyUser: true,
		Writes:  []written{tmp},
		Config:  "a file (/usr/local/etc/haproxy/haproxy.cfg)",
		Tools:   []string{"sh", "haproxy", "wget"},
		Sources: []string{"docker-library/haproxy 3.2/alpine/Dockerfile: user haproxy uid 99, USER haproxy; alpine (busybox sh and wget); no setcap: ports below 1024 need net.ipv4.ip_unprivileged_port_start (docker-library/haproxy issue 200)"},
	},
	{
		Name: "kafka", Repos: []string{"apache/kafka"}, User: 1000, AnyUser: true,
		Writes: []written{tmp,
			{Path: "/opt/kafka/config", Seed: true, Why: "the configure script checks it is writable (exit 1) and writes server.properties and the log4j files there"},
			{Path: "/opt/kafka/logs", Why: "server and controller logs ($LOG_DIR)"},
			{Path: "/var/lib/kafka/data", Why: "log segments (KAFKA_LOG_DIRS)"}},
		Config: "environment (KAFKA_* variables rendered into server.properties)",
		Peers:  []peer{{9092, "TCP"}, {9093, "TCP"}},
		Tools:  []string{"sh", "bash", "/opt/kafka/bin/kafka-broker-api-versions.sh"},
		Memory: jvmOpts("KAFKA_HEAP_OPTS", fixed(1<<30), fixed(1<<30), same),
		Sources: []string{
			"apache/kafka docker/jvm/Dockerfile: eclipse-temurin alpine, adduser appuser (uid 1000); /opt/kafka, /var/lib/kafka chowned and group-writable; VOLUME /var/lib/kafka/data",
			"apache/kafka docker/resources/common-scripts/configure: `path /opt/kafka/config/ writable` (exit 1 when not), copies log4j files and writes server.properties there",
			"apache/kafka bin/kafka-server-start.sh: KAFKA_HEAP_OPTS defaults to -Xmx1G -Xms1G (direct memory then defaults to the heap size)",
		},
	},
	{
		Name: "kong", Repos: []string{"kong", "kong/kong-gateway"}, User: 1000, AnyUser: true,
		Writes:  []written{tmp, {Path: "/usr/local/kong", Why: "$KONG_PREFIX: the nginx configuration kong prepare renders, pids, sockets, logs"}},
		Config:  "environment (KONG_* variables) or a declarative file",
		Tools:   []string{"sh", "bash", "kong"},
		Sources: []string{"Kong/docker-kong Dockerfile.deb: debian base; /usr/local/kong (KONG_PREFIX) chowned kong:0; curl purged after the install; USER kong; HEALTHCHECK CMD kong health"},
	},
	{
		Name: "mariadb", Repos: []string{"mariadb"}, User: 999, AnyUser: true,
		Writes: []written{tmp, {Path: "/var/lib/mysql", Why: "data"}, {Path: "/run/mysqld", Why: "socket and pid file"}},
		Config: "environment (MARIADB_*) and /etc/mysql/conf.d",
		Tools:  []string{"sh", "bash", "healthcheck.sh", "mariadb-admin"},
		Sources: []string{"MariaDB/mariadb-docker 11.8/Dockerfile: ubuntu base; system user mysql (useradd -r: no fixed uid); /run/mysqld chmod 1777 \"writable regardless of the UID\"; VOLUME /var/lib/mysql; healthcheck.sh in /usr/local/bin",
			"MariaDB/mariadb-docker 11.8/docker-entrypoint.sh: steps down with gosu only when root; runs as the current user otherwise"},
	},
	{
		Name: "memcached", Repos: []string{"memcached"}, User: 11211, AnyUser: true,
		Config: "arguments", Tools: []string{"sh", "memcached"},
		Sources: []string{"docker-library/memcached 1/alpine/Dockerfile: adduser -u 11211 memcache, USER memcache; no VOLUME, nothing written"},
	},
	{
		Name: "minio", Repos: []string{"minio/minio"}, User: 0, AnyUser: true,
		Writes: []written{tmp, {Path: "/data", Why: "objects"}, {Path: "/.mc", Why: "mc's configuration ($HOME/.mc with HOME=/) when the health check runs mc ready"}},
		Config: "arguments and environment (MINIO_*)", Tools: []string{"sh", "bash", "curl", "minio", "mc"},
		Sources: []string{"minio/minio Dockerfile.release: ubi-minimal base with curl; minio and mc in /opt/bin (chmod 777); no USER (root by default); VOLUME /data"},
	},
	{
		Name: "mongodb", Repos: []string{"mongo"}, User: 999, AnyUser: true,
		Writes: []written{tmp, {Path: "/data/db", Why: "data"}, {Path: "/data/configdb", Why: "config server data"}},
		Config: "environment (MONGO_INITDB_*) and arguments", Tools: []string{"sh", "bash", "mongosh"},
		Sources: []string{"docker-library/mongo 8.0/Dockerfile: user mongodb uid 999; VOLUME /data/db /data/configdb; mongosh installed",
			"docker-library/mongo 8.0/docker-entrypoint.sh: chown and gosu only when root; init scripts through mktemp"},
	},
	{
		Name: "mysql", Repos: []string{"mysql"}, User: 999, AnyUser: true,
		Writes: []written{tmp, {Path: "/var/lib/mysql", Why: "data"}, {Path: "/var/run/mysqld", Why: "socket and pid file"}},
		Config: "environment (MYSQL_*) and /etc/mysql/conf.d", Tools: []string{"sh", "bash", "mysqladmin"},
		Sources: []string{"docker-library/mysql 8.4/Dockerfile.oracle: useradd --uid 999 mysql; /var/lib/mysql and /var/run/mysqld chmod 1777 (\"writable regardless of the UID\"); the socket moved to /var/run/mysqld; mysql client tools installed",
			"docker-library/mysql 8.4/docker-entrypoint.sh: steps down with gosu only when root"},
	},
	{
		Name: "nats", Repos: []string{"nats"}, User: 0, AnyUser: true,
		Writes: []written{{Path: "/data", Why: "JetStream store (-sd)"}},
		Config: "arguments", Peers: []peer{{6222, "TCP"}},
		Tools:   []string{"sh", "wget", "nats-server"},
		Sources: []string{"nats-io/nats-docker 2.11.x/alpine3.22/Dockerfile: alpine (busybox sh and wget) with nats-server; no USER (root, any user works); EXPOSE 4222 8222 6222"},
	},
	{
		Name: "neo4j", Repos: []string{"neo4j"}, User: 7474, AnyUser: true,
		Writes: []written{tmp,
			{Path: "/var/lib/neo4j/conf", Seed: true, Why: "the entrypoint appends every NEO4J_* setting to neo4j.conf"},
			{Path: "/var/lib/neo4j/run", Why: "neo4j.pid"},
			{Path: "/data", Why: "databases and transaction logs"},
			{Path: "/logs", Why: "logs"}},
		Config: "environment (NEO4J_* variables written into neo4j.conf)",
		Tools:  []string{"sh", "bash", "wget", "cypher-shell", "neo4j"},
		Memory: &memoryModel{Kind: "jvm",
			Read: func(env map[string]string) (int64, int64, bool) {
				heap, ok := sizeVar(env, "NEO4J_server_memory_heap_max__size")
				if !ok {
					return 0, 0, false
				}
				cache, ok := sizeVar(env, "NEO4J_server_memory_pagecache_size")
				if !ok {
					cache = 512 * mib
				}
				return heap, cache, true
			},
			// The JVM's default heap (a quarter of the limit) and the page
			// cache the entrypoint sets (512M).
			Default: func(limit int64) (int64, int64) { return limit / 4, 512 * mib },
			Set: func(heap, direct int64) map[string]string {
				return map[string]string{"NEO4J_server_memory_heap_max__size": fmt.Sprintf("%dm", heap/mib),
					"NEO4J_server_memory_heap_initial__size": fmt.Sprintf("%dm", heap/mib),
					"NEO4J_server_memory_pagecache_size":     fmt.Sprintf("%dm", direct/mib)}
			}},
		Sources: []string{
			"neo4j/docker-neo4j docker-image-src/2024/coredb/docker-entrypoint.sh: runs as the current user when not root; /data and /logs must be writable; add_env_setting_to_conf appends to ${NEO4J_HOME}/conf/neo4j.conf; removes ${NEO4J_HOME}/run/neo4j.pid; server.memory.pagecache.size defaults to 512M",
			"neo4j/docker-neo4j docker-image-src/2024/coredb/Dockerfile-debian: user neo4j uid 7474, NEO4J_HOME=/var/lib/neo4j; wget installed",
		},
	},
	{
		Name: "nginx", Repos: []string{"nginx", "nginxinc/nginx-unprivileged"}, User: 101, AnyUser: true,
		Writes: []written{tmp, {Path: "/var/cache/nginx", Why: "proxy and client body temp files"}, {Path: "/var/run", Why: "nginx.pid"},
			{Path: "/etc/nginx/conf.d", Seed: true, Why: "the entrypoint's 20-envsubst-on-templates.sh and 10-listen-on-ipv6 scripts write default.conf"}},
		Config: "files (/etc/nginx/conf.d, templates through envsubst)", Tools: []string{"sh", "curl", "nginx"},
		Sources: []string{"nginx/docker-nginx mainline/debian/Dockerfile: user nginx uid 101; curl installed; /docker-entrypoint.d scripts edit /etc/nginx/conf.d/default.conf"},
	},
	{
		Name: "opensearch", Repos: []string{"opensearchproject/opensearch"}, User: 1000, AnyUser: true,
		Writes: []written{tmp,
			{Path: "/usr/share/opensearch/config", Seed: true, Why: "the entrypoint creates the keystore and the security plugin's demo configuration there"},
			{Path: "/usr/share/opensearch/data", Why: "data"},
			{Path: "/usr/share/opensearch/logs", Why: "logs"}},
		Config: "environment (each `a.b=c` variable becomes -Ea.b=c) and OPENSEARCH_JAVA_OPTS",
		Peers:  []peer{{9300, "TCP"}},
		Tools:  []string{"sh", "bash", "curl"},
		Memory: jvmOpts("OPENSEARCH_JAVA_OPTS", fixed(1<<30), fixed(1<<30), same),
		Env:    map[string]string{"node.store.allow_mmap": "false"},
		Why:    []string{"node.store.allow_mmap=false: the vm.max_map_count bootstrap check needs a privileged sysctl otherwise"},
		Sources: []string{
			"opensearch-project/opensearch-build docker/release/dockerfiles/opensearch.al2023.dockerfile: amazonlinux:2023 base (bash, curl-minimal); adduser -u 1000 opensearch, USER 1000; $OPENSEARCH_HOME owned by 1000; EXPOSE 9200 9300 9600 9650",
			"opensearch-project/opensearch-build docker/release/config/opensearch/opensearch-docker-entrypoint-2.x.sh: env `a.b=c` becomes -Ea.b=c; keystore and demo security configuration written to the config dir",
		},
	},
	{
		Name: "postgres", Repos: []string{"postgres"}, User: 999, AnyUser: true,
		Writes: []written{tmp, {Path: "/var/lib/postgresql/data", Why: "PGDATA"}, {Path: "/var/run/postgresql", Why: "the Unix socket and lock file"}},
		Config: "environment (POSTGRES_*) and arguments (-c name=value)",
		Tools:  []string{"sh", "bash", "pg_isready", "psql"},
		Sources: []string{"docker-library/postgres 17/bookworm/Dockerfile: user postgres uid 999; /var/run/postgresql chmod 3777; PGDATA=/var/lib/postgresql/data",
			"docker-library/postgres 17/bookworm/docker-entrypoint.sh: gosu only when root; nss_wrapper (temporary passwd in /tmp) when the uid has no passwd entry"},
	},
	{
		Name: "pulsar", Repos: []string{"apachepulsar/pulsar"}, User: 10000, AnyUser: true,
		Writes: []written{tmp, {Path: "/pulsar/data", Why: "standalone metadata and ledgers"}, {Path: "/pulsar/logs", Why: "logs and the pid file ($PULSAR_PID_DIR)"},
			{Path: "/pulsar/download", Why: "the standalone functions worker's package downloads"}},
		Config: "environment (PULSAR_MEM, PULSAR_PREFIX_*) and conf/*.conf",
		Tools:  []string{"sh", "bash", "curl", "bin/pulsar-admin"},
		Memory: jvmOpts("PULSAR_MEM", fixed(2<<30), fixed(4<<30), same),
		Sources: []string{"apache/pulsar docker/pulsar/Dockerfile: alpine with bash and curl; adduser -u 10000 -G root, USER 10000; /pulsar/{conf,data,download,logs,...} owned 10000:0 and group-writable; PULSAR_PID_DIR=/pulsar/logs",
			"apache/pulsar conf/pulsar_env.sh: PULSAR_MEM defaults to -Xms2g -Xmx2g -XX:MaxDirectMemorySize=4g"},
	},
	{
		Name: "rabbitmq", Repos: []string{"rabbitmq"}, User: 100, AnyUser: true,
		Writes: []written{tmp, {Path: "/var/lib/rabbitmq", Why: "mnesia data and the Erlang cookie ($HOME)"},
			{Path: "/var/log/rabbitmq", Why: "log directory"}},
		Config:  "files (/etc/rabbitmq/conf.d, which the image fills: remote guest login, logs to the console; left as shipped)",
		Peers:   []peer{{4369, "TCP"}, {25672, "TCP"}},
		Tools:   []string{"sh", "bash", "rabbitmq-diagnostics"},
		Sources: []string{"docker-library/rabbitmq 4.1/alpine/Dockerfile: user rabbitmq uid 100; /var/lib/rabbitmq /etc/rabbitmq /var/log/rabbitmq chmod 1777; HOME=/var/lib/rabbitmq so any --user finds its cookie; COPY 10-defaults.conf to /etc/rabbitmq/conf.d; EXPOSE 4369 5671 5672 15691 15692 25672"},
	},
	{
		Name: "redis", Repos: []string{"redis"}, User: 999, AnyUser: true,
		Writes: []written{{Path: "/data", Why: "the working directory: RDB snapshots of the default `save` policy, AOF"}},
		Config: "arguments", Tools: []string{"sh", "redis-cli"},
		Sources: []string{"redis/docker-library-redis alpine/Dockerfile: adduser -u 999 redis; /data owned by redis and the WORKDIR, where the default save policy writes dump.rdb (a failed save makes Redis refuse writes: MISCONF)",
			"redis/docker-library-redis alpine/docker-entrypoint.sh: steps down to redis only when root"},
	},
	{
		Name: "scylladb", Repos: []string{"scylladb/scylla"}, User: 0, Root: true,
		Writes: []written{{Path: "/var/lib/scylla", Why: "data and commit log"}},
		Config: "arguments (--seeds, --smp, --memory ...) written by the entrypoint into /etc/scylla.d/docker.conf",
		Peers:  []peer{{7000, "TCP"}},
		Tools:  []string{"sh", "bash", "grep", "nodetool", "cqlsh"},
		Memory: &memoryModel{Kind: "native",
			Read: func(env map[string]string) (int64, int64, bool) { return 0, 0, false },
			// Seastar takes the machine's memory minus a reserve, not the cgroup's.
			Default: func(limit int64) (int64, int64) { return 0, 0 },
			Set:     func(heap, direct int64) map[string]string { return nil }},
		Why: []string{"runs as root with a writable root filesystem: the entrypoint (docker-entrypoint.py) writes /etc/scylla.d/*.conf and " +
			"/etc/scylla, logs to /var/log/scylla and starts supervisord, which scylla's image only supports as root"},
		Sources: []string{"scylladb/scylladb dist/docker/debian/build_docker.sh: Ubuntu base (sh, bash, grep) with scylla's nodetool and cqlsh",
			"scylladb/scylladb dist/docker/scyllasetup.py: writes /etc/scylla.d/docker.conf, /etc/scylla.d/housekeeping.cfg, $HOME/.cassandra/cqlshrc; dev mode setup writes /etc/scylla.d",
			"scylladb/scylladb dist/docker/docker-entrypoint.py: logs to /var/log/scylla/docker-entrypoint.log, then runs /usr/bin/supervisord"},
	},
	{
		Name: "solr", Repos: []string{"solr"}, User: 8983, AnyUser: true,
		Writes: []written{tmp, {Path: "/var/solr", Why: "SOLR_HOME, logs and the pid file"}},
		Config: "environment (SOLR_*)", Tools: []string{"sh", "bash", "curl"},
		Sources: []string{"apache/solr-docker 9.9/Dockerfile: user solr uid 8983; /var/solr holds data, logs and pid; curl installed"},
	},
	{
		Name: "valkey", Repos: []string{"valkey/valkey"}, User: 999, AnyUser: true,
		Writes: []written{{Path: "/data", Why: "the working directory: RDB snapshots of the default `save` policy, AOF"}},
		Config: "arguments", Tools: []string{"sh", "valkey-cli"},
		Sources: []string{"valkey-io/valkey-container 8.1/alpine/Dockerfile: adduser -u 999 valkey; /data chmod 1777 and the WORKDIR (where the default save policy writes dump.rdb); valkey-cli installed"},
	},
	{
		Name: "zookeeper", Repos: []string{"zookeeper"}, User: 1000, AnyUser: true,
		Writes: []written{tmp,
			{Path: "/conf", Seed: true, Why: "the entrypoint writes zoo.cfg next to the image's logback.xml"},
			{Path: "/data", Why: "snapshots and myid"}, {Path: "/datalog", Why: "transaction log"}, {Path: "/logs", Why: "logs"}},
		Config: "environment (ZOO_* variables written into zoo.cfg)",
		Peers:  []peer{{2888, "TCP"}, {3888, "TCP"}},
		Tools:  []string{"sh", "bash", "grep", "nc", "wget", "zkServer.sh"},
		Memory: &memoryModel{Kind: "jvm",
			Read: func(env map[string]string) (int64, int64, bool) {
				v, ok := env["ZK_SERVER_HEAP"]
				n, err := strconv.ParseInt(v, 10, 64)
				if !ok || err != nil {
					return 0, 0, false
				}
				direct := n * mib
				if d := maxDirect.FindStringSubmatch(env["SERVER_JVMFLAGS"]); d != nil {
					direct = javaBytes(d[1], d[2])
				}
				return n * mib, direct, true
			},
			Default: func(limit int64) (int64, int64) { return 1000 * mib, 1000 * mib },
			Set: func(heap, direct int64) map[string]string {
				return map[string]string{"ZK_SERVER_HEAP": fmt.Sprint(heap / mib), "SERVER_JVMFLAGS": fmt.Sprintf("-XX:MaxDirectMemorySize=%dm", direct/mib)}
			}},
		Sources: []string{"31z4/zookeeper-docker 3.9.4/Dockerfile: eclipse-temurin jammy base (sh, bash, grep); user zookeeper uid 1000; conf/* moved to $ZOO_CONF_DIR=/conf; netcat and wget installed; EXPOSE 2181 2888 3888 8080",
			"31z4/zookeeper-docker 3.9.4/docker-entrypoint.sh: gosu only when root; writes $ZOO_CONF_DIR/zoo.cfg and $ZOO_DATA_DIR/myid",
			"apache/zookeeper bin/zkEnv.sh: ZK_SERVER_HEAP defaults to 1000 (MB), prepended to SERVER_JVMFLAGS"},
	},
}

// profileFor returns the profile of an image ("repo:tag" or "repo@digest"),
// or nil when archform has none.
func profileFor(image string) *profile {
	repo := imageRepo(image)
	for _, p := range profiles {
		for _, r := range p.Repos {
			if r == repo || "docker.io/"+r == repo || "docker.io/library/"+r == repo {
				return p
			}
		}
	}
	return nil
}

// imageRepo strips the tag or digest of an image reference.
func imageRepo(image string) string {
	if i := strings.Index(image, "@"); i >= 0 {
		image = image[:i]
	}
	if i := strings.LastIndex(image, ":"); i > strings.LastIndex(image, "/") {
		image = image[:i]
	}
	return image
}

// hasTool reports whether the image ships the program a command runs.
func (p *profile) hasTool(program string) bool {
	for _, t := range p.Tools {
		if t == program {
			return true
		}
	}
	return false
}
