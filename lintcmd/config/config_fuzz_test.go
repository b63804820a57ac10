package config

import (
	"bytes"
	"testing"
)

// FuzzParseConfig: configuration parsing never panics and an accepted
// configuration shows as a configuration that parses again.
func FuzzParse(f *testing.F) {
	f.Add(`archform { required_version = "~> 1.0" }` + "\nrule \"single-replica\" {\n  min_replicas = 3\n  severity = \"info\"\n}\n")
	f.Add("defaults {\n  fail_on = \"none\"\n}\n")
	f.Fuzz(func(t *testing.T, src string) {
		cfg, diags := Parse([]byte(src), "c.hcl", configSuite)
		if diags.HasErrors() || cfg == nil {
			return
		}
		var buf bytes.Buffer
		if err := Show(&buf, cfg, configSuite); err != nil {
			t.Fatal(err)
		}
		if _, diags := Parse(buf.Bytes(), "shown.hcl", configSuite); diags.HasErrors() {
			t.Fatalf("shown configuration does not parse: %s\n%s", diags.Error(), buf.Bytes())
		}
	})
}
