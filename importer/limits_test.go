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
	// More replicas than a design may hold: the design import wrote was
	// refused when read back (an internal error, exit 4).
	replicas := filepath.Join(dir, "replicas.yaml")
	if err := os.WriteFile(replicas, []byte("services:\n  s:\n    image: s\n    deploy:\n      replicas: 99999999999\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	kubeReplicas := filepath.Join(dir, "deploy.yaml")
	if err := os.WriteFile(kubeReplicas, []byte("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2000000\n"+
		"  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: nginx}]}\n"), 0o644); err != nil {
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
		{func() error { _, err := Compose([]string{replicas}); return err }, "replicas.yaml:5: service \"s\": deploy.replicas 99999999999 is more than the 100000 instances"},
		{func() error { _, err := Kubernetes([]string{kubeReplicas}); return err }, "deploy.yaml:1: Deployment \"web\": replicas 2000000 is more than the 100000 instances"},
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
