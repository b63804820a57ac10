// Command designgen writes a generated archform design (package designgen)
// to standard output, for benchmarks and load tests.
//
//	go run ./lang/designgen/cmd/designgen -groups 1000 > groups.arch.hcl
//	go run ./lang/designgen/cmd/designgen -components 1000 -seed 1 > gen.arch.hcl
//
// -groups N writes N independent groups of ten components (designgen.Groups);
// -components N a design of N components of every kind (designgen.Generate).
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/archform/archform/lang/designgen"
)

func main() {
	groups := flag.Int("groups", 0, "write `N` independent groups of 10 components")
	components := flag.Int("components", 0, "write a design of `N` components of every kind")
	seed := flag.Int64("seed", 1, "the seed of -components")
	flag.Parse()
	var src []byte
	switch {
	case *groups > 0 && *components == 0:
		src = designgen.Groups(*groups)
	case *components > 0 && *groups == 0:
		src = designgen.Generate(*components, *seed)
	default:
		fmt.Fprintln(os.Stderr, "designgen: give one of -groups N or -components N (N ≥ 1)")
		os.Exit(2)
	}
	if _, err := os.Stdout.Write(src); err != nil {
		fmt.Fprintln(os.Stderr, "designgen:", err)
		os.Exit(3)
	}
}
