package importer

import (
	"strings"
	"testing"
)

// hostileSecrets are the credentials of issue 15's reproductions, each a
// value the imported design must not hold, with the Compose and Kubernetes
// inputs that carry them.
var hostileSecrets = []string{
	"dbpass-from-dotenv", "pa/ss", "p#ss", "p%ZZ", "p ss", "jdbcpw", "libpqpw", "adopw", "sysproppw",
	"ghp_0123456789abcdefghijABCDEFGHIJ0123", "phrase-secret", "mysqlpass-secret", "k8sargpw", "k8senvpw",
}

const hostileCompose = `
services:
  api:
    image: ghcr.io/acme/api:1
    command: ["serve", "--db-password", "${DB_PASS}", "-Dx.password=sysproppw"]
    environment:
      DATABASE_URL: mysql://root:pa/ss@db/x
      CACHE_URL: "redis://:p#ss@cache"
      MONGO_URL: mongodb://u:p%ZZ@db
      PG_URL: postgres://u:p ss@db/x
      JDBC: jdbc:postgresql://db/x?user=u&password=jdbcpw
      LIBPQ: host=db password=libpqpw dbname=x
      ADO: Server=db;Database=x;Password=adopw;
      GITHUB_PAT: ghp_0123456789abcdefghijABCDEFGHIJ0123
      PASSPHRASE: phrase-secret
      MYSQLPASS: mysqlpass-secret
  cache:
    image: redis:7
    command: redis-server --requirepass ${DB_PASS}
`

const hostileManifests = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
      - name: api
        image: ghcr.io/acme/api:1
        args: ["serve", "--password=k8sargpw"]
        env:
        - {name: DB_URL, value: "postgres://u:k8senvpw@db/x"}
`

// TestImportNeverCopiesSecrets: issue 15 item 2. Every credential of the
// inputs becomes a secret reference; the design holds none of them, and
// says what it did instead.
func TestImportNeverCopiesSecrets(t *testing.T) {
	paths := write(t, map[string]string{"compose.yaml": hostileCompose, ".env": "DB_PASS=dbpass-from-dotenv\n"}, "compose.yaml")
	rc, err := Compose(paths)
	dc := load(t, rc, err)
	dir := write(t, map[string]string{"api.yaml": hostileManifests}, "api.yaml")
	rk, err := Kubernetes(dir)
	dk := load(t, rk, err)
	out := string(rc.Source) + string(rk.Source)
	for _, s := range hostileSecrets {
		if strings.Contains(out, s) {
			t.Errorf("the imported design holds the secret %q:\n%s", s, out)
		}
	}
	api := mustComponent(t, dc, "service.api")
	if got := strings.Join(api.Command, " "); got != "serve --db-password $(ARG2_SECRET) -Dx.password=$(ARG3_SECRET)" {
		t.Errorf("api command %q, want the secrets replaced by variables", got)
	}
	for _, env := range []string{"ARG2_SECRET", "ARG3_SECRET", "DATABASE_URL", "CACHE_URL", "MONGO_URL", "PG_URL", "JDBC", "LIBPQ", "ADO", "GITHUB_PAT", "PASSPHRASE", "MYSQLPASS"} {
		if _, ok := api.Secrets[env]; !ok {
			t.Errorf("api: %s is not read from a secret (secrets %v)", env, api.Secrets)
		}
	}
	if cache := mustComponent(t, dc, "cache.cache"); !strings.Contains(strings.Join(cache.Command, " "), "--requirepass $(ARG2_SECRET)") {
		t.Errorf("cache command %q, want the password replaced", cache.Command)
	}
	if k := mustComponent(t, dk, "service.api"); strings.Join(k.Command, " ") != "serve --password=$(ARG1_SECRET)" || k.Secrets["DB_URL"].Name == "" {
		t.Errorf("kubernetes api command %q secrets %v", k.Command, k.Secrets)
	}
	if !strings.Contains(out, "the command holds credentials") {
		t.Errorf("the design does not say that it replaced credentials:\n%s", out)
	}
}
