package importer

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestInputLimits (issue 15 item 7): what would take the machine's memory
// or block forever is refused before it is parsed or opened, as an
// InputError (exit 2) that says why.
func TestInputLimits(t *testing.T) {
	dir := t.TempDir()
	deep := filepath.Join(dir, "deep.yaml")
	src := "services:\n  web:\n    image: nginx\nx-deep: " + strings.Repeat("[", 9990) + strings.Repeat("]", 9990) + "\n"
	if err := os.WriteFile(deep, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	list := filepath.Join(dir, "list.json")
	nested := strings.Repeat(`{"apiVersion":"v1","kind":"List","items":[`, 4900) + strings.Repeat("]}", 4900)
	if err := os.WriteFile(list, []byte(nested), 0o644); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	for _, c := range []struct {
		run  func() error
		want string
	}{
		{func() error { _, err := Compose([]string{deep}); return err }, "nested deeper than 200 levels"},
		{func() error { _, err := Kubernetes([]string{list}); return err }, "nested deeper than 200 levels"},
		{func() error { _, err := Compose([]string{"/dev/zero"}); return err }, "not a regular file but a device"},
		{func() error { _, err := Compose([]string{fifo}); return err }, "not a regular file but a FIFO"},
		{func() error { _, err := Kubernetes([]string{fifo}); return err }, "not a regular file but a FIFO"},
	} {
		err := c.run()
		var ie *InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("want an InputError saying %q, got %v", c.want, err)
		}
	}
}
