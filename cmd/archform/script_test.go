package main

import (
	"errors"
	"flag"
	"fmt"
	"github.com/archform/archform/cmd/internal/cli"
	"github.com/archform/archform/cmd/internal/program"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

var updateScripts = flag.Bool("update", false, "rewrite golden files and testscript cmp files")

func TestMain(m *testing.M) {
	testscript.Main(cleanup{m}, map[string]func(){
		"archform": main,
	})
}

// TestScripts runs the whole-CLI sessions in testdata/script/*.txtar.
// Each script has the repository's testdata/ available as $TESTDATA.
func TestScripts(t *testing.T) {
	programs := buildPrograms(t)
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/script",
		UpdateScripts: *updateScripts,
		Cmds:          map[string]func(*testscript.TestScript, bool, []string){"exits": cmdExits},
		// [root]: permissions do not stop this user.
		Condition: func(cond string) (bool, error) {
			if cond == "root" {
				return os.Geteuid() == 0, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
		Setup: func(env *testscript.Env) error {
			wd, err := os.Getwd()
			if err != nil {
				return err
			}
			env.Setenv("TESTDATA", wd+"/../../testdata")
			for _, p := range programs {
				env.Setenv(p.Env, os.Getenv(p.Env))
			}
			return nil
		},
	})
}

var (
	buildOnce  sync.Once
	buildDir   string
	buildError error
)

// cleanup removes the programs buildPrograms built once the tests have run.
type cleanup struct{ m *testing.M }

func (c cleanup) Run() int {
	code := c.m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	return code
}

// buildPrograms builds archform's helper program (archform-graphviz) from
// this source tree once for the test binary and points its environment
// variable at it, for in-process runs and for scripts (which run with HOME
// unset, so archform could not cache its own build).
func buildPrograms(t *testing.T) []*program.Program {
	t.Helper()
	programs := []*program.Program{cli.Graphviz}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "archform-programs-")
		if err != nil {
			buildError = err
			return
		}
		buildDir = dir
		for _, p := range programs {
			path := filepath.Join(dir, p.Name)
			if out, err := exec.Command("go", "build", "-o", path, "../"+p.Name).CombinedOutput(); err != nil {
				buildError = fmt.Errorf("building %s: %v\n%s", p.Name, err, out)
				return
			}
			os.Setenv(p.Env, path)
		}
	})
	if buildError != nil {
		t.Fatal(buildError)
	}
	return programs
}

// cmdExits runs a command once more and checks its exit code:
//
//	exits 2 archform lint bad.arch.hcl
//
// Use it after `exec`/`! exec`, which check output but not the code.
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits CODE PROGRAM [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: bad code %q", args[0])
	}
	prog := args[1]
	for _, dir := range filepath.SplitList(ts.Getenv("PATH")) {
		if p := filepath.Join(dir, prog); isFile(p) {
			prog = p
			break
		}
	}
	cmd := exec.Command(prog, args[2:]...)
	cmd.Dir = ts.MkAbs(".")
	cmd.Env = os.Environ()
	for _, k := range []string{"PATH", "HOME", "TESTDATA", cli.Graphviz.Env} {
		cmd.Env = append(cmd.Env, k+"="+ts.Getenv(k))
	}
	err = cmd.Run()
	got := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		got = ee.ExitCode()
	} else if err != nil {
		ts.Fatalf("exits: %v", err)
	}
	if got != want {
		ts.Fatalf("%s exited %d, want %d", args[1], got, want)
	}
}

func isFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir()
}
