package main

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

var updateScripts = flag.Bool("update", false, "rewrite golden files and testscript cmp files")

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"archform": func() { os.Exit(Main()) },
	})
}

// TestScripts runs the whole-CLI sessions in testdata/script/*.txtar.
// Each script has the repository's testdata/ available as $TESTDATA.
func TestScripts(t *testing.T) {
	// The Graphviz layout helper, built once for every script that draws
	// (scripts run with HOME unset, so render could not cache its own build).
	helper := filepath.Join(t.TempDir(), "archform-graphviz")
	if out, err := exec.Command("go", "build", "-o", helper, "../archform-graphviz").CombinedOutput(); err != nil {
		t.Fatalf("building archform-graphviz: %v\n%s", err, out)
	}
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/script",
		UpdateScripts: *updateScripts,
		Cmds:          map[string]func(*testscript.TestScript, bool, []string){"exits": cmdExits},
		Setup: func(env *testscript.Env) error {
			wd, err := os.Getwd()
			if err != nil {
				return err
			}
			env.Setenv("TESTDATA", wd+"/../../testdata")
			env.Setenv("ARCHFORM_GRAPHVIZ", helper)
			return nil
		},
	})
}

func TestInitExampleIsTheShop(t *testing.T) {
	shop, err := os.ReadFile("../../testdata/shop/shop.arch.hcl")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(shop, shopExample) {
		t.Fatal("cmd/archform/shop.arch.hcl differs from testdata/shop/shop.arch.hcl: copy it over")
	}
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
	for _, k := range []string{"PATH", "HOME", "TESTDATA", "ARCHFORM_GRAPHVIZ"} {
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
