package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/archform/archform/lang"
	"github.com/archform/archform/rules"
)

// threagileRules are the 42 built-in risk rules of Threagile
// (pkg/security/risks/builtin in github.com/Threagile/threagile, one file
// per rule, named after its ID).
var threagileRules = []string{
	"accidental-secret-leak", "code-backdooring", "container-baseimage-backdooring",
	"container-platform-escape", "cross-site-request-forgery", "cross-site-scripting",
	"dos-risky-access-across-trust-boundary", "incomplete-model", "ldap-injection",
	"missing-authentication", "missing-authentication-second-factor", "missing-build-infrastructure",
	"missing-cloud-hardening", "missing-file-validation", "missing-hardening",
	"missing-identity-propagation", "missing-identity-provider-isolation", "missing-identity-store",
	"missing-network-segmentation", "missing-vault", "missing-vault-isolation", "missing-waf",
	"mixed-targets-on-shared-runtime", "path-traversal", "push-instead-of-pull-deployment",
	"search-query-injection", "server-side-request-forgery", "service-registry-poisoning",
	"sql-nosql-injection", "unchecked-deployment", "unencrypted-asset", "unencrypted-communication",
	"unguarded-access-from-internet", "unguarded-direct-datastore-access",
	"unnecessary-communication-link", "unnecessary-data-asset", "unnecessary-data-transfer",
	"unnecessary-technical-asset", "untrusted-deserialization", "wrong-communication-link-content",
	"wrong-trust-boundary-content", "xml-external-entity",
}

// TestSecurityThreagileTable checks docs/security.md's table: one row per
// Threagile rule, each of the 42 once, and every archform name it gives a
// rule of the suite or an attribute of the language.
func TestSecurityThreagileTable(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(docsDir, "security.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(src), "## Threagile's risk rules in archform")
	if !ok {
		t.Fatal("docs/security.md has no section \"Threagile's risk rules in archform\"")
	}
	ids := map[string]bool{}
	for _, a := range rules.All {
		ids[a.ID] = true
	}
	attrs := map[string]bool{}
	var walk func(b *lang.Block)
	walk = func(b *lang.Block) {
		for _, a := range b.Attributes {
			attrs[a.Name] = true
		}
		for _, nb := range b.Blocks {
			walk(nb)
		}
	}
	walk(lang.Catalogue())
	row := regexp.MustCompile("(?m)^\\| `([a-z0-9-]+)` \\| ([^|]*) \\|")
	name := regexp.MustCompile("`([a-z_-]+)`")
	var got []string
	for _, m := range row.FindAllStringSubmatch(table, -1) {
		got = append(got, m[1])
		for _, n := range name.FindAllStringSubmatch(m[2], -1) {
			if !ids[n[1]] && !attrs[n[1]] {
				t.Errorf("row %s names %q, which is neither a rule nor an attribute", m[1], n[1])
			}
		}
		if strings.TrimSpace(m[2]) == "" {
			t.Errorf("row %s says nothing", m[1])
		}
	}
	want := slices.Clone(threagileRules)
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("the table's rows are\n%q\nwant Threagile's 42 rules\n%q", got, want)
	}
	// The README points at the table in one line.
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "(docs/security.md#threagiles-risk-rules-in-archform)") {
		t.Error("README.md does not link to docs/security.md#threagiles-risk-rules-in-archform")
	}
}
