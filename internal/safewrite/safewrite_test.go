package safewrite

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"
)

func write(t *testing.T, p, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// tree lists every file under dir with its content, and the entries next to
// dir (to see leftovers).
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, p)
		if d.Type().IsRegular() {
			b, _ := os.ReadFile(p)
			out[filepath.ToSlash(rel)] = string(b)
		} else if d.Type()&os.ModeSymlink != 0 {
			l, _ := os.Readlink(p)
			out[filepath.ToSlash(rel)] = "-> " + l
		}
		return nil
	})
	return out
}

func siblings(t *testing.T, dir string) []string {
	entries, err := os.ReadDir(filepath.Dir(dir))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

func TestReplaceTreeKeepsWhatItDoesNotWrite(t *testing.T) {
	parent := t.TempDir()
	root := filepath.Join(parent, "out")
	write(t, filepath.Join(root, "NOTES.md"), "mine\n")
	write(t, filepath.Join(root, "kubernetes", "a.yaml"), "old a\n")
	write(t, filepath.Join(root, "kubernetes", "b.yaml"), "old b\n")
	write(t, filepath.Join(root, ".archform-123.tmp"), "")
	write(t, filepath.Join(root, "other", "x"), "x\n")
	if err := os.Symlink("NOTES.md", filepath.Join(root, "link")); err != nil {
		t.Fatal(err)
	}
	before, err := os.Stat(filepath.Join(root, "NOTES.md"))
	if err != nil {
		t.Fatal(err)
	}
	err = ReplaceTree(Tree{Root: root,
		Files:  []File{{Name: "kubernetes/a.yaml", Data: []byte("new a\n")}, {Name: "compose/compose.yaml", Data: []byte("c\n")}},
		Remove: []string{"kubernetes/b.yaml"}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"NOTES.md": "mine\n", "kubernetes/a.yaml": "new a\n", "compose/compose.yaml": "c\n", "other/x": "x\n", "link": "-> NOTES.md"}
	if got := tree(t, root); !equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	after, _ := os.Stat(filepath.Join(root, "NOTES.md"))
	if !os.SameFile(before, after) {
		t.Error("the user's file was copied, not kept")
	}
	if got := siblings(t, root); !slices.Equal(got, []string{"out"}) {
		t.Errorf("left next to the output: %v", got)
	}
}

func equal(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestReplaceTreeLockAndLeftovers(t *testing.T) {
	parent := t.TempDir()
	root := filepath.Join(parent, "out")
	write(t, filepath.Join(root, "a"), "old\n")
	// A killed run's staging directory, which no one holds.
	write(t, filepath.Join(parent, ".out"+stageInfix+"999", "a"), "half\n")
	held, err := lockHeld(root)
	if err != nil {
		t.Fatal(err)
	}
	err = ReplaceTree(Tree{Root: root, Files: []File{{Name: "a", Data: []byte("new\n")}}})
	var busy *BusyError
	if !errors.As(err, &busy) || !IsEnvironment(err) {
		t.Fatalf("with the lock held: want a BusyError, got %v", err)
	}
	held.Close()
	if err := ReplaceTree(Tree{Root: root, Files: []File{{Name: "a", Data: []byte("new\n")}}}); err != nil {
		t.Fatal(err)
	}
	if got := tree(t, root); got["a"] != "new\n" || len(got) != 1 {
		t.Fatalf("got %v", got)
	}
	if got := siblings(t, root); !slices.Equal(got, []string{"out"}) {
		t.Errorf("the killed run's staging directory was not removed: %v", got)
	}
}

func TestReplaceTreeInTheWay(t *testing.T) {
	parent := t.TempDir()
	root := filepath.Join(parent, "out")
	write(t, filepath.Join(root, "compose.yaml", "x"), "a directory where a file goes\n")
	write(t, filepath.Join(root, "kubernetes"), "a file where a directory goes\n")
	for _, f := range []File{{Name: "compose.yaml"}, {Name: "kubernetes/a.yaml"}} {
		err := ReplaceTree(Tree{Root: root, Files: []File{{Name: "b", Data: []byte("b")}, f}})
		var iw *InTheWayError
		if !errors.As(err, &iw) || !IsEnvironment(err) {
			t.Errorf("%s: want an InTheWayError, got %v", f.Name, err)
		}
		if got := tree(t, root); len(got) != 2 {
			t.Errorf("%s: a refused write changed the directory: %v", f.Name, got)
		}
		if got := siblings(t, root); !slices.Equal(got, []string{"out"}) {
			t.Errorf("%s: left next to the output: %v", f.Name, got)
		}
	}
}

func TestReplaceTreeFollowsLinks(t *testing.T) {
	parent := t.TempDir()
	real := filepath.Join(parent, "real")
	write(t, filepath.Join(real, "a"), "old\n")
	link := filepath.Join(parent, "link")
	if err := os.Symlink("real", link); err != nil {
		t.Fatal(err)
	}
	if err := ReplaceTree(Tree{Root: link, Files: []File{{Name: "a", Data: []byte("new\n")}}}); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link was replaced: %v %v", fi, err)
	}
	if b, _ := os.ReadFile(filepath.Join(real, "a")); string(b) != "new\n" {
		t.Fatalf("got %q", b)
	}
	// A loop is the environment's problem.
	loop := filepath.Join(parent, "loop")
	os.Symlink("loop", loop)
	if err := ReplaceTree(Tree{Root: loop}); err == nil || !IsEnvironment(err) {
		t.Fatalf("a link loop: want an environment error, got %v", err)
	}
}

func TestWriteFiles(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.svg"), filepath.Join(dir, "b.svg")
	write(t, filepath.Join(dir, ".a.svg"+tmpInfix+"1"), "left by a killed run")
	if err := WriteFiles(Target{Name: "a.svg", Path: a, Data: []byte("A")}, Target{Name: "b.svg", Path: b, Data: []byte("B")}); err != nil {
		t.Fatal(err)
	}
	if got := tree(t, dir); !equal(got, map[string]string{"a.svg": "A", "b.svg": "B"}) {
		t.Fatalf("got %v", got)
	}
	err := WriteFiles(Target{Name: "a.svg", Path: a, Data: []byte("A2")}, Target{Name: "x/c.svg", Path: filepath.Join(dir, "x", "c.svg"), Data: []byte("C")})
	if err == nil || !IsEnvironment(err) {
		t.Fatalf("want an environment error, got %v", err)
	}
	if got := tree(t, dir); !equal(got, map[string]string{"a.svg": "A", "b.svg": "B"}) {
		t.Fatalf("a failed write changed files: %v", got)
	}
	if _, err := os.Stat("/dev/full"); err == nil {
		err := WriteFiles(Target{Name: "/dev/full", Path: "/dev/full", Data: []byte("x"), Stream: true})
		if err == nil || !IsEnvironment(err) {
			t.Fatalf("disk full: want an environment error, got %v", err)
		}
	}
}

// TestWriteFilesKilled builds what a run of WriteFiles killed at each step
// leaves behind (its temporary files, its journals, some renames done, its
// locks gone with it), and checks that Recover then leaves every target all
// old (killed before the commit point) or all new (after it), and nothing
// of the killed run.
func TestWriteFilesKilled(t *testing.T) {
	for _, step := range []string{"staged", "copies", "committed", "renamed 1", "renamed 2", "renamed 3", "commit removed"} {
		t.Run(step, func(t *testing.T) {
			root := t.TempDir()
			var files []Target
			for _, n := range []string{"d1/a", "d1/b", "d2/c"} {
				p := filepath.Join(root, filepath.FromSlash(n))
				write(t, p, "old "+n)
				files = append(files, Target{Name: n, Path: p, Data: []byte("new " + n)})
			}
			var temps []string
			var locks []*os.File
			for _, f := range files {
				tmp, lock, err := stage(f)
				if err != nil {
					t.Fatal(err)
				}
				temps, locks = append(temps, tmp), append(locks, lock)
			}
			committed := false
			if step != "staged" {
				journals, jl, err := commit(files, temps)
				if err != nil {
					t.Fatal(err)
				}
				locks = append(locks, jl...)
				committed = true
				if step == "copies" {
					os.Remove(journals[0]) // killed before the commit point's rename
					committed = false
				}
				var n int
				if _, err := fmt.Sscanf(step, "renamed %d", &n); err == nil || step == "commit removed" {
					if step == "commit removed" {
						n = len(files)
					}
					for i := range n {
						if err := os.Rename(temps[i], files[i].Path); err != nil {
							t.Fatal(err)
						}
					}
				}
				if step == "commit removed" {
					os.Remove(journals[0])
				}
			}
			for _, l := range locks {
				l.Close() // the killed process's locks go with it
			}
			var paths []string
			for _, f := range files {
				paths = append(paths, f.Path)
			}
			if err := Recover(paths...); err != nil {
				t.Fatal(err)
			}
			want := map[string]string{}
			for _, f := range files {
				if committed {
					want[f.Name] = "new " + f.Name
				} else {
					want[f.Name] = "old " + f.Name
				}
			}
			if got := tree(t, root); !equal(got, want) {
				t.Fatalf("after Recover: %v, want %v", got, want)
			}
		})
	}
}
