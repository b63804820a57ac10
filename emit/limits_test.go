package emit

import (
	"fmt"
	"strings"
	"testing"

	"github.com/archform/archform/lang"
)

// TestComposeOfManyComponents: compose-go's validation of a large project
// (2,500 services) passes instead of failing on its default cap of YAML node
// visits ("exceeds maximum node visit limit (100000)"), which made emit exit
// 4 on a design lint passes.
func TestComposeOfManyComponents(t *testing.T) {
	if testing.Short() {
		t.Skip("2,500 services: skipped with -short")
	}
	var env []string
	for j := range 40 {
		env = append(env, fmt.Sprintf("E%d = \"%d\"", j, j))
	}
	var src strings.Builder
	src.WriteString("system \"big\" {}\n")
	for i := range 2500 {
		fmt.Fprintf(&src, "service \"s%d\" {\n  image = \"nginx:1.27\"\n  replicas = 2\n  env = { %s }\n}\n", i, strings.Join(env, ", "))
	}
	d, diags := lang.LoadFiles(map[string][]byte{"big.arch.hcl": []byte(src.String())}, lang.Options{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	if _, err := Compose(d, Options{}); err != nil {
		t.Fatalf("emit compose of 2,500 services: %v", err)
	}
}
