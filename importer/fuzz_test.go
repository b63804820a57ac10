package importer

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/archform/archform/internal/credential"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/lang/format"
)

// fuzzImport checks the importer's promise on any input: it returns an
// InputError (bad input) or a design that loads and is formatted; never
// another error, never a panic.
func fuzzImport(t *testing.T, importer func([]string) (*Result, error), name string, data []byte) {
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := importer([]string{path})
	var ie *InputError
	switch {
	case errors.As(err, &ie):
		if ie.File != path {
			t.Fatalf("the error names %q, not the input %q: %v", ie.File, path, err)
		}
		return
	case err != nil:
		t.Fatalf("internal error on input %q: %v", data, err)
	}
	d, diags := lang.LoadFiles(map[string][]byte{r.FileName: r.Source}, lang.Options{})
	if diags.HasErrors() {
		t.Fatalf("invalid design from %q: %s", data, diags.Error())
	}
	// No credential reaches the design (issue 15 item 2).
	for _, c := range d.Components {
		for k, v := range c.Env {
			if m, ok := credential.Find(k, v); ok {
				t.Fatalf("%s: env %s = %q holds %s", c.Addr, k, v, m.What)
			}
		}
		for _, m := range credential.FindArgs(c.Command) {
			if !credential.Reference(c.Command[m.Index][m.Start:m.End]) {
				t.Fatalf("%s: command %q holds %s", c.Addr, c.Command, m.What)
			}
		}
	}
	if again, _ := format.Source(r.Source, r.FileName); string(again) != string(r.Source) {
		t.Fatalf("the design is not formatted")
	}
}

func FuzzCompose(f *testing.F) {
	f.Add([]byte(shopCompose))
	f.Add([]byte("services:\n  a:\n    image: postgres\n    deploy: {replicas: 3}\n"))
	f.Add([]byte("services:\n  1.x:\n    image: nginx\n    depends_on: [y]\n  y:\n    build: .\n    environment: [\"A_KEY=${K:?no}\"]\n"))
	// Hostile YAML: credentials of every form, names that collide once
	// mapped, control characters, a quote in a health check's command.
	f.Add([]byte(hostileCompose))
	f.Add([]byte("services:\n  api:\n    image: a\n  API:\n    image: b\n  a_b:\n    image: c\n  a-b:\n    image: d\n"))
	f.Add([]byte("services:\n  \"a\\u001b[31m\":\n    image: \"x:$${T:?x}\"\n    labels: {\"k\": \"v\\u0000\"}\n"))
	f.Add([]byte("services:\n  w:\n    image: w\n    healthcheck:\n      test: [\"CMD-SHELL\", \"curl -f 'http://localhost/x\\n'; touch /tmp/pwned; '\"]\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzImport(t, Compose, "compose.yaml", data) })
}

func FuzzKubernetes(f *testing.F) {
	f.Add([]byte(shopManifests))
	f.Add([]byte("apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers: [{name: db, image: mysql}]\n"))
	f.Add([]byte("apiVersion: v1\nkind: List\nitems:\n- apiVersion: apps/v1\n  kind: Deployment\n  metadata: {name: a}\n"))
	f.Add([]byte(hostileManifests))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzImport(t, Kubernetes, "m.yaml", data) })
}
