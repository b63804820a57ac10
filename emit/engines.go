package emit

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
)

// An engine is what archform knows about an infrastructure image: the pinned
// image it deploys, where the engine listens and keeps its data, and how to
// ask it whether it is healthy with a command that ships in the image.
type engine struct {
	Name  string
	Image string // pinned tag
	Port  int
	// DataPath is where the engine keeps its data ("" for none).
	DataPath string
	// Probe is a readiness command run inside the container (exec form);
	// Shell says it needs a shell (Compose CMD-SHELL, sh -c on Kubernetes).
	Probe []string
	Shell bool
	// Env is the environment the image needs to start as archform deploys it.
	Env map[string]string
	// Command replaces the image's CMD (nil: keep it).
	Command []string
	// Password is the environment variable holding the engine's initial
	// password ("" when the image needs none). Compose sets NAME_FILE to a
	// mounted secret; Kubernetes reads it from the Secret <component>-credentials.
	Password string
	// OptionalAuth: the image runs without credentials, and Env and
	// Password turn authentication on. They apply where archform picks the
	// image; a design that names its own image (an imported one) keeps
	// the authentication it configures.
	OptionalAuth bool
	// Managed engines are cloud services: not deployed, reached over HTTPS.
	Managed bool
	// Cluster, when set, lets Kubernetes run a quorum of members as one
	// StatefulSet whose pods find each other by their stable DNS names.
	Cluster *cluster
}

// cluster describes how members of a clustered engine join each other.
type cluster struct {
	// Args are the container args of one member (nil: keep the engine's).
	Args func(m members) []string
	// Env is the environment of one member (nil: none); it replaces the
	// engine's variables of the same name, and Unset drops engine variables
	// meant for a single instance.
	Env   func(m members) map[string]string
	Unset []string
	// Listed names the variables of Env that list every member, alike for
	// all: in a Compose cluster of more than inlineMembers they are written
	// once, in an env_file the members share.
	Listed []string
}

// members names a cluster's members: Self and SelfHost are this member's
// name and host name (on Kubernetes "$(POD_NAME)", expanded from the pod's
// name); Names and Hosts list every member's.
type members struct {
	Cluster        string
	Self, SelfHost string
	// Index is this member's ordinal, as a string ("$(POD_INDEX)" on
	// Kubernetes, from the pod-index label).
	Index        string
	Names, Hosts []string
	// joined remembers join's results (nil: none): Compose asks each
	// member's variables in turn, and a list of every member built for each
	// would make the run quadratic in the members.
	joined map[string]string
}

// inlineMembers is the largest cluster whose members each list every other
// member (an etcd --initial-cluster, Consul's -retry-join, NATS's --routes,
// Kafka's voters): above it the list is written once (Compose: an env_file
// the members share; Kubernetes has one pod template) or is cut to the first
// inlineMembers as seeds, which gossip the rest, so that the output grows
// linearly with the members (docs/emit.md).
const inlineMembers = 7

// first returns the members restricted to the first k (the seeds or
// initial voters of a large cluster).
func (m members) first(k int) members {
	k = min(k, len(m.Names))
	m.Names, m.Hosts = m.Names[:k], m.Hosts[:k]
	return m
}

// join formats each member as format with its name and host (%[1]s, %[2]s).
func (m members) join(format, sep string) string {
	return m.once(fmt.Sprint("join\x00", len(m.Names), "\x00", format, "\x00", sep), func() string {
		out := make([]string, len(m.Names))
		for i := range m.Names {
			out[i] = fmt.Sprintf(format, m.Names[i], m.Hosts[i])
		}
		return strings.Join(out, sep)
	})
}

// once returns f's result, computed once per key for the whole cluster when
// m remembers (joined is set).
func (m members) once(key string, f func() string) string {
	if s, ok := m.joined[key]; ok {
		return s
	}
	s := f()
	if m.joined != nil {
		m.joined[key] = s
	}
	return s
}

// searchCluster is an Elasticsearch or OpenSearch cluster: every member is
// eligible to lead; the first three seed discovery and bootstrap the cluster
// (initialKey names the setting that lists them).
func searchCluster(initialKey string) *cluster {
	return &cluster{Unset: []string{"discovery.type"}, Env: func(m members) map[string]string {
		return map[string]string{
			"node.name":            m.Self,
			"cluster.name":         m.Cluster,
			"network.publish_host": m.SelfHost,
			"discovery.seed_hosts": m.first(3).join("%[2]s", ","),
			initialKey:             m.first(3).join("%[1]s", ","),
		}
	}}
}

// kafkaClusterID derives a KRaft cluster id (16 bytes, base64url without
// padding) from the cluster's name, so that output stays the same run to run.
func kafkaClusterID(name string) string {
	sum := sha256.Sum256([]byte("archform kafka " + name))
	return base64.RawURLEncoding.EncodeToString(sum[:16])
}

// engines lists every engine archform can deploy, by `engine` value.
var engines = map[string]*engine{
	"postgres": {
		Image: "postgres:17.6", Port: 5432, DataPath: "/var/lib/postgresql/data",
		Probe: []string{"pg_isready", "-h", "127.0.0.1", "-U", "postgres"},
		Env:   map[string]string{"PGDATA": "/var/lib/postgresql/data/pgdata"}, Password: "POSTGRES_PASSWORD",
	},
	"mysql": {
		Image: "mysql:8.4.6", Port: 3306, DataPath: "/var/lib/mysql",
		Probe: []string{"mysqladmin", "ping", "-h", "127.0.0.1", "--silent"}, Password: "MYSQL_ROOT_PASSWORD",
	},
	"mariadb": {
		Image: "mariadb:11.8.3", Port: 3306, DataPath: "/var/lib/mysql",
		Probe: []string{"healthcheck.sh", "--connect", "--innodb_initialized"}, Password: "MARIADB_ROOT_PASSWORD",
	},
	"mongodb": {
		Image: "mongo:8.0.13", Port: 27017, DataPath: "/data/db",
		Probe: []string{"mongosh", "--quiet", "--eval", "db.adminCommand('ping')"},
		Env:   map[string]string{"MONGO_INITDB_ROOT_USERNAME": "root"}, Password: "MONGO_INITDB_ROOT_PASSWORD",
		OptionalAuth: true,
	},
	"cockroachdb": {
		Image: "cockroachdb/cockroach:v25.2.4", Port: 26257, DataPath: "/cockroach/cockroach-data",
		// The image has no curl or wget: ask the node itself.
		Probe:   []string{"cockroach", "sql", "--insecure", "--host=127.0.0.1", "-e", "SELECT 1"},
		Command: []string{"start-single-node", "--insecure"},
	},
	"cassandra": {
		Image: "cassandra:5.0.5", Port: 9042, DataPath: "/var/lib/cassandra",
		Probe: []string{"nodetool status | grep -q '^UN'"}, Shell: true,
	},
	"scylladb": {
		Image: "scylladb/scylla:6.2.3", Port: 9042, DataPath: "/var/lib/scylla",
		Probe: []string{"nodetool status | grep -q '^UN'"}, Shell: true,
	},
	"neo4j": {
		Image: "neo4j:5.26.12", Port: 7687, DataPath: "/data",
		Probe: []string{"wget", "-q", "-O", "/dev/null", "http://127.0.0.1:7474"},
		Env:   map[string]string{"NEO4J_AUTH": "none"},
	},
	"etcd": {
		Image: "quay.io/coreos/etcd:v3.6.4", Port: 2379, DataPath: "/etcd-data",
		Probe: []string{"etcdctl", "endpoint", "health"},
		Command: []string{"etcd", "--data-dir=/etcd-data", "--listen-client-urls=http://0.0.0.0:2379",
			"--advertise-client-urls=http://127.0.0.1:2379"},
		// Every member must be given the whole initial membership: in a
		// large cluster it moves to ETCD_INITIAL_CLUSTER (etcd reads each
		// flag from ETCD_<FLAG> when the flag is not given), which Compose
		// writes once for all members.
		Cluster: &cluster{Args: func(m members) []string {
			args := []string{"etcd", "--name=" + m.Self, "--data-dir=/etcd-data",
				"--listen-client-urls=http://0.0.0.0:2379", "--listen-peer-urls=http://0.0.0.0:2380",
				"--advertise-client-urls=http://" + m.SelfHost + ":2379",
				"--initial-advertise-peer-urls=http://" + m.SelfHost + ":2380"}
			if len(m.Names) <= inlineMembers {
				args = append(args, "--initial-cluster="+m.join("%[1]s=http://%[2]s:2380", ","))
			}
			return append(args, "--initial-cluster-state=new", "--initial-cluster-token="+m.Cluster)
		}, Env: func(m members) map[string]string {
			if len(m.Names) <= inlineMembers {
				return nil
			}
			return map[string]string{"ETCD_INITIAL_CLUSTER": m.join("%[1]s=http://%[2]s:2380", ",")}
		}, Listed: []string{"ETCD_INITIAL_CLUSTER"}},
	},
	"zookeeper": {
		Image: "zookeeper:3.9.4", Port: 2181, DataPath: "/data",
		Probe: []string{"echo ruok | nc 127.0.0.1 2181 | grep -q imok"}, Shell: true,
		Env: map[string]string{"ZOO_4LW_COMMANDS_WHITELIST": "ruok"},
	},
	"consul": {
		Image: "hashicorp/consul:1.21.4", Port: 8500, DataPath: "/consul/data",
		Probe:   []string{"consul", "members"},
		Command: []string{"agent", "-server", "-bootstrap-expect=1", "-client=0.0.0.0", "-data-dir=/consul/data"},
		Cluster: &cluster{Args: func(m members) []string {
			args := []string{"agent", "-server", fmt.Sprintf("-bootstrap-expect=%d", len(m.Names)), "-client=0.0.0.0",
				"-data-dir=/consul/data", "-node=" + m.Self}
			// Joining one member is enough (Serf's gossip tells the rest):
			// a large cluster retries its first members as seeds.
			return append(args, strings.Fields(m.first(inlineMembers).join("-retry-join=%[2]s", " "))...)
		}},
	},
	"redis": {
		Image: "redis:8.2.1-alpine", Port: 6379, DataPath: "/data",
		Probe: []string{"redis-cli", "ping"},
	},
	"valkey": {
		Image: "valkey/valkey:8.1.3-alpine", Port: 6379, DataPath: "/data",
		Probe: []string{"valkey-cli", "ping"},
	},
	"memcached": {
		Image: "memcached:1.6.39-alpine", Port: 11211,
	},
	"kafka": {
		Image: "apache/kafka:4.1.0", Port: 9092, DataPath: "/var/lib/kafka/data",
		Probe: []string{"/opt/kafka/bin/kafka-broker-api-versions.sh --bootstrap-server 127.0.0.1:9092 >/dev/null"},
		Shell: true,
		// KRaft: every member is a broker and a controller voter.
		Cluster: &cluster{Env: func(m members) map[string]string {
			n := len(m.Names)
			voters := m.once(fmt.Sprint("voters\x00", n), func() string {
				voters := make([]string, n)
				for i, h := range m.Hosts {
					voters[i] = fmt.Sprintf("%d@%s:9093", i, h)
				}
				return strings.Join(voters, ",")
			})
			return map[string]string{
				"CLUSTER_ID":                                     kafkaClusterID(m.Cluster),
				"KAFKA_NODE_ID":                                  m.Index,
				"KAFKA_PROCESS_ROLES":                            "broker,controller",
				"KAFKA_LISTENERS":                                "PLAINTEXT://:9092,CONTROLLER://:9093",
				"KAFKA_ADVERTISED_LISTENERS":                     "PLAINTEXT://" + m.SelfHost + ":9092",
				"KAFKA_CONTROLLER_LISTENER_NAMES":                "CONTROLLER",
				"KAFKA_INTER_BROKER_LISTENER_NAME":               "PLAINTEXT",
				"KAFKA_LISTENER_SECURITY_PROTOCOL_MAP":           "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
				"KAFKA_CONTROLLER_QUORUM_VOTERS":                 voters,
				"KAFKA_LOG_DIRS":                                 "/var/lib/kafka/data",
				"KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR":         fmt.Sprint(min(n, 3)),
				"KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR": fmt.Sprint(min(n, 3)),
				"KAFKA_TRANSACTION_STATE_LOG_MIN_ISR":            fmt.Sprint(min(n, 2)),
			}
		}, Listed: []string{"KAFKA_CONTROLLER_QUORUM_VOTERS"}},
	},
	"rabbitmq": {
		Image: "rabbitmq:4.1.4-alpine", Port: 5672, DataPath: "/var/lib/rabbitmq",
		Probe: []string{"rabbitmq-diagnostics", "-q", "ping"},
	},
	"nats": {
		Image: "nats:2.11.9-alpine", Port: 4222, DataPath: "/data",
		Probe:   []string{"wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8222/healthz"},
		Command: []string{"-js", "-sd", "/data", "-m", "8222"},
		Cluster: &cluster{Args: func(m members) []string {
			return []string{"-js", "-sd", "/data", "-m", "8222", "--name=" + m.Self, "--cluster_name=" + m.Cluster,
				// Routes to seeds: a NATS server gossips the others' routes.
				"--cluster=nats://0.0.0.0:6222", "--routes=" + m.first(inlineMembers).join("nats://%[2]s:6222", ",")}
		}},
	},
	"pulsar": {
		Image: "apachepulsar/pulsar:4.0.6", Port: 6650, DataPath: "/pulsar/data",
		Probe:   []string{"bin/pulsar-admin", "brokers", "healthcheck"},
		Command: []string{"bin/pulsar", "standalone"},
	},
	"elasticsearch": {
		Image: "docker.elastic.co/elasticsearch/elasticsearch:8.19.3", Port: 9200,
		DataPath: "/usr/share/elasticsearch/data",
		Probe:    []string{"curl", "-fsS", "http://127.0.0.1:9200/_cluster/health"},
		Env:      map[string]string{"discovery.type": "single-node", "xpack.security.enabled": "false"},
		Cluster:  searchCluster("cluster.initial_master_nodes"),
	},
	"opensearch": {
		Image: "opensearchproject/opensearch:3.2.0", Port: 9200,
		DataPath: "/usr/share/opensearch/data",
		Probe:    []string{"curl", "-fsS", "http://127.0.0.1:9200/_cluster/health"},
		Env: map[string]string{"discovery.type": "single-node", "DISABLE_SECURITY_PLUGIN": "true",
			"DISABLE_INSTALL_DEMO_CONFIG": "true"},
		Cluster: searchCluster("cluster.initial_cluster_manager_nodes"),
	},
	"solr": {
		Image: "solr:9.9.0", Port: 8983, DataPath: "/var/solr",
		Probe: []string{"curl", "-fsS", "http://127.0.0.1:8983/solr/admin/info/system"},
	},
	"minio": {
		Image: "minio/minio:RELEASE.2025-09-07T16-13-09Z", Port: 9000, DataPath: "/data",
		Probe:    []string{"mc", "ready", "local"},
		Command:  []string{"server", "/data"},
		Env:      map[string]string{"MINIO_ROOT_USER": "archform"},
		Password: "MINIO_ROOT_PASSWORD",
	},
	"redis_streams": nil, // resolved to redis below
	"sqs":           {Managed: true},
	"dynamodb":      {Managed: true},
	"s3":            {Managed: true},
	"gcs":           {Managed: true},
}

// proxyImage is the load balancer's proxy: HAProxy implements every
// algorithm of the language and active health checks in its open-source build.
const proxyImage = "haproxy:3.2.4-alpine"

func init() {
	streams := *engines["redis"]
	engines["redis_streams"] = &streams
	for name, e := range engines {
		e.Name = name
	}
}

// lookupEngine returns the engine, or nil when archform does not know it.
func lookupEngine(name string) *engine { return engines[name] }
