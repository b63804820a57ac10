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

// TestKillFilesLeavesOldOrNew is TestKillLeavesOldOrNew for the commands that
// write files by name (issue 15 item 4): fmt rewriting a directory of design
// files in two directories at once, render -o and report -o. Each is killed
// with SIGKILL at random points. A file written alone is old or new at once
// (one rename); fmt's files are old or new all together once the next run
// (here fmt -check, which finishes or undoes a killed rewrite before it
// reads) has looked, and nothing of the killed run is left.
func TestKillFilesLeavesOldOrNew(t *testing.T) {
	bin := archformBinary(t)
	buildPrograms(t) // report lays its diagram out with the helper
	points, files := 4, 200
	if long() {
		points, files = 40, 1500
	}
	rng := rand.New(rand.NewSource(1))
	leftovers := func(t *testing.T, dirs ...string) {
		t.Helper()
		for _, d := range dirs {
			entries, _ := os.ReadDir(d)
			for _, e := range entries {
				if strings.Contains(e.Name(), "archform-") {
					t.Errorf("left by a killed run after the next one: %s", filepath.Join(d, e.Name()))
				}
			}
		}
	}
	// killAt starts cmd and kills it in the second half of took, where
	// the files are renamed into place.
	killAt := func(t *testing.T, cmd *exec.Cmd, took time.Duration) {
		t.Helper()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(took/2 + time.Duration(rng.Int63n(int64(took/2)+1)))
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
	}

	t.Run("fmt", func(t *testing.T) {
		root := t.TempDir()
		dirs := []string{filepath.Join(root, "a"), filepath.Join(root, "b")}
		old, formatted := map[string]string{}, map[string]string{}
		for i := range files {
			rel := filepath.Join(filepath.Base(dirs[i%2]), fmt.Sprintf("s%04d.arch.hcl", i))
			old[rel] = fmt.Sprintf("service \"s%d\" {\nimage=\"a:%d\"\nreplicas=2\n}\n", i, i)
			formatted[rel] = fmt.Sprintf("service \"s%d\" {\n  image    = \"a:%d\"\n  replicas = 2\n}\n", i, i)
		}
		reset := func() {
			for rel, src := range old {
				if err := os.MkdirAll(filepath.Join(root, filepath.Dir(rel)), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(root, rel), []byte(src), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
		fmtCmd := func(args ...string) *exec.Cmd {
			cmd := exec.Command(bin, append(append([]string{"fmt"}, args...), dirs...)...)
			cmd.Stdout, cmd.Stderr = &bytes.Buffer{}, &bytes.Buffer{}
			return cmd
		}
		reset()
		start := time.Now()
		if err := fmtCmd().Run(); err != nil {
			t.Fatal(err)
		}
		took := time.Since(start)
		if got := snapshot(t, root); !sameSnapshot(got, formatted) {
			t.Fatalf("fmt to completion: %s", describe(got, old, formatted))
		}
		mixed, done := 0, 0
		for range points {
			reset()
			killAt(t, fmtCmd(), took)
			if got := snapshot(t, root); !sameSnapshot(withoutTemps(got), old) && !sameSnapshot(withoutTemps(got), formatted) {
				mixed++ // killed between renames: its journal finishes it
			}
			fmtCmd("-check").Run()
			got := snapshot(t, root)
			switch {
			case sameSnapshot(got, old):
			case sameSnapshot(got, formatted):
				done++
			default:
				t.Fatalf("after a kill and the next run, the files are neither all old nor all new: %s", describe(got, old, formatted))
			}
			leftovers(t, dirs...)
		}
		t.Logf("%d runs killed at random points within %v: %d left the files all formatted, %d of them half renamed (finished by the next run)", points, took, done, mixed)
	})

	for _, c := range []struct{ name, file string }{{"render", "d.dot"}, {"report", "r.html"}} {
		t.Run(c.name, func(t *testing.T) {
			if c.name == "report" && !long() {
				t.Skip("runs under CI or ARCHFORM_LONG=1: each report lays a diagram out (render -o writes through the same code)")
			}
			dir := t.TempDir()
			designs := [2]string{filepath.Join(dir, "a.arch.hcl"), filepath.Join(dir, "b.arch.hcl")}
			for i, p := range designs {
				if err := os.WriteFile(p, designgen.Generate(60, int64(i+1)), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			out := filepath.Join(dir, "out")
			if err := os.Mkdir(out, 0o755); err != nil {
				t.Fatal(err)
			}
			target := filepath.Join(out, c.file)
			run := func(design string) *exec.Cmd {
				args := []string{c.name, design, "-o", target}
				if c.name == "render" {
					args = append(args, "-f", "dot")
				}
				cmd := exec.Command(bin, args...)
				cmd.Stdout, cmd.Stderr = &bytes.Buffer{}, &bytes.Buffer{}
				return cmd
			}
			var states [2]string
			var took time.Duration
			for i := range designs {
				cmd := run(designs[i])
				start := time.Now()
				if err := cmd.Run(); err != nil {
					t.Fatalf("%v: %v\n%s", cmd.Args, err, cmd.Stderr)
				}
				took = max(took, time.Since(start))
				b, err := os.ReadFile(target)
				if err != nil {
					t.Fatal(err)
				}
				states[i] = string(b)
			}
			if states[0] == states[1] {
				t.Fatal("the two designs draw alike: the test would see nothing")
			}
			cur, swapped := 1, 0
			n := points
			for range n {
				next := 1 - cur
				killAt(t, run(designs[next]), took)
				b, err := os.ReadFile(target)
				switch {
				case err != nil:
					t.Fatalf("after a kill: %v", err)
				case string(b) == states[cur]:
				case string(b) == states[next]:
					cur = next
					swapped++
				default:
					t.Fatalf("after a kill, %s is neither the old output nor the new (%d bytes)", c.file, len(b))
				}
			}
			t.Logf("%d runs killed at random points within %v: %d left the new output", n, took, swapped)
			if err := run(designs[1-cur]).Run(); err != nil {
				t.Fatal(err)
			}
			leftovers(t, out)
		})
	}
}

// withoutTemps drops the temporary files and journals of a run from a
// snapshot.
func withoutTemps(s map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range s {
		if !strings.Contains(k, "archform-") {
			out[k] = v
		}
	}
	return out
}
