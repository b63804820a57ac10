package emit

import (
	"testing"

	"github.com/archform/archform/lang"
)

// BenchmarkCompose and BenchmarkKubernetes emit the shop, validation
// included (compose-go's loader; strict decoding of every object).
func BenchmarkCompose(b *testing.B) { benchmarkEmit(b, Compose) }

func BenchmarkKubernetes(b *testing.B) { benchmarkEmit(b, Kubernetes) }

func benchmarkEmit(b *testing.B, run func(*lang.Design, Options) (*Result, error)) {
	d, diags := lang.Load("../testdata/shop", lang.Options{})
	if diags.HasErrors() {
		b.Fatal(diags.Error())
	}
	for b.Loop() {
		if _, err := run(d, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
