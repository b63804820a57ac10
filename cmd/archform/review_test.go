package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/archform/archform/diff"
	"github.com/rogpeppe/go-internal/txtar"
	"sigs.k8s.io/yaml"
)

// docs/review.md shows `archform diff base head` on the designs of the
// diff script: the block is what the command prints.
func TestReviewDocOutput(t *testing.T) {
	ar, err := txtar.ParseFile(filepath.Join("testdata", "script", "diff.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range ar.Files {
		if strings.HasPrefix(f.Name, "base/") || strings.HasPrefix(f.Name, "head/") {
			p := filepath.Join(dir, f.Name)
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := run([]string{"diff", "base", "head"}, &stdout, &stderr)
	os.Chdir(wd)
	if code != 1 {
		t.Fatalf("archform diff base head exits %d, want 1: %s", code, stderr.String())
	}
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "review.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "<!-- diff-output: base head -->\n```\n")
	if !ok {
		t.Fatal("docs/review.md has no diff-output block")
	}
	block, _, _ := strings.Cut(rest, "```\n")
	if block != stdout.String() {
		t.Errorf("docs/review.md's output is not what archform diff prints:\n--- doc\n%s\n--- archform\n%s", block, stdout.String())
	}
}

// The action's review steps: the comment step runs the script that exists,
// on the file the review step writes, and the script looks for the marker
// the Markdown starts with (tested against a fake API in package diff).
func TestActionReviewSteps(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "..", "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var action struct {
		Inputs map[string]struct{ Default string } `json:"inputs"`
		Runs   struct {
			Steps []struct {
				Name string            `json:"name"`
				If   string            `json:"if"`
				Run  string            `json:"run"`
				Env  map[string]string `json:"env"`
			} `json:"steps"`
		} `json:"runs"`
	}
	if err := yaml.Unmarshal(src, &action); err != nil {
		t.Fatal(err)
	}
	var review, comment string
	for _, s := range action.Runs.Steps {
		switch s.Name {
		case "Review the change":
			review = s.Run
		case "Comment on the pull request":
			comment = s.Run
			if s.Env["GITHUB_TOKEN"] != "${{ inputs.github-token }}" {
				t.Errorf("the comment step's token: %q", s.Env["GITHUB_TOKEN"])
			}
		}
	}
	if !strings.Contains(review, "archform diff --format text --format markdown=archform-review.md") {
		t.Errorf("review step: %q", review)
	}
	if !strings.Contains(comment, `"${{ github.action_path }}/.github/archform-pr-comment.sh" archform-review.md`) {
		t.Errorf("comment step: %q", comment)
	}
	script, err := os.ReadFile(filepath.Join("..", "..", ".github", "archform-pr-comment.sh"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(script, []byte(diff.CommentMarker)) {
		t.Error("the comment script does not look for diff.CommentMarker")
	}
	for _, in := range []string{"review-base", "review-fail-on", "review-comment", "github-token"} {
		if _, ok := action.Inputs[in]; !ok {
			t.Errorf("action.yml has no input %s", in)
		}
	}
}
