package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/archform/archform/importer"
)

// hostileYAML are Compose files built to break what archform does with an
// imported design (issue 15): credentials of every form, names that collide
// once mapped, control characters, Compose interpolation, a quote and a
// newline in a health check, an alias fan-out, nesting past the depth
// limit, sizes past every bound. The first seed found emit.Compose escaping
// a command's '$' in the design itself (a second emit escaped it again).
var hostileYAML = []string{
	"services:\n  api:\n    image: \"nginx:$${T:?x}\"\n    command: [\"serve\", \"--db-password\", \"${DB_PASS}\", \"$$HOME\"]\n" +
		"    environment:\n      DATABASE_URL: \"mysql://root:pa/ss@db/x\"\n      GITHUB_PAT: ghp_0123456789abcdef0123456789abcdef0123\n" +
		"    labels: {\"a.b\": \"\\\"; rm -rf / #\", note: \"$(id) <script>alert(1)</script>\"}\n",
	"services:\n  api:\n    image: a\n  API:\n    image: b\n  a_b:\n    image: c\n  a-b:\n    image: d\n  \"аpi\":\n    image: e\n",
	"services:\n  \"a\\u001b[31m\":\n    image: \"x:1\"\n    labels: {\"k\": \"v\\u0000\\u202e\"}\n",
	"services:\n  w:\n    image: w\n    healthcheck:\n      test: [\"CMD-SHELL\", \"curl -f 'http://localhost/x\\nserver evil 6.6.6.6:80'; touch /tmp/pwned; '\"]\n",
	"x-a: &a [x, x, x, x, x, x, x, x]\nx-b: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nx-c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nservices:\n  s:\n    image: s\n    command: *a\n",
	"services:\n  s:\n    image: s\n    x-deep: " + strings.Repeat("[", 300) + strings.Repeat("]", 300) + "\n",
	"services:\n  s:\n    image: s\n    cpus: 1e308\n    mem_limit: 99999999999999999999g\n",
	"services:\n  s:\n    image: s\n    deploy: {replicas: 99999999999}\n",
}

// FuzzImportedPipeline is FuzzPipeline for what import writes: the fuzzed
// bytes are a Compose file; what the importer refuses is its business
// (importer's FuzzCompose), and a design it writes must go through the whole
// pipeline (checkPipeline) like any other.
func FuzzImportedPipeline(f *testing.F) {
	for _, s := range hostileYAML {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "compose.yaml")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		r, err := importer.Compose([]string{path})
		var ie *importer.InputError
		if errors.As(err, &ie) {
			return
		}
		if err != nil {
			t.Fatalf("internal error importing %q: %v", data, err)
		}
		checkPipeline(t, r.Source)
	})
}
