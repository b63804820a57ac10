package config

import (
	"bytes"
	"fmt"
	"github.com/archform/archform/analyze"
	"github.com/archform/archform/internal/linttest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var configSuite = []*analyze.Analyzer{linttest.SingleReplica, linttest.Describe}

func TestParseConfig(t *testing.T) {
	cfg, diags := Parse([]byte(`# lint settings
archform {
  required_version = ">= 1.0, < 2"
}
defaults {
  fail_on = "warning"
}
rule "single-replica" {
  enabled      = true
  severity     = "info"
  min_replicas = 3
}
rule "suppression" {
  enabled = false
}
`), "dir/.archform.hcl", configSuite)
	if len(diags) > 0 {
		t.Fatal(diags.Error())
	}
	if cfg.RequiredVersion != ">= 1.0, < 2" || cfg.FailOnSeverity() != analyze.Warning {
		t.Errorf("cfg = %+v", cfg)
	}
	if !cfg.Enabled("single-replica") || cfg.Enabled("suppression") || !cfg.Enabled("describe") {
		t.Error("enabled wrong")
	}
	if cfg.Severity(linttest.SingleReplica) != analyze.Info || cfg.Severity(linttest.Describe) != analyze.Info || cfg.Severity(analyze.SuppressionAnalyzer) != analyze.Warning {
		t.Error("severities wrong")
	}
	if got := cfg.Params("single-replica")["min_replicas"]; got != 3 {
		t.Errorf("min_replicas = %v", got)
	}
	if r := cfg.Rules["single-replica"].Ranges["min_replicas"]; r.Start.Line != 11 || r.Filename != "dir/.archform.hcl" {
		t.Errorf("range = %v", r)
	}
	var nilCfg *analyze.Config
	if !nilCfg.Enabled("x") || nilCfg.FailOnSeverity() != analyze.Error || nilCfg.Severity(linttest.Describe) != analyze.Info {
		t.Error("nil config is not the default")
	}
}

func TestParseConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []string // "LINE:COL summary: detail fragment"
	}{
		{"unknown block", "rules {\n}\n", []string{`1:1 Unsupported block type: Blocks of type "rules" are not expected here. Did you mean "rule"?`}},
		{"unknown top-level attribute", "fail_on = \"error\"\n", []string{`1:1 Unsupported argument: An argument named "fail_on" is not expected here.`}},
		{"unknown archform key", "archform {\n  version = \"1\"\n}\n", []string{`2:3 Unsupported argument: An argument named "version" is not expected here.`}},
		{"unknown rule", "rule \"single-replic\" {\n}\n", []string{`1:6 Unknown rule: There is no rule "single-replic". Did you mean "single-replica"?`}},
		{"unknown param", "rule \"single-replica\" {\n  min_replica = 2\n}\n", []string{`2:3 Unsupported argument: Rule "single-replica" has no setting "min_replica". Did you mean "min_replicas"?`}},
		{"param of another rule", "rule \"describe\" {\n  min_replicas = 2\n}\n", []string{`2:3 Unsupported argument: Rule "describe" has no setting "min_replicas". It takes: enabled, severity.`}},
		{"param not a number", "rule \"single-replica\" {\n  min_replicas = \"two\"\n}\n", []string{`2:18 Invalid value: min_replicas must be a number, not a string.`}},
		{"param out of its range", "rule \"single-replica\" {\n  min_replicas = 0\n}\n", []string{`2:18 Invalid rule parameter: min_replicas must be between 1 and 1000; got 0.`}},
		{"param not finite", "rule \"single-replica\" {\n  min_replicas = 1e400\n}\n", []string{`2:18 Invalid rule parameter: min_replicas must be a finite number.`}},
		{"enabled not a bool", "rule \"describe\" {\n  enabled = \"no\"\n}\n", []string{`2:13 Invalid value: enabled must be a bool, not a string.`}},
		{"bad severity", "rule \"describe\" {\n  severity = \"fatal\"\n}\n", []string{`2:14 Invalid severity: Severity "fatal" is not one of error, warning or info`}},
		{"severity none", "rule \"describe\" {\n  severity = \"none\"\n}\n", []string{`2:14 Invalid severity: Severity "none" is not one of error, warning or info`}},
		{"bad fail_on", "defaults {\n  fail_on = \"errors\"\n}\n", []string{`2:13 Invalid fail_on: unknown severity "errors"`}},
		{"duplicate rule", "rule \"describe\" {\n}\nrule \"describe\" {\n}\n", []string{`3:1 Duplicate rule block: This configuration already has this block at c.hcl:1,1-16.`}},
		{"version too new", "archform {\n  required_version = \">= 2.0\"\n}\n", []string{`2:22 Unsupported archform version: This configuration requires archform >= 2.0; this is archform 1.0.0.`}},
		{"version malformed", "archform {\n  required_version = \">= one\"\n}\n", []string{`2:22 Invalid required_version: version "one" is not MAJOR[.MINOR[.PATCH]]`}},
		{"variables are not allowed", "rule \"single-replica\" {\n  min_replicas = var.x\n}\n", []string{`2:18 Variables not allowed: Variables may not be used here.`}},
		{"several errors at once", "rule \"nope\" {\n}\nrule \"describe\" {\n  severity = 1\n  colour = \"red\"\n}\n", []string{
			`1:6 Unknown rule: There is no rule "nope".`,
			`4:14 Invalid value: severity must be a string, not a number.`,
			`5:3 Unsupported argument: Rule "describe" has no setting "colour".`,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, diags := Parse([]byte(tc.src), "c.hcl", configSuite)
			if cfg != nil {
				t.Error("config returned despite errors")
			}
			var got []string
			for _, d := range diags {
				pos := "?"
				if d.Subject != nil {
					pos = fmt.Sprintf("%d:%d", d.Subject.Start.Line, d.Subject.Start.Column)
				}
				got = append(got, fmt.Sprintf("%s %s: %s", pos, d.Summary, d.Detail))
			}
			if len(got) != len(tc.want) {
				t.Fatalf("diagnostics:\n%s\nwant %d", strings.Join(got, "\n"), len(tc.want))
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tc.want[i]) {
					t.Errorf("diagnostic %d:\n got %s\nwant %s...", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestVersionConstraints(t *testing.T) {
	for _, tc := range []struct {
		cons, v string
		ok      bool
	}{
		{">= 1.0", "1.0.0", true},
		{">= 1.0", "0.9.9", false},
		{"> 1.0", "1.0.0", false},
		{"1.0.0", "1.0.0", true},
		{"= 1.0", "1.0.1", false},
		{"!= 1.0.0", "1.0.0", false},
		{"< 1.0", "1.0.0-rc.1", true},
		{">= 1.0", "1.0.0-rc.1", false},
		{"~> 1.2", "1.9.0", true},
		{"~> 1.2", "2.0.0", false},
		{"~> 1.2", "1.1.0", false},
		{"~> 1.2.3", "1.2.9", true},
		{"~> 1.2.3", "1.3.0", false},
		{">= 1.0, < 2.0", "1.5.0", true},
		{">= 1.0, < 2.0", "2.0.0", false},
		{"<=1.0", "v1.0.0+build", true},
	} {
		cs, err := parseConstraints(tc.cons)
		if err != nil {
			t.Errorf("%q: %v", tc.cons, err)
			continue
		}
		v, _, err := parseVersion(tc.v)
		if err != nil {
			t.Errorf("%q: %v", tc.v, err)
			continue
		}
		if got := cs.allow(v); got != tc.ok {
			t.Errorf("%q allows %s = %v, want %v", tc.cons, tc.v, got, tc.ok)
		}
	}
	for _, bad := range []string{"", ">=", "1.0,", ">= 1.0.0.0", "~> x", ">= 01.0", "1.0.0-"} {
		if _, err := parseConstraints(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
	if _, _, err := parseVersion(Version); err != nil {
		t.Errorf("Version %q: %v", Version, err)
	}
}

func TestFindConfig(t *testing.T) {
	root := t.TempDir()
	mk := func(rel, content string) string {
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	mk("outside/.archform.hcl", "")
	mk("outside/repo/.git/HEAD", "ref: refs/heads/main\n")
	top := mk("outside/repo/.archform.hcl", "")
	design := mk("outside/repo/designs/shop/shop.arch.hcl", "")
	near := mk("outside/repo/designs/local/.archform.hcl", "")
	local := mk("outside/repo/designs/local/a.arch.hcl", "")
	mk("outside/repo2/.git/HEAD", "")
	lone := mk("outside/repo2/d/a.arch.hcl", "")

	for _, tc := range []struct{ path, want string }{
		{filepath.Dir(design), top}, // a directory: walks up to the repository root
		{design, top},               // a file: starts in its directory
		{local, near},               // next to the design wins
		{filepath.Dir(local), near}, // the design directory itself
		{lone, ""},                  // the search stops at the repository root
	} {
		got, err := Find(tc.path)
		if err != nil || got != tc.want {
			t.Errorf("Find(%s) = %q, %v; want %q", tc.path, got, err, tc.want)
		}
	}
	if _, err := Find(filepath.Join(root, "missing")); err == nil {
		t.Error("Find of a missing path succeeded")
	}
	cfg, diags := Load(top, configSuite)
	if diags.HasErrors() || cfg.Path != top {
		t.Errorf("Load = %+v, %v", cfg, diags)
	}
	if _, diags := Load(filepath.Join(root, "nope.hcl"), configSuite); !diags.HasErrors() {
		t.Error("Load of a missing file has no error")
	}
}

func TestShowConfig(t *testing.T) {
	cfg, diags := Parse([]byte(`archform {
  required_version = ">= 1.0"
}
rule "single-replica" {
  min_replicas = 3
}
rule "describe" {
  enabled  = false
  severity = "warning"
}
`), "proj/.archform.hcl", configSuite)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	var buf bytes.Buffer
	if err := Show(&buf, cfg, configSuite); err != nil {
		t.Fatal(err)
	}
	linttest.Golden(t, "show-config.txt", buf.Bytes())
	// What Show prints is itself a valid configuration.
	if _, diags := Parse(buf.Bytes(), "shown.hcl", configSuite); diags.HasErrors() {
		t.Errorf("Show's output does not parse: %s", diags.Error())
	}
	buf.Reset()
	cfg.SetFailOn(analyze.SeverityNone, "--fail-on")
	if err := Show(&buf, cfg, configSuite); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "fail_on = \"none\" # --fail-on\n") || cfg.FailOnSeverity() != analyze.SeverityNone {
		t.Errorf("--fail-on none is not shown or not kept:\n%s", buf.String())
	}
	buf.Reset()
	if err := Show(&buf, nil, configSuite); err != nil {
		t.Fatal(err)
	}
	linttest.Golden(t, "show-config-default.txt", buf.Bytes())
}
