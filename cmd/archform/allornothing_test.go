package main

import (
	"bytes"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/archform/archform/lang/designgen"
)

// snapshot is a directory's files and their content, as one string per file.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(dir, p)
			out[rel] = string(b)
		}
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return out
}

func sameSnapshot(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func describe(got, old, new map[string]string) string {
	var oldOnly, newOnly, other int
	for k, v := range got {
		switch {
		case old[k] == v && new[k] == v:
		case old[k] == v:
			oldOnly++
		case new[k] == v:
			newOnly++
		default:
			other++
		}
	}
	return fmt.Sprintf("%d files: %d of the old run only, %d of the new only, %d of neither (old has %d, new %d)", len(got), oldOnly, newOnly, other, len(old), len(new))
}

// archformBinary is the archform program that testscript.Main put on PATH
// (this test binary under the name archform, which runs main).
func archformBinary(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("archform")
	if err != nil {
		t.Fatalf("archform is not on PATH: %v", err)
	}
	return bin
}

// TestKillLeavesOldOrNew runs emit and build as separate processes, kills
// each with SIGKILL after a random delay, and checks that the output
// directory is then exactly the old run's output or the new one's, never a
// mix; and that the next run removes what the killed one left.
func TestKillLeavesOldOrNew(t *testing.T) {
	bin := archformBinary(t)
	dir := t.TempDir()
	designs := [2]string{filepath.Join(dir, "a.arch.hcl"), filepath.Join(dir, "b.arch.hcl")}
	// A sample by default; in full under CI (build writes through the same
	// emit.Write, one swap for all its outputs).
	size, points, targets := 40, 6, [][]string{{"emit", "kubernetes"}}
	if long() {
		size, points, targets = 120, 40, [][]string{{"emit", "kubernetes"}, {"emit", "compose"}}
	}
	for i, p := range designs {
		if err := os.WriteFile(p, designgen.Generate(size, int64(i+1)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, target := range targets {
		t.Run(target[1], func(t *testing.T) {
			run := func(design, out string) *exec.Cmd {
				args := append(append([]string{}, target...), design, "-o", out, "--fail-on", "none")
				cmd := exec.Command(bin, args...)
				cmd.Stdout, cmd.Stderr = &bytes.Buffer{}, &bytes.Buffer{}
				return cmd
			}
			// The two states, each written by a run to completion.
			var states [2]map[string]string
			var took time.Duration
			for i := range designs {
				ref := filepath.Join(dir, target[1]+"-ref", fmt.Sprint(i))
				cmd := run(designs[i], ref)
				start := time.Now()
				if err := cmd.Run(); err != nil {
					t.Fatalf("%v: %v\n%s", cmd.Args, err, cmd.Stderr)
				}
				took = max(took, time.Since(start))
				states[i] = snapshot(t, ref)
			}
			// A user's file in the directory survives every run.
			out := filepath.Join(dir, target[1]+"-out")
			if err := os.MkdirAll(out, 0o755); err != nil {
				t.Fatal(err)
			}
			notes := filepath.Join(out, "NOTES.md")
			if err := os.WriteFile(notes, []byte("mine\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			with := func(s map[string]string) map[string]string {
				c := map[string]string{"NOTES.md": "mine\n"}
				for k, v := range s {
					c[k] = v
				}
				return c
			}
			want := [2]map[string]string{with(states[0]), with(states[1])}
			if err := run(designs[0], out).Run(); err != nil {
				t.Fatal(err)
			}
			cur := 0
			rng := rand.New(rand.NewSource(1))
			killed, swapped := 0, 0
			for range points {
				next := 1 - cur
				cmd := run(designs[next], out)
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				time.Sleep(time.Duration(rng.Int63n(int64(took) + 1)))
				if cmd.Process.Signal(syscall.SIGKILL) == nil {
					killed++
				}
				cmd.Wait()
				got := snapshot(t, out)
				switch {
				case sameSnapshot(got, want[cur]):
				case sameSnapshot(got, want[next]):
					cur = next
					swapped++
				default:
					t.Fatalf("after a kill, the directory is neither the old output nor the new: %s", describe(got, want[cur], want[next]))
				}
			}
			t.Logf("%d runs killed at random points within %v: %d left the new output, the others the old", killed, took, swapped)
			// The next run completes and leaves nothing of the killed ones.
			if err := run(designs[1-cur], out).Run(); err != nil {
				t.Fatal(err)
			}
			if got := snapshot(t, out); !sameSnapshot(got, want[1-cur]) {
				t.Fatalf("a run to completion wrote %s", describe(got, want[cur], want[1-cur]))
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if strings.Contains(e.Name(), "archform") {
					t.Errorf("left by a killed run after the next one: %s", e.Name())
				}
			}
		})
	}
}

// TestConcurrentRunsDoNotInterleave: while one run holds an output
// directory's lock, another into the same directory exits 3 and says why,
// writing nothing.
func TestConcurrentRunsDoNotInterleave(t *testing.T) {
	bin := archformBinary(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"emit", "compose", "../../testdata/shop", "-o", out},
		{"emit", "kubernetes", "../../testdata/shop", "-o", out},
	} {
		var stderr bytes.Buffer
		cmd := exec.Command(bin, args...)
		cmd.Stderr = &stderr
		err := cmd.Run()
		ee, ok := err.(*exec.ExitError)
		if !ok || ee.ExitCode() != 3 {
			t.Errorf("%v with the directory locked: %v, want exit 3\n%s", args, err, stderr.Bytes())
		}
		if !strings.Contains(stderr.String(), "another archform run is writing into "+out) {
			t.Errorf("%v: no clear message:\n%s", args, stderr.Bytes())
		}
	}
	names, _ := os.ReadDir(out)
	sibs, _ := os.ReadDir(dir)
	if len(names) != 0 || len(sibs) != 1 {
		var all []string
		for _, e := range append(names, sibs...) {
			all = append(all, e.Name())
		}
		sort.Strings(all)
		t.Errorf("a refused run wrote: %v", all)
	}
}
