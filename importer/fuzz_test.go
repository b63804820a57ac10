package importer

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

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
	if _, diags := lang.LoadFiles(map[string][]byte{r.FileName: r.Source}, lang.Options{}); diags.HasErrors() {
		t.Fatalf("invalid design from %q: %s", data, diags.Error())
	}
	if again, _ := format.Source(r.Source, r.FileName); string(again) != string(r.Source) {
		t.Fatalf("the design is not formatted")
	}
}

func FuzzCompose(f *testing.F) {
	f.Add([]byte(shopCompose))
	f.Add([]byte("services:\n  a:\n    image: postgres\n    deploy: {replicas: 3}\n"))
	f.Add([]byte("services:\n  1.x:\n    image: nginx\n    depends_on: [y]\n  y:\n    build: .\n    environment: [\"A_KEY=${K:?no}\"]\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzImport(t, Compose, "compose.yaml", data) })
}

func FuzzKubernetes(f *testing.F) {
	f.Add([]byte(shopManifests))
	f.Add([]byte("apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers: [{name: db, image: mysql}]\n"))
	f.Add([]byte("apiVersion: v1\nkind: List\nitems:\n- apiVersion: apps/v1\n  kind: Deployment\n  metadata: {name: a}\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzImport(t, Kubernetes, "m.yaml", data) })
}
