package safewrite

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
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

// WriteFiles writes every target's data, as nearly all or nothing as a file
// system allows: each regular file is first written in full to a temporary
// file next to it (".NAME.archform-tmp-*", locked while this run lives), and
// only when all are written are they renamed into place. Temporary files
// that a killed run left next to a target are removed first; a failure leaves
// none. Streams are written last, in place.
func WriteFiles(targets ...Target) error {
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
	for _, t := range targets {
		if t.Stream {
			continue
		}
		cleanTemps(t.Path)
		tmp, lock, err := stage(t)
		if err != nil {
			return &Error{Path: t.Name, Err: err}
		}
		temps = append(temps, tmp)
		if lock != nil {
			held = append(held, lock)
		}
	}
	i := 0
	for _, t := range targets {
		if t.Stream {
			continue
		}
		if err := os.Rename(temps[i], t.Path); err != nil {
			return &Error{Path: t.Name, Err: err}
		}
		i++
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
