package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/archform/archform/cmd/internal/cli"
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
	if entries["archform-lint"] != "archform lint" || entries["archform-fmt"] != "archform fmt -check" {
		t.Errorf("hook entries = %v", entries)
	}
}

// TestPreCommitHooksRun runs each hook's entry the way pre-commit does: from
// the repository root, the entry split into words, the hook's args appended
// (pass_filenames is false, so no file names follow), with no args and with
// args: [design/] for a design in a subdirectory.
func TestPreCommitHooksRun(t *testing.T) {
	src, err := os.ReadFile("../../.pre-commit-hooks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var hooks []struct {
		ID    string `json:"id"`
		Entry string `json:"entry"`
	}
	if err := yaml.Unmarshal(src, &hooks); err != nil {
		t.Fatal(err)
	}
	shop, err := os.ReadFile("../../testdata/shop/shop.arch.hcl")
	if err != nil {
		t.Fatal(err)
	}
	// One repository with the design at its root (the hook as shipped), one
	// with it in design/ (args: [design/]).
	for _, sub := range []string{"", "design"} {
		repo := t.TempDir()
		if err := os.MkdirAll(filepath.Join(repo, sub), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(repo, sub, "shop.arch.hcl"), shop, 0o644); err != nil {
			t.Fatal(err)
		}
		var args []string
		if sub != "" {
			args = []string{sub + "/"}
		}
		t.Chdir(repo)
		for _, h := range hooks {
			words := strings.Fields(h.Entry)
			if len(words) == 0 || words[0] != "archform" {
				t.Fatalf("hook %s: entry %q does not run archform", h.ID, h.Entry)
			}
			var stdout, stderr bytes.Buffer
			code := run(append(words[1:], args...), &stdout, &stderr)
			// lint exits 1 on the shop's findings; fmt -check 0 (formatted).
			// A usage error (3) is the bug pre-commit users met.
			if code != cli.ExitOK && code != cli.ExitFindings {
				t.Errorf("hook %s with args %q exits %d:\n%s", h.ID, args, code, stderr.String())
			}
			if h.ID == "archform-lint" && code != cli.ExitFindings {
				t.Errorf("hook %s with args %q exits %d, want 1 for the shop's findings", h.ID, args, code)
			}
			if h.ID == "archform-fmt" && code != cli.ExitOK {
				t.Errorf("hook %s with args %q exits %d, want 0 (the shop is formatted):\n%s", h.ID, args, code, stdout.String())
			}
		}
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
				If   string            `json:"if"`
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
		// The action installs its own release unless told another version.
		install = install || strings.Contains(s.Run, "go install github.com/archform/archform/cmd/archform@${{ inputs.version || github.action_ref }}")
		lint = lint || strings.Contains(s.Run, "archform lint") && strings.Contains(s.Run, "--format github") && strings.Contains(s.Run, "--format sarif=archform.sarif")
		// It uploads the SARIF only when lint wrote it (not after exit 3).
		upload = upload || strings.HasPrefix(s.Uses, "github/codeql-action/upload-sarif@") && s.With["sarif_file"] == "archform.sarif" &&
			strings.Contains(s.If, "hashFiles('archform.sarif') != ''")
	}
	if v := action.Inputs["version"].Default; v != "" {
		t.Errorf("version defaults to %q, want empty (the action's own ref)", v)
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
