package importer

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/archform/archform/internal/sharedfiles"

	"github.com/archform/archform/emit"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/lang/format"
)

var update = flag.Bool("update", false, "rewrite the golden designs in testdata/golden")

// Corpus locates the shared corpus of real-world inputs: shared/corpus in
// an ancestor of the package directory (in CI, the clone has shared/ beside
// it). It skips the test when the corpus is absent, unless
// ARCHFORM_REQUIRE_TOOLS=1.
func Corpus(t testing.TB) string {
	t.Helper()
	return sharedfiles.Path(t, "corpus")
}

// corpusInput is one corpus input and how to import it.
type corpusInput struct {
	name     string
	path     string
	importer func([]string) (*Result, error)
}

func corpusInputs(t *testing.T) []corpusInput {
	root := Corpus(t)
	composeFiles, err := filepath.Glob(filepath.Join(root, "compose", "awesome-compose", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(composeFiles) != 39 {
		t.Fatalf("found %d Compose files in the corpus, want 39", len(composeFiles))
	}
	var out []corpusInput
	for _, f := range composeFiles {
		out = append(out, corpusInput{name: strings.TrimSuffix(filepath.Base(f), ".yaml"), path: f, importer: Compose})
	}
	k := filepath.Join(root, "kubernetes", "online-boutique.yaml")
	return append(out, corpusInput{name: "online-boutique", path: k, importer: Kubernetes})
}

// TestCorpusImports imports every corpus file: the design loads without an
// error, the same input gives the same bytes, and both emitters accept the
// design (their own validation: compose-go's loader, strict Kubernetes
// decoding).
func TestCorpusImports(t *testing.T) {
	components := 0
	for _, in := range corpusInputs(t) {
		t.Run(in.name, func(t *testing.T) {
			r, err := in.importer([]string{in.path})
			if err != nil {
				t.Fatalf("import: %v", err)
			}
			again, err := in.importer([]string{in.path})
			if err != nil || !bytes.Equal(r.Source, again.Source) {
				t.Fatalf("a second import differs (err %v)", err)
			}
			d, diags := lang.LoadFiles(map[string][]byte{r.FileName: r.Source}, lang.Options{})
			if diags.HasErrors() {
				t.Fatalf("the design is invalid: %s", diags.Error())
			}
			if len(d.Components) != r.Components || r.Components == 0 {
				t.Fatalf("Result.Components = %d, the design has %d", r.Components, len(d.Components))
			}
			components += r.Components
			formatted, _ := format.Source(r.Source, r.FileName)
			if !bytes.Equal(formatted, r.Source) {
				t.Error("the design is not formatted")
			}
			if _, err := emit.Compose(d, emit.Options{}); err != nil {
				t.Errorf("emit compose: %v", err)
			}
			if _, err := emit.Kubernetes(d, emit.Options{}); err != nil {
				t.Errorf("emit kubernetes: %v", err)
			}
		})
	}
	t.Logf("corpus: %d components", components)
}

// goldens are the corpus inputs whose designs are checked in full.
var goldens = []string{
	"nginx-golang-postgres.compose",
	"react-express-mysql.compose",
	"nextcloud-redis-mariadb.compose",
	"wasmedge-kafka-mysql.compose",
	"elasticsearch-logstash-kibana.compose",
	"online-boutique",
}

// TestCorpusGolden compares a handful of imported designs with
// testdata/golden (go test -update rewrites them; review the diff).
func TestCorpusGolden(t *testing.T) {
	byName := map[string]corpusInput{}
	for _, in := range corpusInputs(t) {
		byName[in.name] = in
	}
	for _, name := range goldens {
		t.Run(name, func(t *testing.T) {
			in, ok := byName[name]
			if !ok {
				t.Fatalf("%s is not in the corpus", name)
			}
			r, err := in.importer([]string{in.path})
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "golden", name+".arch.hcl")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, r.Source, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to write it)", err)
			}
			if !bytes.Equal(r.Source, want) {
				t.Errorf("%s differs from the import (go test -update rewrites it):\n%s", golden, r.Source)
			}
		})
	}
}
