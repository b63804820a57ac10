package safewrite

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// A Tree is a directory's new content: Files are written (creating the
// sub-directories their names need), Remove names files of an earlier run to
// drop; everything else the directory holds is kept as it is.
type Tree struct {
	Root   string
	Files  []File
	Remove []string // slash-separated names under Root
}

// ReplaceTree gives t.Root its new content in one step, as far as the file
// system allows:
//
//  1. it takes the lock of Root (creating Root if it does not exist), or
//     returns a *BusyError when another run holds it;
//  2. it removes what interrupted runs left next to Root (staging
//     directories no live process holds) and in it (earlier versions'
//     temporary files);
//  3. it builds Root's new content in a staging directory next to it: each
//     entry Root keeps is hard-linked (a file) or re-created (a directory, a
//     symbolic link) there, and the new files are written there;
//  4. it swaps the staging directory and Root in one rename (on Linux,
//     renameat2 with RENAME_EXCHANGE; elsewhere, and on file systems without
//     it, two renames in a row), so that Root is always either all the old
//     content or all the new;
//  5. it moves into the new Root anything that appeared in the old one while
//     it worked, and removes the old one.
//
// A kill at any point leaves Root as it was or as it is asked to be; the
// staging directory it leaves is removed by the next run. Root's symbolic
// links are followed: the directory they lead to is replaced, the link stays.
// A process whose working directory is Root (a shell) goes on seeing the old
// directory until it enters Root again.
func ReplaceTree(t Tree) (err error) {
	root, created, err := prepareRoot(t.Root)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil && created {
			os.Remove(root) // the empty directory this run made for its lock
		}
	}()
	lock, err := lockDir(root, t.Root)
	if err != nil {
		return err
	}
	defer lock.Close()
	parent, base := filepath.Dir(root), filepath.Base(root)
	cleanStaging(parent, base)

	want := map[string]bool{}
	wantDirs := map[string]bool{}
	for _, f := range t.Files {
		name := path.Clean(f.Name)
		want[name] = true
		for d := path.Dir(name); d != "."; d = path.Dir(d) {
			wantDirs[d] = true
		}
	}
	drop := map[string]bool{}
	for _, name := range t.Remove {
		drop[path.Clean(name)] = true
	}
	for name := range want {
		if wantDirs[name] {
			return fmt.Errorf("%s is both a file and a directory of the output", name)
		}
	}

	stage, err := os.MkdirTemp(parent, "."+base+stageInfix)
	if err != nil {
		return err
	}
	stageLock, err := lockHeld(stage)
	if err != nil {
		os.RemoveAll(stage)
		return err
	}
	defer stageLock.Close()
	defer os.RemoveAll(stage) // after the swap: the old content
	if fi, err := os.Stat(root); err == nil {
		os.Chmod(stage, fi.Mode().Perm())
	}

	seen, err := copyKept(root, stage, want, wantDirs, drop)
	if err != nil {
		return err
	}
	for _, f := range t.Files {
		p := filepath.Join(stage, filepath.FromSlash(path.Clean(f.Name)))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return inTheWay(err, root, stage, p)
		}
		if err := writeFile(p, f.Data, 0o644); err != nil {
			return inTheWay(err, root, stage, p)
		}
	}
	old, err := swap(stage, root)
	if err != nil {
		return err
	}
	if old != stage {
		defer os.RemoveAll(old)
	}
	return reconcile(old, root, seen, want, drop)
}

// prepareRoot resolves root's symbolic links and makes sure it is a
// directory, creating it (and its parents) if it does not exist.
func prepareRoot(root string) (real string, created bool, err error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return "", false, err
	}
	fi, err := os.Stat(abs)
	switch {
	case err == nil && !fi.IsDir():
		return "", false, &InTheWayError{Path: root}
	case errors.Is(err, fs.ErrNotExist):
		if file := FileInPath(abs); file != "" {
			return "", false, &InTheWayError{Path: file}
		}
		if err := os.MkdirAll(abs, 0o755); err != nil {
			return "", false, err
		}
		created = true
	case err != nil:
		return "", false, err
	}
	real, err = filepath.EvalSymlinks(abs)
	if err != nil {
		return "", false, err
	}
	if filepath.Dir(real) == real {
		return "", false, fmt.Errorf("cannot replace %s: it is the root of the file system", root)
	}
	return real, created, nil
}

// FileInPath returns dir, or the nearest of its parents, when it exists and
// is not a directory (nothing can be created under it), or "".
func FileInPath(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		st, err := os.Stat(d)
		if err == nil {
			if st.IsDir() {
				return ""
			}
			return d
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// cleanStaging removes the staging directories interrupted runs left next to
// the directory named base in parent: those whose lock no process holds.
func cleanStaging(parent, base string) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), "."+base+stageInfix) {
			continue
		}
		p := filepath.Join(parent, e.Name())
		l, err := tryLock(p)
		if err != nil || l == nil {
			continue // a live run's
		}
		os.RemoveAll(p)
		l.Close()
	}
}

type ident struct{ dev, ino uint64 }

// copyKept re-creates in stage every entry of root that the new content
// keeps: directories and symbolic links anew, regular files as hard links (the
// same file, not a copy). It returns each kept entry's identity.
func copyKept(root, stage string, want, wantDirs, drop map[string]bool) (map[string]ident, error) {
	seen := map[string]ident{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == root {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		name := filepath.ToSlash(rel)
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		dst := filepath.Join(stage, rel)
		switch {
		case fi.IsDir():
			if want[name] {
				return &InTheWayError{Path: p, Dir: true}
			}
			if err := os.Mkdir(dst, fi.Mode().Perm()|0o700); err != nil {
				return err
			}
			seen[name] = identOf(fi)
			return nil
		case want[name] || drop[name] || (legacyTemp(d.Name()) && !strings.Contains(name, "/")):
			return nil
		case wantDirs[name]:
			return &InTheWayError{Path: p}
		case fi.Mode().IsRegular():
			if err := os.Link(p, dst); err != nil {
				return err
			}
		case fi.Mode()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			if err := os.Symlink(target, dst); err != nil {
				return err
			}
		default:
			return fmt.Errorf("cannot replace the directory %s as a whole: %w", root, &SpecialError{Path: p, Kind: SpecialKind(fi.Mode())})
		}
		seen[name] = identOf(fi)
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Directories keep their own permissions, set once their entries are in.
	return seen, fixDirModes(root, stage)
}

// fixDirModes gives each staged directory its original's permissions (a
// read-only one was made writable to be filled).
func fixDirModes(root, stage string) error {
	var dirs []string
	filepath.WalkDir(stage, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() && p != stage {
			dirs = append(dirs, p)
		}
		return nil
	})
	sort.Sort(sort.Reverse(sort.StringSlice(dirs)))
	for _, p := range dirs {
		rel, _ := filepath.Rel(stage, p)
		if fi, err := os.Stat(filepath.Join(root, rel)); err == nil {
			if err := os.Chmod(p, fi.Mode().Perm()); err != nil {
				return err
			}
		}
	}
	return nil
}

// inTheWay turns the failure to create p in stage into an InTheWayError when
// a file of root stands where a directory must be.
func inTheWay(err error, root, stage, p string) error {
	rel, _ := filepath.Rel(stage, p)
	for d := filepath.Dir(rel); d != "."; d = filepath.Dir(d) {
		if fi, serr := os.Lstat(filepath.Join(root, d)); serr == nil && !fi.IsDir() {
			return &InTheWayError{Path: filepath.Join(root, d)}
		}
	}
	return err
}

// reconcile moves into root what appeared in old (root's former content)
// after copyKept looked at it: files created or replaced meanwhile, by an
// editor say. Entries the new content writes or drops are not moved.
func reconcile(old, root string, seen map[string]ident, want, drop map[string]bool) error {
	return filepath.WalkDir(old, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == old {
			return nil
		}
		rel, err := filepath.Rel(old, p)
		if err != nil {
			return nil
		}
		name := filepath.ToSlash(rel)
		if want[name] || drop[name] || (legacyTemp(d.Name()) && !strings.Contains(name, "/")) {
			return nil
		}
		fi, err := os.Lstat(p)
		if err != nil {
			return nil
		}
		if id, ok := seen[name]; ok && id == identOf(fi) {
			return nil // kept: its copy or link is in root
		}
		dst := filepath.Join(root, rel)
		if fi.IsDir() {
			if _, err := os.Lstat(dst); err == nil {
				return nil // look inside
			}
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.Rename(p, dst); err != nil {
			return err
		}
		if fi.IsDir() {
			return filepath.SkipDir
		}
		return nil
	})
}

// writeFile writes data to a new file at p, in full, and closes it.
func writeFile(p string, data []byte, mode fs.FileMode) error {
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
