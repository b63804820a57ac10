//go:build unix

package safewrite

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

// lockHeld opens p (a directory or a file) and takes its exclusive lock,
// waiting for none: the lock is the process's until it closes the file or
// exits, however it exits.
func lockHeld(p string) (*os.File, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// tryLock is lockHeld that returns nil, nil when another process holds the
// lock.
func tryLock(p string) (*os.File, error) {
	f, err := lockHeld(p)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return nil, nil
	}
	return f, err
}

// lockWait takes the lock of the directory dir, waiting for the process
// that holds it to release it.
func lockWait(dir string) (*os.File, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// lockDir takes the lock of the directory root (named name by the user). A
// run that swaps root replaces it: the lock taken on the directory that was
// there is then worth nothing, so the directory is looked at again.
func lockDir(root, name string) (*os.File, error) {
	for range 3 {
		f, err := tryLock(root)
		if err != nil {
			return nil, err
		}
		if f == nil {
			return nil, &BusyError{Dir: name}
		}
		held, err1 := f.Stat()
		now, err2 := os.Stat(root)
		if err1 == nil && err2 == nil && os.SameFile(held, now) {
			return f, nil
		}
		f.Close()
	}
	return nil, &BusyError{Dir: name}
}

func identOf(fi fs.FileInfo) ident {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return ident{uint64(st.Dev), uint64(st.Ino)}
	}
	return ident{}
}
