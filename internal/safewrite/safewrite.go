// Package safewrite writes a command's output all or nothing: a directory's
// new content is built in full in a staging directory next to it and swapped
// in with one rename, files named one by one are each written in full and
// committed by a journal before any is renamed into place, an advisory lock
// keeps a second run out of a directory that one is writing, and what an
// interrupted run left behind is removed or finished by the next.
package safewrite

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"syscall"
)

// stageInfix marks the staging directories and temporary files of this
// package: ".NAME.archform-stage-*" next to a directory, ".NAME.archform-tmp-*"
// next to a file; commitPrefix the journals of WriteFiles.
const (
	stageInfix   = ".archform-stage-"
	tmpInfix     = ".archform-tmp-"
	commitPrefix = ".archform-commit-"
)

// legacyTemp matches the temporary files earlier versions left in an output
// directory when they were killed (".archform-*.tmp"): the next run drops them.
func legacyTemp(name string) bool {
	return strings.HasPrefix(name, ".archform-") && strings.HasSuffix(name, ".tmp")
}

// BusyError means another process holds the lock of Dir: it is writing there.
type BusyError struct{ Dir string }

func (e *BusyError) Error() string {
	return fmt.Sprintf("another archform run is writing into %s; try again when it has finished", e.Dir)
}

// SpecialError is a FIFO, socket or device where a file is read or written:
// archform reads and writes regular files and the standard streams only.
type SpecialError struct {
	Path string
	Kind string // "a FIFO", "a socket", "a device"
}

func (e *SpecialError) Error() string {
	return fmt.Sprintf("%s is %s: archform reads and writes only regular files and the standard streams", e.Path, e.Kind)
}

// SpecialKind names what a non-regular, non-directory, non-link mode is
// ("a FIFO", "a socket", "a device"), or "".
func SpecialKind(mode fs.FileMode) string {
	switch {
	case mode&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case mode&fs.ModeSocket != 0:
		return "a socket"
	case mode&fs.ModeDevice != 0 || mode&fs.ModeCharDevice != 0:
		return "a device"
	case mode&fs.ModeIrregular != 0:
		return "an irregular file"
	}
	return ""
}

// IsEnvironment reports whether err is the environment's and not archform's
// to answer for: permissions, a read-only or full file system, a path that
// does not exist or loops, a lock held, a special file. Commands exit 3 on
// these and 4 on anything else.
func IsEnvironment(err error) bool {
	var be *BusyError
	var se *SpecialError
	var ie *InTheWayError
	if errors.As(err, &be) || errors.As(err, &se) || errors.As(err, &ie) {
		return true
	}
	for _, e := range []error{fs.ErrPermission, fs.ErrNotExist, fs.ErrExist,
		syscall.EROFS, syscall.ENOSPC, syscall.EDQUOT, syscall.ELOOP, syscall.ENOTDIR,
		syscall.EISDIR, syscall.EBUSY, syscall.EXDEV, syscall.EFBIG, syscall.EIO,
		syscall.ENAMETOOLONG, syscall.EMLINK, syscall.ETXTBSY, syscall.ENXIO, syscall.EPIPE,
		syscall.EAGAIN, syscall.EMFILE, syscall.ENFILE, syscall.ENOMEM} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// Errno strips the operation and path that an *fs.PathError or *os.LinkError
// adds (they may name a temporary file): what is left reads after the user's
// own path.
func Errno(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	var se *os.SyscallError
	if errors.As(err, &se) {
		return se.Err
	}
	return err
}

// InTheWayError is a directory where a file must be written, or a file where
// a directory must be: nothing replaces it, not even --force.
type InTheWayError struct {
	Path string
	Dir  bool // Path is a directory (else a file where a directory must be)
}

func (e *InTheWayError) Error() string {
	if e.Dir {
		return fmt.Sprintf("cannot write %s: it is a directory", e.Path)
	}
	return fmt.Sprintf("cannot write into %s: it is not a directory", e.Path)
}

// A File is one file of a Tree: Name is its path under the tree's root,
// slash-separated.
type File struct {
	Name string
	Data []byte
}
