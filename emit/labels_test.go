package emit

import (
	"strings"
	"testing"

	"github.com/archform/archform/lang"
)

// TestComponentLabelIsArchforms: a design's own archform.component label
// cannot make one component's Compose service claim another's (drift reads
// the label back); it is dropped, with a finding.
func TestComponentLabelIsArchforms(t *testing.T) {
	d, diags := lang.LoadFiles(map[string][]byte{"d.arch.hcl": []byte(`
system "s" {}
service "a" {
  image  = "nginx:1.27"
  labels = { "archform.component" = "service.b", team = "x" }
}
service "b" {
  image = "nginx:1.27"
}
`)}, lang.Options{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	r, err := Compose(d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	yml := string(r.Files[0].Data)
	if strings.Count(yml, "archform.component: service.b") != 1 || !strings.Contains(yml, "archform.component: service.a") {
		t.Errorf("service.a's containers claim service.b's:\n%s", yml)
	}
	if !strings.Contains(string(findingsText(r.Findings)), "the label archform.component is archform's own") {
		t.Errorf("no finding for the dropped label:\n%s", findingsText(r.Findings))
	}
}
