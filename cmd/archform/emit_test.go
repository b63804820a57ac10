package main

import (
	"errors"
	"io/fs"
	"syscall"
	"testing"

	"github.com/archform/archform/cmd/internal/cli"
	"github.com/archform/archform/emit"
	"github.com/archform/archform/internal/safewrite"
)

func TestWriteErrorCodes(t *testing.T) {
	for _, c := range []struct {
		err  error
		code int
	}{
		{&emit.ForeignFileError{Paths: []string{"out/compose.yaml"}}, cli.ExitUsage},
		{&fs.PathError{Op: "mkdir", Path: "ro/out", Err: fs.ErrPermission}, cli.ExitUsage},
		{&fs.PathError{Op: "open", Path: "ro/out", Err: syscall.EROFS}, cli.ExitUsage},
		{&fs.PathError{Op: "write", Path: "out/x", Err: syscall.ENOSPC}, cli.ExitUsage}, // a full disk is not a bug
		{&fs.PathError{Op: "stat", Path: "out", Err: syscall.ELOOP}, cli.ExitUsage},
		{&safewrite.BusyError{Dir: "out"}, cli.ExitUsage},
		{&safewrite.InTheWayError{Path: "out/compose.yaml", Dir: true}, cli.ExitUsage},
		{errors.New("something else"), cli.ExitInternal},
	} {
		if got, ok := cli.ExitCode(writeError(c.err)); !ok || got != c.code {
			t.Errorf("writeError(%v) exits %d, want %d", c.err, got, c.code)
		}
	}
}
