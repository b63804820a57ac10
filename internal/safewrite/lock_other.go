//go:build !unix

package safewrite

import (
	"io/fs"
	"os"
)

// Without flock, no lock is taken: lockHeld only opens p.
func lockHeld(p string) (*os.File, error) { return os.Open(p) }

func tryLock(p string) (*os.File, error) { return nil, nil }

func lockWait(dir string) (*os.File, error) { return nil, nil }

func lockDir(root, name string) (*os.File, error) { return os.Open(root) }

func identOf(fi fs.FileInfo) ident { return ident{} }
