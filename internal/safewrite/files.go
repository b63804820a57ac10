package safewrite

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A Target is one file a run writes by name (-o FILE): Name is the user's
// name for it, Path where the data goes (Name with its symbolic links
// followed). A Stream target (/dev/stdout, /dev/null) is written to in place,
// never replaced.
type Target struct {
	Name   string
	Path   string
	Data   []byte
	Stream bool
}

// Error is a failure to write Path (the user's name for it).
type Error struct {
	Path string
	Err  error
}

func (e *Error) Error() string { return fmt.Sprintf("cannot write %s: %v", e.Path, Errno(e.Err)) }
func (e *Error) Unwrap() error { return e.Err }

// WriteFiles writes every target's data all or nothing:
//
//  1. it locks the directory of each target (waiting for another run that
//     writes there to finish: two runs never interleave their renames) and
//     finishes or undoes what a killed run left there (see Recover);
//  2. it writes each regular file in full to a temporary file next to it
//     (".NAME.archform-tmp-*", locked while this run lives);
//  3. with more than one file, it commits: a journal listing every rename
//     (".archform-commit-*") is written next to each target, the one in the
//     first target's directory last: that rename is the commit point;
//  4. it renames each temporary file into place, then removes the journals.
//
// A run killed before the commit point leaves every target as it was (the
// next run removes its temporary files); one killed after it leaves a
// journal by which the next run that writes into one of those directories,
// or Recover, finishes the renames: every target is then new. Streams are
// written last, in place.
func WriteFiles(targets ...Target) error {
	var files []Target
	for _, t := range targets {
		if !t.Stream {
			files = append(files, t)
		}
	}
	if len(files) > 0 {
		if err := writeRegular(files); err != nil {
			return err
		}
	}
	for _, t := range targets {
		if !t.Stream {
			continue
		}
		f, err := os.OpenFile(t.Path, os.O_WRONLY|os.O_TRUNC, 0)
		if err != nil {
			return &Error{Path: t.Name, Err: err}
		}
		_, err = f.Write(t.Data)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return &Error{Path: t.Name, Err: err}
		}
	}
	return nil
}

// writeRegular is WriteFiles for regular files.
func writeRegular(files []Target) error {
	paths := make([]string, len(files))
	for i, t := range files {
		paths[i] = t.Path
	}
	unlock, bad, err := lockParents(paths)
	if err != nil {
		return &Error{Path: files[bad].Name, Err: err}
	}
	defer unlock()
	recoverLocked(paths)

	var temps []string
	defer func() {
		for _, tmp := range temps {
			os.Remove(tmp) // a no-op once renamed
		}
	}()
	var held []*os.File
	defer func() {
		for _, f := range held {
			f.Close()
		}
	}()
	for _, t := range files {
		tmp, lock, err := stage(t)
		if err != nil {
			return &Error{Path: t.Name, Err: err}
		}
		temps = append(temps, tmp)
		if lock != nil {
			held = append(held, lock)
		}
	}
	var journals []string
	if len(files) > 1 {
		var locks []*os.File
		journals, locks, err = commit(files, temps)
		held = append(held, locks...)
		if err != nil {
			return &Error{Path: files[0].Name, Err: err}
		}
	}
	for i, t := range files {
		if err := os.Rename(temps[i], t.Path); err != nil {
			// Past the commit point a failure leaves the journal: the
			// next run finishes what this one could not.
			return &Error{Path: t.Name, Err: err}
		}
	}
	for _, j := range journals {
		os.Remove(j) // the commit point first: see commit
	}
	return nil
}

// A journal is what a run writes before it renames its temporary files into
// place: the renames, and the journal whose presence means they are to be
// done (Commit, in the first target's directory). A copy is written in
// every directory a target is in, so that a run that writes into any of
// them finds it.
type journal struct {
	Commit  string   `json:"commit"`
	Renames []rename `json:"renames"`
}

type rename struct {
	Temp   string `json:"temp"`
	Target string `json:"target"`
}

// commit writes the journal of the renames temps[i] → files[i].Path into
// each of their directories, the commit point last, each by a rename, and
// locked for as long as this run lives. It returns the journals in the
// order they are to be removed: the commit point first (once it is gone, the
// copies are void).
func commit(files []Target, temps []string) ([]string, []*os.File, error) {
	var dirs []string
	seen := map[string]bool{}
	j := journal{}
	for i, t := range files {
		temp, err := filepath.Abs(temps[i])
		if err != nil {
			return nil, nil, err
		}
		target, err := filepath.Abs(t.Path)
		if err != nil {
			return nil, nil, err
		}
		j.Renames = append(j.Renames, rename{Temp: temp, Target: target})
		if d := filepath.Dir(target); !seen[d] {
			seen[d] = true
			dirs = append(dirs, d)
		}
	}
	name := commitPrefix + strconv.FormatInt(time.Now().UnixNano(), 36) + "-" + strconv.Itoa(os.Getpid())
	j.Commit = filepath.Join(dirs[0], name)
	data, err := json.Marshal(j)
	if err != nil {
		return nil, nil, err
	}
	var written []string
	var locks []*os.File
	// The copies first, then the commit point.
	for _, d := range append(dirs[1:], dirs[0]) {
		p := filepath.Join(d, name)
		lock, err := writeJournal(p, data)
		if err != nil {
			for _, w := range written {
				os.Remove(w)
			}
			return nil, locks, err
		}
		written = append(written, p)
		if lock != nil {
			locks = append(locks, lock)
		}
	}
	order := append([]string{j.Commit}, written[:len(written)-1]...)
	return order, locks, nil
}

// writeJournal writes data at p in one rename, and locks it.
func writeJournal(p string, data []byte) (*os.File, error) {
	tmp, lock, err := stage(Target{Path: p, Data: data})
	if err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, p); err != nil {
		if lock != nil {
			lock.Close()
		}
		os.Remove(tmp)
		return nil, err
	}
	return lock, nil
}

// Recover finishes or undoes what killed runs left next to each path: a
// committed journal's renames are done, an uncommitted run's temporary
// files removed, as WriteFiles does before it writes. A command that reads
// files a killed run was writing (fmt) calls it first, so that it reads
// them all old or all new.
func Recover(paths ...string) error {
	unlock, _, err := lockParents(paths)
	if err != nil {
		return err
	}
	defer unlock()
	recoverLocked(paths)
	return nil
}

// recoverLocked is Recover with the directories locked.
func recoverLocked(paths []string) {
	done := map[string]bool{}
	for _, p := range paths {
		if d := filepath.Dir(p); !done[d] {
			done[d] = true
			replayJournals(d)
		}
	}
	for _, p := range paths {
		cleanTemps(p)
	}
}

// replayJournals finishes the committed journals in dir that no live run
// holds, and drops the others with their temporary files.
func replayJournals(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		journalTemp := strings.HasPrefix(e.Name(), "."+commitPrefix)
		if !e.Type().IsRegular() || !strings.HasPrefix(e.Name(), commitPrefix) && !journalTemp {
			continue
		}
		p := filepath.Join(dir, e.Name())
		l, err := tryLock(p)
		if err != nil || l == nil {
			continue // a live run's
		}
		if journalTemp {
			os.Remove(p) // a journal not yet written in full: nothing done
		} else {
			replay(p)
		}
		l.Close()
	}
}

// replay does the renames of the journal at p if its commit point exists,
// else removes its temporary files; then removes every copy of it. A rename
// is done only as WriteFiles would have done it: a temporary file of this
// package's name, next to its target.
func replay(p string) {
	data, err := os.ReadFile(p)
	var j journal
	if err != nil || json.Unmarshal(data, &j) != nil {
		os.Remove(p)
		return
	}
	_, err = os.Lstat(j.Commit)
	committed := err == nil && filepath.Base(j.Commit) == filepath.Base(p)
	copies := map[string]bool{p: true}
	if committed {
		copies[j.Commit] = true
	}
	for _, r := range j.Renames {
		if filepath.Dir(r.Temp) != filepath.Dir(r.Target) ||
			!strings.HasPrefix(filepath.Base(r.Temp), "."+filepath.Base(r.Target)+tmpInfix) {
			continue
		}
		if committed {
			os.Rename(r.Temp, r.Target)
		} else {
			os.Remove(r.Temp)
		}
		copies[filepath.Join(filepath.Dir(r.Target), filepath.Base(p))] = true
	}
	// The commit point first: once it is gone, a copy left by a kill here
	// only removes temporary files that no longer exist.
	if committed {
		os.Remove(j.Commit)
		delete(copies, j.Commit)
	}
	for c := range copies {
		os.Remove(c)
	}
}

// lockParents takes the lock of the directory of each path, in the order
// of their names, waiting for the run that holds one to finish; it returns
// the function that releases them, or the index of a path whose directory
// cannot be locked.
func lockParents(paths []string) (func(), int, error) {
	type dir struct {
		path string
		of   int // the first path in it
	}
	var dirs []dir
	for i, p := range paths {
		d, err := filepath.Abs(filepath.Dir(p))
		if err != nil {
			return nil, i, err
		}
		dirs = append(dirs, dir{d, i})
	}
	slices.SortStableFunc(dirs, func(a, b dir) int { return strings.Compare(a.path, b.path) })
	dirs = slices.CompactFunc(dirs, func(a, b dir) bool { return a.path == b.path })
	var held []*os.File
	release := func() {
		for _, f := range held {
			f.Close()
		}
	}
	for _, d := range dirs {
		f, err := lockWait(d.path)
		if err != nil {
			release()
			return nil, d.of, err
		}
		if f != nil {
			held = append(held, f)
		}
	}
	return release, 0, nil
}

// stage writes t.Data to a new temporary file next to t.Path, with the
// permissions of the file it replaces (0644 for a new one), and locks it.
func stage(t Target) (string, *os.File, error) {
	mode := fs.FileMode(0o644)
	if fi, err := os.Stat(t.Path); err == nil {
		mode = fi.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(t.Path), "."+filepath.Base(t.Path)+tmpInfix)
	if err != nil {
		return "", nil, err
	}
	name := tmp.Name()
	lock, _ := lockHeld(name)
	_, err = tmp.Write(t.Data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(name, mode)
	}
	if err != nil {
		if lock != nil {
			lock.Close()
		}
		os.Remove(name)
		return "", nil, err
	}
	return name, lock, nil
}

// cleanTemps removes the temporary files a killed run left next to path:
// those no live run holds the lock of.
func cleanTemps(path string) {
	dir, base := filepath.Dir(path), filepath.Base(path)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || !strings.HasPrefix(e.Name(), "."+base+tmpInfix) {
			continue
		}
		p := filepath.Join(dir, e.Name())
		l, err := tryLock(p)
		if err != nil || l == nil {
			continue
		}
		os.Remove(p)
		l.Close()
	}
}
