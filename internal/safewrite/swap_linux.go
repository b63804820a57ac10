package safewrite

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// swap exchanges the directories stage and root in one rename and returns
// where root's old content now is (stage). Where the file system cannot
// exchange, root is renamed aside and stage into its place.
func swap(stage, root string) (string, error) {
	err := unix.Renameat2(unix.AT_FDCWD, stage, unix.AT_FDCWD, root, unix.RENAME_EXCHANGE)
	if err == nil {
		return stage, nil
	}
	if !errors.Is(err, unix.EINVAL) && !errors.Is(err, unix.ENOSYS) && !errors.Is(err, unix.EOPNOTSUPP) {
		return "", &os.LinkError{Op: "exchange", Old: stage, New: root, Err: err}
	}
	return swapByRenames(stage, root)
}
