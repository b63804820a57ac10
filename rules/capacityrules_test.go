package rules_test

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"testing"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/lang/designgen"
	"github.com/archform/archform/rules/availabilityslo"
	"github.com/archform/archform/rules/cachefailure"
	"github.com/archform/archform/rules/capacity"
	"github.com/archform/archform/rules/latencyslo"
	"github.com/archform/archform/rules/nocapacity"
	"github.com/archform/archform/rules/spof"
	"github.com/archform/archform/rules/zonefailure"
)

// The capacity and failure rules run without an internal error on every
// example design and on a generated one, and give the same findings, in the
// same order, every time (maps are iterated in a fixed order).
func TestCapacityRulesDeterministic(t *testing.T) {
	suite := []*analyze.Analyzer{spof.Analyzer, capacity.Analyzer, zonefailure.Analyzer,
		cachefailure.Analyzer, availabilityslo.Analyzer, latencyslo.Analyzer, nocapacity.Analyzer}
	dirs, err := filepath.Glob("../testdata/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no example designs: %v", err)
	}
	designs := map[string]*lang.Design{}
	for _, dir := range dirs {
		d, diags := lang.Load(dir, lang.Options{})
		if diags.HasErrors() {
			t.Errorf("%s does not load: %v", dir, diags)
			continue
		}
		designs[dir] = d
	}
	gen, diags := lang.LoadFiles(map[string][]byte{"gen.arch.hcl": designgen.Generate(300, 7)}, lang.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	designs["generated"] = gen
	total := 0
	for name, d := range designs {
		first, err := analyze.Run(d, suite, nil)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		again, err := analyze.Run(d, suite, nil)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !reflect.DeepEqual(first.Findings, again.Findings) {
			t.Errorf("%s: two runs differ", name)
		}
		total += len(first.Findings)
	}
	if total == 0 {
		t.Error("no findings on any design: the rules did not run")
	}
}

// The rules' copies of the shop (with want comments) stay the shop: with
// their want comments taken out they equal testdata/shop, so that the
// shop's expected findings are asserted on the shop itself.
func TestShopCopies(t *testing.T) {
	want, err := os.ReadFile("../testdata/shop/shop.arch.hcl")
	if err != nil {
		t.Fatal(err)
	}
	wantRE := regexp.MustCompile(`(?m)  # want .*$`)
	for _, dir := range []string{"spof", "capacity", "zonefailure", "cachefailure", "availabilityslo", "latencyslo", "nocapacity"} {
		got, err := os.ReadFile(filepath.Join(dir, "testdata", "shop", "shop.arch.hcl"))
		if err != nil {
			t.Error(err)
			continue
		}
		if stripped := wantRE.ReplaceAll(got, nil); !bytes.Equal(stripped, want) {
			t.Errorf("%s/testdata/shop/shop.arch.hcl is no longer testdata/shop with want comments: copy it again", dir)
		}
	}
}
