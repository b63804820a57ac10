package lang

import (
	"testing"
)

// The resilience settings decode into the design with their defaults:
// deploy (rollout is its strategy), a queue's overflow and message size,
// concurrency and bulkheads.
func TestResilienceSettings(t *testing.T) {
	src := `system "s" {}
service "api" {
  rollout     = "rolling"
  concurrency = 200
  bulkhead    = 50
  deploy {
    max_unavailable = 2
    max_surge       = 0
  }
  call {
    to       = queue.jobs
    mode     = "async"
    bulkhead = 10
  }
  call {
    to = queue.plain
    mode = "async"
  }
}
service "web" {
  rollout = "canary"
  deploy {}
}
service "bare" {}
queue "jobs" {
  max_depth    = 1000
  overflow     = "reject"
  message_size = "2Ki"
}
queue "plain" {}
`
	d, diags := LoadFiles(map[string][]byte{"a.arch.hcl": []byte(src)}, Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	api := d.Component("service.api")
	if api.Deploy == nil || *api.Deploy != (Deploy{Strategy: "rolling", MaxUnavailable: 2, MaxSurge: 0, DeclRange: api.Deploy.DeclRange}) || api.Rollout != "rolling" {
		t.Errorf("api deploy = %+v, rollout %q", api.Deploy, api.Rollout)
	}
	if api.Concurrency != 200 || api.Bulkhead != 50 {
		t.Errorf("api concurrency %d bulkhead %d", api.Concurrency, api.Bulkhead)
	}
	if b := api.Calls[0].EffectiveBulkhead(); b != 10 {
		t.Errorf("call bulkhead = %d, want its own 10", b)
	}
	if b := api.Calls[1].EffectiveBulkhead(); b != 50 {
		t.Errorf("call bulkhead = %d, want the service's 50", b)
	}
	if web := d.Component("service.web"); web.Deploy.Strategy != "canary" || web.Deploy.MaxSurge != 1 || web.Rollout != "canary" {
		t.Errorf("web deploy = %+v (rollout gives the strategy)", web.Deploy)
	}
	if bare := d.Component("service.bare"); bare.Deploy != nil || bare.Rollout != "" {
		t.Errorf("bare deploy = %+v rollout %q", bare.Deploy, bare.Rollout)
	}
	if q := d.Component("queue.jobs"); q.MaxDepth != 1000 || q.Overflow != "reject" || q.MessageSize != 2048 {
		t.Errorf("jobs = depth %d overflow %q size %v", q.MaxDepth, q.Overflow, q.MessageSize)
	}
	if q := d.Component("queue.plain"); q.MaxDepth != 0 || q.Overflow != "drop_oldest" || q.MessageSize != DefaultMessageSize {
		t.Errorf("plain = depth %d overflow %q size %v", q.MaxDepth, q.Overflow, q.MessageSize)
	}
}

func TestQuantityValue(t *testing.T) {
	for s, want := range map[string]float64{"2Ki": 2048, "1Mi": 1 << 20, "500m": 0.5, "1e3": 1000, "1.5k": 1500, "64": 64, "x": 0, "2E+2": 200} {
		if got := QuantityValue(s); got != want {
			t.Errorf("QuantityValue(%q) = %v, want %v", s, got, want)
		}
	}
}
