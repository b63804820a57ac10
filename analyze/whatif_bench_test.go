package analyze

import (
	"testing"

	"github.com/archform/archform/lang"
	"github.com/archform/archform/lang/designgen"
)

// BenchmarkWhatIf analyses a generated design of 1,000 components under a
// zone lost and every client's traffic doubled (the goal: well under a
// second), and the shop under zone a lost at a 2x peak (milliseconds).
func BenchmarkWhatIf(b *testing.B) {
	d, diags := lang.LoadFiles(map[string][]byte{"gen.arch.hcl": designgen.Generate(1000, 1)}, lang.Options{})
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	var scales []string
	for _, c := range d.Components {
		if c.Kind == lang.KindClient {
			scales = append(scales, c.Addr+"=2x")
		}
	}
	fails := []string{"zone:" + d.Zones[0].Name}
	shop, diags := lang.Load("../testdata/shop", lang.Options{})
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	for _, c := range []struct {
		name         string
		d            *lang.Design
		fails, scale []string
	}{{"components=1000", d, fails, scales}, {"shop", shop, []string{"zone:a"}, []string{"client.web=2x"}}} {
		b.Run(c.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				w, err := ParseWhatIf(c.d, c.fails, c.scale)
				if err != nil {
					b.Fatal(err)
				}
				ComputeWhatIf(c.d, w)
			}
		})
	}
}
