package main

import (
	"os"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// TestPreCommitHooks checks .pre-commit-hooks.yaml against what pre-commit
// needs for a Go tool that lints a whole design directory.
func TestPreCommitHooks(t *testing.T) {
	src, err := os.ReadFile("../../.pre-commit-hooks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var hooks []struct {
		ID            string `json:"id"`
		Name          string `json:"name"`
		Description   string `json:"description"`
		Entry         string `json:"entry"`
		Language      string `json:"language"`
		PassFilenames *bool  `json:"pass_filenames"`
		RequireSerial bool   `json:"require_serial"`
		Files         string `json:"files"`
	}
	if err := yaml.UnmarshalStrict(src, &hooks); err != nil {
		t.Fatal(err)
	}
	entries := map[string]string{}
	for _, h := range hooks {
		entries[h.ID] = h.Entry
		if h.Name == "" || h.Description == "" || h.Language != "golang" || h.PassFilenames == nil || *h.PassFilenames || !h.RequireSerial || h.Files == "" {
			t.Errorf("hook %s: language %q, pass_filenames %v, require_serial %v, files %q", h.ID, h.Language, h.PassFilenames, h.RequireSerial, h.Files)
		}
	}
	if entries["archform-lint"] != "archform lint ." || entries["archform-fmt"] != "archform fmt -check ." {
		t.Errorf("hook entries = %v", entries)
	}
}

// TestAction checks that the composite action installs archform, lints with
// GitHub annotations and SARIF, uploads the SARIF and fails on findings.
func TestAction(t *testing.T) {
	src, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var action struct {
		Name   string `json:"name"`
		Inputs map[string]struct {
			Default string `json:"default"`
		} `json:"inputs"`
		Runs struct {
			Using string `json:"using"`
			Steps []struct {
				Name string            `json:"name"`
				Uses string            `json:"uses"`
				Run  string            `json:"run"`
				With map[string]string `json:"with"`
			} `json:"steps"`
		} `json:"runs"`
	}
	if err := yaml.Unmarshal(src, &action); err != nil {
		t.Fatal(err)
	}
	if action.Runs.Using != "composite" {
		t.Fatalf("runs.using = %q", action.Runs.Using)
	}
	var install, lint, upload bool
	for _, s := range action.Runs.Steps {
		install = install || strings.Contains(s.Run, "go install github.com/archform/archform/cmd/archform@")
		lint = lint || strings.Contains(s.Run, "archform lint") && strings.Contains(s.Run, "--format github") && strings.Contains(s.Run, "--format sarif=archform.sarif")
		upload = upload || strings.HasPrefix(s.Uses, "github/codeql-action/upload-sarif@") && s.With["sarif_file"] == "archform.sarif"
	}
	if !install || !lint || !upload {
		t.Errorf("install %v, lint %v, upload %v", install, lint, upload)
	}
	for _, in := range []string{"path", "fail-on", "version", "upload-sarif"} {
		if _, ok := action.Inputs[in]; !ok {
			t.Errorf("input %q missing", in)
		}
	}
}
