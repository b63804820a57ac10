package render

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
)

// A delivery flow's row in the report draws its path on through the queue
// to the consumer's path: in the call tree, the queue under the tier that
// writes to it, the consumer under the queue.
func TestReportDeliveryPath(t *testing.T) {
	path := filepath.Join("..", "analyze", "testdata", "modelv2", "delivery.arch.hcl")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	d, diags := lang.LoadFiles(map[string][]byte{"delivery.arch.hcl": src}, lang.Options{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	page := reportOf(t, Input{Design: d, Results: analyze.Compute(d)})
	_, row, _ := strings.Cut(page, `id="flow-deliver"`)
	row, _, _ = strings.Cut(row, "</tr>")
	if want := "<pre class=\"tree\">client.c\n└─ service.api\n   └─ queue.q (async)\n      └─ service.worker (consumes)</pre>"; !strings.Contains(row, want) {
		t.Errorf("the deliver flow's row does not draw %q:\n%s", want, row)
	}
}
