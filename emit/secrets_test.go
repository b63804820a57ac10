package emit

import (
	"slices"
	"strings"
	"testing"

	"github.com/archform/archform/lang"
)

// loadSource decodes one design file, failing on errors.
func loadSource(t *testing.T, src string) *lang.Design {
	t.Helper()
	d, diags := lang.LoadFiles(map[string][]byte{"hostile.arch.hcl": []byte(src)}, lang.Options{})
	if diags.HasErrors() {
		t.Fatalf("invalid design: %s", diags.Error())
	}
	return d
}

// TestPlainPasswordKeepsSecretRef: issue 15 item 2. A design's plain
// POSTGRES_PASSWORD must not replace the engine's secret reference: neither
// target writes the value, Kubernetes keeps the secretKeyRef, and each says
// so as an emit-* finding on env.
func TestPlainPasswordKeepsSecretRef(t *testing.T) {
	d := loadSource(t, `
system "s" {}
service "api" {
  image = "ghcr.io/acme/api:1"
  env = { DATABASE_URL = "postgres://app:urlsecret@db/x", LOG_LEVEL = "info" }
  call { to = database.db }
}
database "db" {
  engine = "postgres"
  env    = { POSTGRES_PASSWORD = "hunter4" }
}
`)
	for _, e := range emitters {
		r, err := e.run(d, Options{SingleFile: true})
		if err != nil {
			t.Fatal(err)
		}
		var all strings.Builder
		for _, f := range r.Files {
			all.Write(f.Data)
		}
		out := all.String()
		for _, secret := range []string{"hunter4", "urlsecret"} {
			if strings.Contains(out, secret) {
				t.Errorf("%s writes the plain credential %q", e.target, secret)
			}
		}
		if !strings.Contains(out, "info") {
			t.Errorf("%s drops LOG_LEVEL, which is no credential", e.target)
		}
		if e.target == TargetKubernetes && !strings.Contains(out, "secretKeyRef") {
			t.Errorf("kubernetes has no secretKeyRef:\n%s", out)
		}
		if e.target == TargetKubernetes && !strings.Contains(out, "name: POSTGRES_PASSWORD\n          valueFrom:") {
			t.Errorf("kubernetes: POSTGRES_PASSWORD is not read from a secret:\n%s", out)
		}
		found := map[string]bool{}
		for _, f := range r.Findings {
			if strings.Contains(f.Message, "holds a credential") {
				found[f.Subject] = true
				if f.Rule != "emit-"+e.target || f.Range.Start.Line == 0 {
					t.Errorf("%s: finding %+v without its rule or range", e.target, f)
				}
			}
		}
		if !found["database.db"] || !found["service.api"] {
			t.Errorf("%s: findings on %v, want one on database.db and one on service.api", e.target, found)
		}
	}
}

// TestClusteredEnginesMatch: lang.ClusteredEngines (which validation reads
// to reserve members' names) lists exactly the engines emit clusters.
func TestClusteredEnginesMatch(t *testing.T) {
	var got []string
	for name, e := range engines {
		if e.Cluster != nil {
			got = append(got, name)
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, lang.ClusteredEngines) {
		t.Errorf("emit clusters %v; lang.ClusteredEngines lists %v", got, lang.ClusteredEngines)
	}
}
