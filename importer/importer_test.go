package importer

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/archform/archform/emit"
	"github.com/archform/archform/internal/credential"
	"github.com/archform/archform/lang"
)

// write puts files (name → content) into a fresh directory and returns
// their paths in the order given by names.
func write(t *testing.T, files map[string]string, names ...string) []string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var out []string
	for _, n := range names {
		out = append(out, filepath.Join(dir, n))
	}
	return out
}

// load imports and decodes the design, failing on any error.
func load(t *testing.T, r *Result, err error) *lang.Design {
	t.Helper()
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	d, diags := lang.LoadFiles(map[string][]byte{r.FileName: r.Source}, lang.Options{})
	if diags.HasErrors() {
		t.Fatalf("invalid design: %s\n%s", diags.Error(), r.Source)
	}
	return d
}

func mustComponent(t *testing.T, d *lang.Design, addr string) *lang.Component {
	t.Helper()
	c := d.Component(addr)
	if c == nil {
		t.Fatalf("no %s in the design; have %v", addr, d.SortedAddrs())
	}
	return c
}

func callees(c *lang.Component) []string {
	var out []string
	for _, call := range c.Calls {
		out = append(out, call.To.Addr)
	}
	return out
}

const shopCompose = `
name: shop-prod
services:
  web:
    image: traefik:v3.1
    ports: ["80:80", "443:443"]
    depends_on: [api]
  api:
    build: ./api
    deploy:
      replicas: 3
      resources:
        limits: {cpus: "0.5", memory: 256M}
    environment:
      DATABASE_URL: postgres://shop:hunter2@db:5432/shop
      CACHE_HOST: cache
      STRIPE_API_KEY: sk_live_abcdef
      TZ: ${TZ}
      MODE: ${MODE:-production}
      RAW: $$HOME
      NEEDED: ${NEEDED:?set it}
      TLS_KEY_FILE: /etc/tls/key.pem
    env_file: [api.env]
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost:8080/healthz"]
      interval: 5s
      timeout: 1500ms
      retries: 4
    links: ["events:bus"]
    secrets: [db-password]
  worker:
    image: ghcr.io/example/etl-kafka:1.2
    profiles: [batch]
    depends_on:
      events: {condition: service_started}
  db:
    image: bitnami/postgresql:16
    deploy: {replicas: 2}
    environment:
      POSTGRES_PASSWORD_FILE: /run/secrets/db-password
      POSTGRES_DB: shop
    volumes:
      - pgdata:/bitnami/postgresql
      - ./init.sql:/docker-entrypoint-initdb.d/init.sql
    expose: ["5432"]
  cache:
    image: redis:7-alpine
  events:
    image: confluentinc/cp-kafka:7.6.0
  files:
    image: quay.io/minio/minio
  search:
    image: opensearchproject/opensearch:2
  docs:
    image: nginx:alpine
    ports: ["127.0.0.1:8081:80"]
volumes:
  pgdata:
secrets:
  db-password:
    file: ./secrets/db-password.txt
`

func TestComposeImport(t *testing.T) {
	paths := write(t, map[string]string{"compose.yaml": shopCompose}, "compose.yaml")
	r, err := Compose(paths)
	d := load(t, r, err)
	if r.System != "shop-prod" || r.FileName != "shop-prod.arch.hcl" {
		t.Errorf("system %q file %q, want shop-prod from the project name", r.System, r.FileName)
	}
	if got, want := d.SortedAddrs(), []string{"cache.cache", "client.web", "database.db", "load_balancer.web",
		"queue.events", "search.search", "service.api", "service.docs", "service.worker", "storage.files"}; !reflect.DeepEqual(got, want) {
		t.Errorf("components %v, want %v", got, want)
	}
	api := mustComponent(t, d, "service.api")
	if api.Replicas != 3 || api.Image != "shop-prod-api" {
		t.Errorf("api: replicas %d image %q, want 3 and the image compose build tags", api.Replicas, api.Image)
	}
	if api.Resources == nil || api.Resources.CPU != "500m" || api.Resources.Memory != "256Mi" {
		t.Errorf("api resources %+v, want 500m and 256Mi", api.Resources)
	}
	if h := api.HealthCheck; h == nil || h.Path != "/healthz" || h.Port != 8080 || h.Interval != 5*time.Second ||
		h.Timeout != 1500*time.Millisecond || h.UnhealthyThreshold != 4 {
		t.Errorf("api health check %+v", api.HealthCheck)
	}
	wantEnv := map[string]string{"CACHE_HOST": "cache", "TZ": "${TZ}", "MODE": "production", "RAW": "$HOME", "NEEDED": "${NEEDED:?set it}", "TLS_KEY_FILE": "/etc/tls/key.pem"}
	if !reflect.DeepEqual(api.Env, wantEnv) {
		t.Errorf("api env %v, want %v", api.Env, wantEnv)
	}
	wantSecrets := map[string]lang.SecretRef{
		"DATABASE_URL":   {Name: "api-credentials", Key: "DATABASE_URL"},
		"STRIPE_API_KEY": {Name: "api-credentials", Key: "STRIPE_API_KEY"},
	}
	if !reflect.DeepEqual(api.Secrets, wantSecrets) {
		t.Errorf("api secrets %v, want %v", api.Secrets, wantSecrets)
	}
	for _, leaked := range []string{"hunter2", "sk_live_abcdef"} {
		if strings.Contains(string(r.Source), leaked) {
			t.Errorf("the design copies the secret value %q", leaked)
		}
	}
	if got, want := callees(api), []string{"cache.cache", "database.db", "queue.events"}; !reflect.DeepEqual(got, want) {
		t.Errorf("api calls %v, want %v (env hosts and links)", got, want)
	}
	web := mustComponent(t, d, "load_balancer.web")
	if !web.Public || web.Image != "" || !reflect.DeepEqual(web.Ports, []int{80, 443}) || !reflect.DeepEqual(callees(web), []string{"service.api"}) {
		t.Errorf("web: public %v image %q ports %v calls %v", web.Public, web.Image, web.Ports, callees(web))
	}
	if got := callees(mustComponent(t, d, "client.web")); !reflect.DeepEqual(got, []string{"load_balancer.web"}) {
		t.Errorf("client calls %v, want the only component publishing ports", got)
	}
	if f := d.Flow("web"); f == nil || f.Entry == nil || f.Entry.Addr != "client.web" || len(d.Flows) != 1 {
		t.Errorf("flows %v, want one flow web from client.web, the entry's own client", d.Flows)
	}
	db := mustComponent(t, d, "database.db")
	if db.Engine != "postgres" || db.Replication.Replicas != 1 || db.Replication.Mode != "async" {
		t.Errorf("db: engine %q replication %+v, want postgres with one async replica", db.Engine, db.Replication)
	}
	if db.Secrets["POSTGRES_PASSWORD"] != (lang.SecretRef{Name: "db-password", Key: "value"}) || db.Env["POSTGRES_PASSWORD_FILE"] != "" {
		t.Errorf("db secrets %v env %v, want POSTGRES_PASSWORD from the Docker secret", db.Secrets, db.Env)
	}
	if db.Volume == nil || db.Volume.Path != "/bitnami/postgresql" || !reflect.DeepEqual(db.Ports, []int{5432}) {
		t.Errorf("db volume %+v ports %v", db.Volume, db.Ports)
	}
	for addr, engine := range map[string]string{"cache.cache": "redis", "queue.events": "kafka", "storage.files": "minio", "search.search": "opensearch"} {
		if c := mustComponent(t, d, addr); c.Engine != engine {
			t.Errorf("%s engine %q, want %q", addr, c.Engine, engine)
		}
	}
	if docs := mustComponent(t, d, "service.docs"); docs.Image != "nginx:alpine" {
		t.Errorf("docs (nginx in front of nothing) image %q, want its own", docs.Image)
	} else if docs.Public || !reflect.DeepEqual(docs.Ports, []int{80}) {
		t.Errorf("docs: public %v ports %v, want port 80 and not public (published on 127.0.0.1 only)", docs.Public, docs.Ports)
	}
	if w := mustComponent(t, d, "service.worker"); !reflect.DeepEqual(callees(w), []string{"queue.events"}) {
		t.Errorf("worker (an application image named etl-kafka, behind a profile) calls %v", callees(w))
	}
	if len(db.Mounts) != 1 || db.Mounts[0].Type != "bind" || db.Mounts[0].Source != "./init.sql" || db.Mounts[0].Target != "/docker-entrypoint-initdb.d/init.sql" {
		t.Errorf("db mounts %+v, want the bind mount of ./init.sql", db.Mounts)
	}
	for _, note := range []string{"env_file api.env", "load_balancer.web: load_balancer from image \"traefik:v3.1\""} {
		if !strings.Contains(string(r.Source), note) {
			t.Errorf("the header does not say %q:\n%s", note, r.Source)
		}
	}
	if _, err := emit.Compose(d, emit.Options{}); err != nil {
		t.Errorf("emit compose: %v", err)
	}
}

// A second file overrides the first, as docker compose -f a -f b does.
func TestComposeMergesFiles(t *testing.T) {
	paths := write(t, map[string]string{
		".env":                        "TAG=1\n",
		"docker-compose.yml":          "services:\n  api:\n    image: api:${TAG}\n",
		"docker-compose.override.yml": "services:\n  api:\n    deploy: {replicas: 4}\n  db:\n    image: mysql:8\n",
	}, "docker-compose.yml", "docker-compose.override.yml")
	r, err := Compose(paths)
	d := load(t, r, err)
	if c := mustComponent(t, d, "service.api"); c.Replicas != 4 || c.Image != "api:1" {
		t.Errorf("api replicas %d image %q, want the merge", c.Replicas, c.Image)
	}
	mustComponent(t, d, "database.db")
	if want := identifier(filepath.Base(filepath.Dir(paths[0]))); r.System != want {
		t.Errorf("system %q, want the directory's name %q for docker-compose.yml", r.System, want)
	}
}

// A directory stands for its Compose file, as for docker compose.
func TestComposeDirectory(t *testing.T) {
	paths := write(t, map[string]string{"docker-compose.yml": "services:\n  cache:\n    image: memcached\n"}, "docker-compose.yml")
	r, err := Compose([]string{filepath.Dir(paths[0])})
	d := load(t, r, err)
	if c := mustComponent(t, d, "cache.cache"); c.Engine != "memcached" {
		t.Errorf("cache engine %q, want memcached", c.Engine)
	}
	_, err = Compose([]string{t.TempDir()})
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "no Compose file in this directory") {
		t.Errorf("an empty directory gives %v, want an InputError", err)
	}
}

func TestComposeErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		line      int
		msg       string
	}{
		{"syntax", "services:\n  api:\n    image: [unclosed\n", 3, "yaml"},
		{"tabs", "services:\n\tapi: {}\n", 2, ""},
		{"not compose", "# a manifest\napiVersion: v1\nkind: Service\nmetadata:\n  name: x\n", 2, "additional properties 'apiVersion', 'kind', 'metadata' not allowed (this looks like Kubernetes manifests: use archform import kubernetes)"},
		{"no services", "volumes:\n  data: {}\n", 0, "no services"},
		{"empty", "\n", 0, "empty"},
		{"bad replicas", "services:\n  api:\n    image: a\n    deploy: {replicas: many}\n", 4, "replicas"},
		{"unknown attribute", "services:\n  api:\n    image: a\n    portz: [80]\n", 4, `services.api: "portz" is not a Compose attribute`},
		{"top-level typo", "version: '3'\nservicez:\n  api: {}\n", 2, "'servicez' not allowed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			paths := write(t, map[string]string{"c.yaml": tc.src}, "c.yaml")
			_, err := Compose(paths)
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v (%T), want an InputError", err, err)
			}
			if ie.File != paths[0] {
				t.Errorf("error names %q, want %q", ie.File, paths[0])
			}
			if tc.line > 0 && ie.Line != tc.line {
				t.Errorf("line %d, want %d (%v)", ie.Line, tc.line, err)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q does not say %q", err, tc.msg)
			}
		})
	}
}

const shopManifests = `# a comment before the first document
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  replicas: 3
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
            - matchExpressions:
              - {key: topology.kubernetes.io/zone, operator: In, values: [eu-west1-b, eu-west1-a]}
      containers:
      - name: istio-proxy
        image: docker.io/istio/proxyv2:1.22.0
      - name: api
        image: ghcr.io/example/api:2
        ports: [{name: http, containerPort: 8080}]
        envFrom: [{configMapRef: {name: api-config}}]
        env:
        - {name: CART_URL, value: "http://cart.shop.svc.cluster.local:7070/v1"}
        - {name: DB_PASSWORD, valueFrom: {secretKeyRef: {name: db-creds, key: password}}}
        - {name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
        - {name: GITHUB_TOKEN, value: ghp_plaintext}
        - {name: PAYMENTS_URL, value: "https://payments/v2"}
        readinessProbe:
          httpGet: {path: /ready, port: http}
          periodSeconds: 7
          timeoutSeconds: 2
          failureThreshold: 5
        resources:
          requests: {cpu: 250m, memory: 512Mi}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: api-config, namespace: shop}
data:
  DB_HOST: orders-db
  LOG_LEVEL: info
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: orders-db, namespace: shop}
spec:
  replicas: 3
  serviceName: orders-db
  selector: {matchLabels: {app: orders-db}}
  template:
    metadata: {labels: {app: orders-db}}
    spec:
      topologySpreadConstraints:
      - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: orders-db}}}
      containers:
      - name: pg
        image: postgres:16
        volumeMounts: [{name: data, mountPath: /var/lib/postgresql/data}]
        livenessProbe:
          tcpSocket: {port: 5432}
  volumeClaimTemplates:
  - metadata: {name: data}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 20Gi}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: cart, namespace: shop}
spec:
  selector: {matchLabels: {app: cart}}
  template:
    metadata: {labels: {app: cart}}
    spec:
      containers:
      - name: cart
        image: ghcr.io/example/cart:1
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: node-agent, namespace: shop}
spec:
  selector: {matchLabels: {app: node-agent}}
  template:
    metadata: {labels: {app: node-agent}}
    spec:
      containers: [{name: agent, image: ghcr.io/example/agent:1}]
---
apiVersion: v1
kind: Service
metadata: {name: cart, namespace: shop}
spec:
  selector: {app: cart}
  ports: [{port: 7070, targetPort: 7070}]
---
apiVersion: v1
kind: Service
metadata: {name: payments, namespace: shop}
spec:
  type: ExternalName
  externalName: api.payments.example.com
---
apiVersion: v1
kind: Service
metadata: {name: orders-db, namespace: shop}
spec:
  selector: {app: orders-db}
  ports: [{port: 5432}]
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  selector: {app: api}
  ports: [{port: 80, targetPort: http}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  rules:
  - http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: api, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  minReplicas: 3
  maxReplicas: 12
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: api, namespace: shop}
spec:
  minAvailable: 2
  selector: {matchLabels: {app: api}}
`

func TestKubernetesImport(t *testing.T) {
	dir := filepath.Dir(write(t, map[string]string{"shop.yaml": shopManifests, "README.md": "not a manifest"}, "shop.yaml")[0])
	r, err := Kubernetes([]string{dir})
	d := load(t, r, err)
	if got, want := d.SortedAddrs(), []string{"client.api", "database.orders-db", "external.payments", "service.api", "service.cart", "service.node-agent"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("components %v, want %v", got, want)
	}
	api := mustComponent(t, d, "service.api")
	if api.Image != "ghcr.io/example/api:2" || api.Replicas != 3 || !api.Public || !reflect.DeepEqual(api.Ports, []int{8080}) {
		t.Errorf("api: image %q replicas %d public %v ports %v", api.Image, api.Replicas, api.Public, api.Ports)
	}
	if !reflect.DeepEqual(api.Zones, []string{"eu-west1-a", "eu-west1-b"}) || len(d.Regions) != 1 || d.Regions[0].Name != "eu-west1" {
		t.Errorf("api zones %v regions %v, want the node affinity's zones in region eu-west1", api.Zones, d.Regions)
	}
	if a := api.Autoscale; a == nil || a.Min != 3 || a.Max != 12 || a.TargetUtilization != 0.6 {
		t.Errorf("api autoscale %+v, want 3..12 at 0.6", api.Autoscale)
	}
	if h := api.HealthCheck; h == nil || h.Path != "/ready" || h.Port != 8080 || h.Interval != 7*time.Second ||
		h.Timeout != 2*time.Second || h.UnhealthyThreshold != 5 {
		t.Errorf("api health check %+v, want the readiness probe with its named port resolved", api.HealthCheck)
	}
	if api.Resources == nil || api.Resources.CPU != "250m" || api.Resources.Memory != "512Mi" {
		t.Errorf("api resources %+v", api.Resources)
	}
	if want := map[string]string{"CART_URL": "http://cart.shop.svc.cluster.local:7070/v1", "DB_HOST": "orders-db", "LOG_LEVEL": "info",
		"PAYMENTS_URL": "https://payments/v2"}; !reflect.DeepEqual(api.Env, want) {
		t.Errorf("api env %v, want %v", api.Env, want)
	}
	wantSecrets := map[string]lang.SecretRef{"DB_PASSWORD": {Name: "db-creds", Key: "password"}, "GITHUB_TOKEN": {Name: "api-credentials", Key: "GITHUB_TOKEN"}}
	if !reflect.DeepEqual(api.Secrets, wantSecrets) {
		t.Errorf("api secrets %v, want %v", api.Secrets, wantSecrets)
	}
	if strings.Contains(string(r.Source), "ghp_plaintext") {
		t.Error("the design copies a token")
	}
	if got := callees(api); !reflect.DeepEqual(got, []string{"database.orders-db", "external.payments", "service.cart"}) {
		t.Errorf("api calls %v, want the Services its environment and ConfigMap name", got)
	}
	if got := callees(mustComponent(t, d, "client.api")); !reflect.DeepEqual(got, []string{"service.api"}) {
		t.Errorf("client calls %v, want the Ingress backend", got)
	}
	db := mustComponent(t, d, "database.orders-db")
	if db.Engine != "postgres" || db.Replication.Replicas != 2 || db.Volume == nil || db.Volume.Size != "20Gi" ||
		db.Volume.Path != "/var/lib/postgresql/data" || db.HealthCheck == nil || db.HealthCheck.Port != 5432 {
		t.Errorf("db: engine %q replication %+v volume %+v health %+v", db.Engine, db.Replication, db.Volume, db.HealthCheck)
	}
	cart := mustComponent(t, d, "service.cart")
	if !reflect.DeepEqual(cart.Ports, []int{7070}) {
		t.Errorf("cart ports %v, want the Service's target port", cart.Ports)
	}
	for _, note := range []string{
		"1 Namespace object(s): shop",
		"container istio-proxy",
		"POD_IP (from the pod's fields",
		"PodDisruptionBudget api (minAvailable 2) for service.api",
		"database.orders-db: zones (its pods spread over zones, maxSkew 1",
		"service.node-agent: replicas (a DaemonSet runs one pod per node",
	} {
		if !strings.Contains(string(r.Source), note) {
			t.Errorf("the header does not say %q:\n%s", note, r.Source)
		}
	}
	if r.System != "shop" {
		t.Errorf("system %q, want the namespace", r.System)
	}
	if _, err := emit.Kubernetes(d, emit.Options{}); err != nil {
		t.Errorf("emit kubernetes: %v", err)
	}
}

func TestKubernetesErrors(t *testing.T) {
	deployment := "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec:\n  selector: {matchLabels: {app: a}}\n  template:\n    metadata: {labels: {app: a}}\n    spec:\n      containers: [{name: a, image: a}]\n"
	for _, tc := range []struct {
		name, src string
		line      int
		msg       string
	}{
		{"syntax in the second document", deployment + "---\nkind: Service\nmetadata:\n  name: [x\n", 13, "yaml: line 13: did not find"},
		{"unknown field", deployment + "---\napiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec:\n  selectorr: {app: a}\n", 15, `unknown field "selectorr"`},
		{"wrong type", deployment + "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: b}\nspec: {replicas: three}\n", 11, "Deployment"},
		{"no kind", "metadata: {name: a}\n", 1, "apiVersion or kind"},
		{"a list", "- a\n- b\n", 1, "not a Kubernetes object"},
		{"compose", "services:\n  api:\n    image: a\n", 1, "apiVersion or kind"},
		{"nothing to import", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n", 0, "no Deployment, StatefulSet or DaemonSet"},
		{"comments only", "# nothing\n---\n", 0, "no Kubernetes object"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			paths := write(t, map[string]string{"m.yaml": tc.src}, "m.yaml")
			_, err := Kubernetes(paths)
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v (%T), want an InputError", err, err)
			}
			if ie.File != paths[0] || ie.Line != tc.line {
				t.Errorf("error at %s:%d, want %s:%d (%v)", ie.File, ie.Line, paths[0], tc.line, err)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q does not say %q", err, tc.msg)
			}
		})
	}
}

func TestClassify(t *testing.T) {
	for image, want := range map[string]guess{
		"postgres":                                   {lang.KindDatabase, "postgres"},
		"postgres:16-alpine":                         {lang.KindDatabase, "postgres"},
		"bitnami/postgresql-repmgr:15":               {lang.KindDatabase, "postgres"},
		"mcr.microsoft.com/mssql/server:2022-latest": {lang.KindDatabase, "sqlserver"},
		"mongo@sha256:0123":                          {lang.KindDatabase, "mongodb"},
		"localhost:5000/mysql:8":                     {lang.KindDatabase, "mysql"},
		"redis/redis-stack":                          {lang.KindCache, "redis"},
		"valkey/valkey:8":                            {lang.KindCache, "valkey"},
		"confluentinc/cp-kafka":                      {lang.KindQueue, "kafka"},
		"rabbitmq:3-management":                      {lang.KindQueue, "rabbitmq"},
		"nats":                                       {lang.KindQueue, "nats"},
		"envoyproxy/envoy:v1.30":                     {lang.KindLoadBalancer, ""},
		"haproxy:2.9":                                {lang.KindLoadBalancer, ""},
		"docker.elastic.co/elasticsearch/elasticsearch:8.1": {lang.KindSearch, "elasticsearch"},
		"minio/minio":                      {lang.KindStorage, "minio"},
		"ghcr.io/acme/etl-kafka":           {lang.KindService, ""},
		"ghcr.io/acme/api:1":               {lang.KindService, ""},
		"nginxinc/nginx-unprivileged:1.25": {lang.KindLoadBalancer, ""},
		"":                                 {lang.KindService, ""},
	} {
		if got, _ := classify(image); got != want {
			t.Errorf("classify(%q) = %+v, want %+v", image, got, want)
		}
	}
}

func TestSecrets(t *testing.T) {
	for key, want := range map[string]bool{
		"POSTGRES_PASSWORD": true, "WEBPASSWORD": true, "API_KEY": true, "aws_secret_access_key": true,
		"GITHUB_TOKEN": true, "PGADMIN_PW": true, "NEO4J_AUTH": true,
		"POSTGRES_USER": false, "KEYSPACE": false, "PORT": false, "PASSTHROUGH": false, "TZ": false,
	} {
		if got := secretKey(key); got != want {
			t.Errorf("secretKey(%q) = %v, want %v", key, got, want)
		}
	}
	for value, want := range map[string]bool{
		"mysql://root:whalehello@db:3306/mysql": true, "-----BEGIN RSA PRIVATE KEY-----": true,
		"postgres://db:5432/x": false, "redis://cache:6379": false, "hello": false,
	} {
		if got := secretValue(value); got != want {
			t.Errorf("secretValue(%q) = %v, want %v", value, got, want)
		}
	}
}

func TestScanHosts(t *testing.T) {
	type tc struct {
		value   string
		address bool
		want    []string
	}
	for _, c := range []tc{
		{"productcatalogservice:3550", false, []string{"productcatalogservice"}},
		{"http://cart.shop.svc.cluster.local:8080/api", false, []string{"cart.shop.svc.cluster.local"}},
		{"kafka-0:9092,kafka-1:9092", false, []string{"kafka-0", "kafka-1"}},
		{"db", true, []string{"db"}},
		{"db", false, nil}, // a lone word counts only under an address key
		{"mysql://u:p@db:3306/x", false, []string{"db"}},
		{"jdbc:mysql://mysql/cities", false, []string{"mysql"}},
		{"Server=sqldata;Database=x;User Id=sa", false, []string{"sqldata"}},
		{"mysql:host=mysql;dbname=ratings", false, []string{"mysql"}},
		{"lb://vets-service", false, []string{"vets-service"}},
		{"http://${CATALOGUE_HOST}:8080/", false, []string{"${CATALOGUE_HOST}"}},
		{"mongodb://${db:carts-db}:27017/data", false, []string{"carts-db"}},
		{"${ESHOP_AZURE_REDIS_BASKET_DB:-basketdata}", true, []string{"basketdata"}},
		{"--config.file=/etc/prometheus/prometheus.yml", false, nil},
		{"/etc/prometheus/prometheus.yml", true, nil},
		{"a:b", false, nil},
	} {
		var got []string
		for _, h := range scanHosts(c.value, c.address) {
			if h.variable != "" {
				got = append(got, "${"+h.variable+"}")
			} else {
				got = append(got, h.host)
			}
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("scanHosts(%q, %v) = %q, want %q", c.value, c.address, got, c.want)
		}
	}
}

func TestAddressWord(t *testing.T) {
	for key, want := range map[string]bool{
		"MONGO_HOST": true, "identityUrl": true, "defaultZone": true, "serviceId": true, "ConnectionString": true,
		"EventBusConnection": true, "targets": true, "server_name": false, "HOST_PORT": false, "APP_ENV": false,
		"proxy_pass": true, "PurchaseUrl": true, "GracePeriodTime": false,
	} {
		if got := addressWord(key); got != want {
			t.Errorf("addressWord(%q) = %v, want %v", key, got, want)
		}
	}
}

func TestIdentifier(t *testing.T) {
	for in, want := range map[string]string{"web": "web", "my.app": "my_app", "1st": "_1st", "": "_", "a-b_c": "a-b_c"} {
		if got := identifier(in); got != want {
			t.Errorf("identifier(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestKubernetesDirectories reads directories recursively, skips files
// that are not manifests, Helm templates and charts, and kustomizations
// with a note each, and names the system after the workloads' common
// part-of label.
func TestKubernetesDirectories(t *testing.T) {
	dir := t.TempDir()
	deployment := "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: %s, labels: {app.kubernetes.io/part-of: webshop}}\nspec:\n  selector: {matchLabels: {app: %s}}\n  template:\n    metadata: {labels: {app: %s}}\n    spec:\n      containers: [{name: %s, image: %s, env: [{name: CART_ADDR, value: \"cart.default.svc.cluster.local:7070\"}]}]\n"
	service := "apiVersion: v1\nkind: Service\nmetadata: {name: %s}\nspec:\n  selector: {app: %s}\n  ports: [{port: 7070}]\n"
	files := map[string]string{
		"apps/front/deploy.yaml":     fmt.Sprintf(deployment, "front", "front", "front", "front", "example/front:1"),
		"apps/cart/nested/cart.yaml": fmt.Sprintf(deployment, "cart", "cart", "cart", "cart", "example/cart:1") + "---\n" + fmt.Sprintf(service, "cart", "cart"),
		"scripts/values.yaml":        "replicaCount: 2\n",
		"chart/Chart.yaml":           "name: x\n",
		"chart/templates/dep.yaml":   "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: {{ .Release.Name }}}\n",
		"overlay/kustomization.yaml": "resources: [../apps]\n",
		"overlay/patch.yaml":         "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: cart}\nspec: {replicas: 3}\n",
		"loose/tpl.yaml":             "apiVersion: v1\nkind: Service\nmetadata: {name: {{ .Values.name }}}\n",
	}
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r, err := Kubernetes([]string{dir})
	d := load(t, r, err)
	if r.System != "webshop" {
		t.Errorf("system %q, want webshop from the part-of label", r.System)
	}
	if got := callees(mustComponent(t, d, "service.front")); !reflect.DeepEqual(got, []string{"service.cart"}) {
		t.Errorf("front calls %v, want service.cart by its DNS form cart.default.svc.cluster.local", got)
	}
	for _, note := range []string{"values.yaml: not a Kubernetes manifest", "chart: a Helm chart: render it first (helm template",
		"overlay: a kustomization: render it first (kubectl kustomize", "tpl.yaml: a Helm template"} {
		if !strings.Contains(string(r.Source), note) {
			t.Errorf("the header does not say %q:\n%s", note, r.Source)
		}
	}
}

// secretValue reports whether a value carries a credential whatever its
// name: a URL with a password (mysql://root:pw@db/x), a connection string's
// password, a flag's, a token or a private key.
func secretValue(v string) bool {
	_, ok := credential.Find("", v)
	return ok
}
