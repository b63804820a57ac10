package analyze

import (
	"math"
	"testing"

	"github.com/archform/archform/lang"
)

// TestOverflowIsNeverHealthy (issue 15 item 9): a load far past what the
// instances carry, or past what float64 holds, saturates to a failing
// figure: k past n, availability 0, never k = 1 and a healthy-looking
// availability.
func TestOverflowIsNeverHealthy(t *testing.T) {
	for name, src := range map[string]string{
		"tiny capacity": `
system "s" {}
client "web" {
  rps = 1e12
  call {
    to = service.api
  }
}
service "api" {
  replicas     = 3
  capacity_rps = 1e-9
}
flow "f" {
  entry = client.web
}
`,
		"fan-outs past float64": `
system "s" {}
client "web" {
  rps = 1e12
  call {
    to          = service.a
    per_request = 1e12
  }
}
service "a" {
  call {
    to          = service.b
    per_request = 1e12
  }
}
service "b" {
  call {
    to          = service.api
    per_request = 1e12
  }
}
service "api" {
  replicas     = 3
  capacity_rps = 1e12
}
flow "f" {
  entry = client.web
}
`} {
		d, diags := lang.LoadFiles(map[string][]byte{"d.arch.hcl": []byte(src)}, lang.Options{})
		if diags.HasErrors() {
			t.Fatalf("%s: %v", name, diags)
		}
		res, err := ComputeSafe(d)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		api := res.Components["service.api"]
		if api.K <= api.N || api.Availability != 0 || math.IsNaN(api.Availability) {
			t.Errorf("%s: service.api k = %d of n = %d, availability %v: a tier that cannot carry its load looks up", name, api.K, api.N, api.Availability)
		}
		if f := res.Flows["f"]; f == nil || f.Availability != 0 {
			t.Errorf("%s: the flow's availability is not 0: %+v", name, f)
		}
	}
}
