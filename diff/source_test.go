package diff

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/archform/archform/lang"
	"github.com/archform/archform/rules"
)

// gitRepo makes a repository with two commits of design/shop.arch.hcl: the
// shop (18 api instances), then the same with one load balancer.
func gitRepo(t *testing.T) string {
	t.Helper()
	needTools(t, "git")
	dir := t.TempDir()
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
			"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_GLOBAL=/dev/null")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	os.MkdirAll(filepath.Join(dir, "design"), 0o755)
	file := filepath.Join(dir, "design", "shop.arch.hcl")
	git("init", "-q", "-b", "main")
	os.WriteFile(file, []byte(shopSource(t)), 0o644)
	git("add", ".")
	git("commit", "-q", "-m", "shop")
	os.WriteFile(file, []byte(edit(t, shopSource(t), "  replicas  = 2\n  zones     = [\"a\", \"b\"]", "  replicas  = 1\n  zones     = [\"a\"]")), 0o644)
	git("commit", "-q", "-am", "one load balancer")
	return dir
}

func loadSide(t *testing.T, s Source) *Side {
	t.Helper()
	d, diags, err := s.Load(lang.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	sd, err := NewSide(s.Label(), d, rules.All, nil)
	if err != nil {
		t.Fatal(err)
	}
	return sd
}

func TestGitRevisions(t *testing.T) {
	dir := gitRepo(t)
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)

	base, head, err := ParseSources([]string{"HEAD~1", "HEAD", "design"}, 2)
	if err != nil {
		t.Fatal(err)
	}
	head.Plain = true
	r := Compare(loadSide(t, base), loadSide(t, head))
	if !hasChange(r, Change{Element: "component", Op: Changed, Subject: "load_balancer.edge", Setting: "replicas", Base: "2", Head: "1"}) {
		t.Errorf("changes: %+v", r.Changes)
	}
	if len(r.New) == 0 || !strings.HasPrefix(r.Verdict[0], "This change adds a single point of failure") {
		t.Errorf("verdict %q, new %d", r.Verdict, len(r.New))
	}
	// The head's findings point at the file as it is named in the tree.
	if f := r.New[0].Finding.Range.Filename; f != filepath.Join("design", "shop.arch.hcl") {
		t.Errorf("new finding in %q", f)
	}
	// REV -- PATH: the revision against the working tree (same as HEAD).
	base, head, err = ParseSources([]string{"HEAD", "design"}, 1)
	if err != nil || head.Rev != "" || base.Rev != "HEAD" {
		t.Fatalf("ParseSources: %+v %+v %v", base, head, err)
	}
	r = Compare(loadSide(t, base), loadSide(t, head))
	if len(r.Changes) != 0 || len(r.New) != 0 {
		t.Errorf("HEAD vs the working tree: %+v", r.Changes)
	}
	// REV:PATH.
	base, _, err = ParseSources([]string{"HEAD~1:design", "design"}, -1)
	if err != nil || base.Rev != "HEAD~1" || base.Path != "design" {
		t.Fatalf("REV:PATH: %+v %v", base, err)
	}
}

func TestGitBadInput(t *testing.T) {
	dir := gitRepo(t)
	wd, _ := os.Getwd()
	os.Chdir(dir)
	defer os.Chdir(wd)
	for _, c := range []struct {
		src  Source
		want string
	}{
		{Source{Rev: "no-such-branch", Path: "design"}, `revision "no-such-branch" does not exist`},
		{Source{Rev: "HEAD", Path: "elsewhere"}, "elsewhere does not exist in revision HEAD"},
		{Source{Rev: "HEAD", Path: "."}, "has no *.arch.hcl or *.arch.json files"},
	} {
		_, _, err := c.src.Load(lang.Options{})
		var env *EnvError
		if !errors.As(err, &env) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: err = %v, want an EnvError containing %q", c.src, err, c.want)
		}
	}
	if _, _, err := ParseSources([]string{"nothing-here", "design"}, -1); err == nil {
		t.Error("a side that is neither a path nor REV:PATH: no error")
	}
	if _, _, err := ParseSources([]string{"a", "b", "c", "design"}, 3); err == nil {
		t.Error("three revisions: no error")
	}
}
