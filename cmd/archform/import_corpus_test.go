package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/archform/archform/internal/sharedfiles"

	"github.com/archform/archform/cmd/internal/cli"
	"github.com/archform/archform/lang"
)

// corpusDir is shared/corpus beside the repository (sharedfiles.Path: a
// skip in a fresh clone, a failure under CI).
func corpusDir(t *testing.T) string {
	t.Helper()
	return sharedfiles.Path(t, "corpus")
}

// lintReport is the part of lint --format json the test reads.
type lintReport struct {
	Findings []struct {
		Rule     string `json:"rule"`
		Severity string `json:"severity"`
		Subject  string `json:"subject"`
	} `json:"findings"`
}

// importAndLint runs import, lint --format json and both emits through the
// CLI in-process, failing the test on an exit code import or lint must not
// give. It returns the design directory and the lint report.
func importAndLint(t *testing.T, target, input string) (string, *lintReport) {
	t.Helper()
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := run([]string{"import", target, input, "-o", dir}, &stdout, &stderr); code != cli.ExitOK {
		t.Fatalf("import exited %d: %s", code, stderr.String())
	}
	stdout.Reset()
	stderr.Reset()
	code := run([]string{"lint", "--format", "json", dir}, &stdout, &stderr)
	if code != cli.ExitOK && code != cli.ExitFindings {
		t.Fatalf("lint exited %d (want 0 or 1): %s", code, stderr.String())
	}
	var rep lintReport
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("lint --format json: %v", err)
	}
	for _, emitTarget := range []string{"compose", "kubernetes"} {
		stderr.Reset()
		code := run([]string{"emit", emitTarget, dir, "-o", filepath.Join(t.TempDir(), emitTarget)}, &bytes.Buffer{}, &stderr)
		if code != cli.ExitOK && code != cli.ExitFindings {
			t.Errorf("emit %s exited %d: %s", emitTarget, code, stderr.String())
		}
	}
	return dir, &rep
}

// TestImportCorpusLints imports every corpus input through the CLI, lints it
// (exit 0 or 1, never 2, 3 or 4) and emits both targets, then logs what the
// corpus gave.
func TestImportCorpusLints(t *testing.T) {
	root := corpusDir(t)
	inputs, err := filepath.Glob(filepath.Join(root, "compose", "awesome-compose", "*.yaml"))
	if err != nil || len(inputs) != 39 {
		t.Fatalf("found %d Compose files (%v), want 39", len(inputs), err)
	}
	inputs = append(inputs, filepath.Join(root, "kubernetes", "online-boutique.yaml"))
	components, findings := 0, 0
	byRule := map[string]int{}
	for _, in := range inputs {
		target := "compose"
		if strings.Contains(in, string(filepath.Separator)+"kubernetes"+string(filepath.Separator)) {
			target = "kubernetes"
		}
		t.Run(filepath.Base(in), func(t *testing.T) {
			dir, rep := importAndLint(t, target, in)
			d, diags := lang.Load(dir, lang.Options{})
			if diags.HasErrors() {
				t.Fatalf("the imported design is invalid: %s", diags.Error())
			}
			components += len(d.Components)
			findings += len(rep.Findings)
			for _, f := range rep.Findings {
				byRule[f.Rule]++
			}
		})
	}
	rules := make([]string, 0, len(byRule))
	for r := range byRule {
		rules = append(rules, r)
	}
	sort.Strings(rules)
	var parts []string
	for _, r := range rules {
		parts = append(parts, fmt.Sprintf("%s %d", r, byRule[r]))
	}
	t.Logf("corpus: %d inputs, %d components, %d findings (%s)", len(inputs), components, findings, strings.Join(parts, ", "))
}

// TestImportOnlineBoutiqueWeaknesses: Online Boutique runs every tier as
// one replica, so every tier its users reach is a single point of failure.
func TestImportOnlineBoutiqueWeaknesses(t *testing.T) {
	root := corpusDir(t)
	dir, rep := importAndLint(t, "kubernetes", filepath.Join(root, "kubernetes", "online-boutique.yaml"))
	d, diags := lang.Load(dir, lang.Options{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	spof := map[string]bool{}
	for _, f := range rep.Findings {
		if f.Rule == "spof" && f.Severity == "error" {
			spof[f.Subject] = true
		}
	}
	// The tiers the users reach: everything the entry's client calls,
	// transitively (the import names a client after the entry it calls).
	client := d.Component("client.frontend")
	if client == nil || d.Flow("frontend") == nil {
		t.Fatal("no client.frontend and flow frontend: the LoadBalancer Service frontend-external should give them")
	}
	reached := map[*lang.Component]bool{}
	queue := []*lang.Component{client}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		for _, call := range c.Calls {
			if !reached[call.To] {
				reached[call.To] = true
				queue = append(queue, call.To)
			}
		}
	}
	if len(reached) != 11 {
		t.Errorf("users reach %d tiers, want Online Boutique's 11 (frontend, nine services, redis-cart)", len(reached))
	}
	for c := range reached {
		if len(c.Instances) != 1 {
			t.Errorf("%s has %d instances; Online Boutique runs one of each", c.Addr, len(c.Instances))
		}
		if !spof[c.Addr] {
			t.Errorf("%s runs one replica but has no spof error", c.Addr)
		}
	}
}
