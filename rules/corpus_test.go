package rules_test

import (
	"path/filepath"
	"testing"

	"github.com/archform/archform/importer"
	"github.com/archform/archform/internal/sharedfiles"
	"github.com/archform/archform/lang"
)

// corpusInputs are the real microservice systems of the shared corpus that
// nobody on this team wrote, as a team would import them (the Compose files
// and overrides each system's README says to combine, or its Kubernetes
// manifests): the same inputs importer's TestSystemsCalls measures.
var corpusInputs = []struct {
	name, system string
	kubernetes   bool
	paths        []string
}{
	{"voting-app compose", "voting-app", false, []string{"docker-compose.yml"}},
	{"voting-app kubernetes", "voting-app", true, []string{"k8s-specifications"}},
	{"sock-shop compose", "sock-shop", false, []string{"deploy/docker-compose/docker-compose.yml", "deploy/docker-compose/docker-compose.monitoring.yml", "deploy/docker-compose/docker-compose.logging.yml"}},
	{"sock-shop kubernetes", "sock-shop", true, []string{"deploy/kubernetes/complete-demo.yaml"}},
	{"robot-shop compose", "robot-shop", false, []string{"docker-compose.yaml", "docker-compose-load.yaml"}},
	{"petclinic compose", "petclinic", false, []string{"docker-compose.yml"}},
	{"piggymetrics compose", "piggymetrics", false, []string{"docker-compose.yml"}},
	{"eshoponcontainers compose", "eshoponcontainers", false, []string{"src/docker-compose.yml", "src/docker-compose.override.yml"}},
}

// corpusDesigns imports the corpus systems (corpusInputs), keyed by their
// names. Without the shared corpus it skips the test (fails it under CI):
// call it after the checks that need only the examples.
func corpusDesigns(t *testing.T) map[string]*lang.Design {
	t.Helper()
	root := sharedfiles.Path(t, "corpus", "systems")
	out := map[string]*lang.Design{}
	for _, in := range corpusInputs {
		var paths []string
		for _, p := range in.paths {
			paths = append(paths, filepath.Join(root, in.system, p))
		}
		imp := importer.Compose
		if in.kubernetes {
			imp = importer.Kubernetes
		}
		r, err := imp(paths)
		if err != nil {
			t.Fatalf("%s: import: %v", in.name, err)
		}
		d, diags := lang.LoadFiles(map[string][]byte{r.FileName: r.Source}, lang.Options{})
		if diags.HasErrors() {
			t.Fatalf("%s: the imported design is invalid: %s", in.name, diags.Error())
		}
		out["corpus "+in.name] = d
	}
	return out
}
