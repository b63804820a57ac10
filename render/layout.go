package render

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
)

// Layout turns DOT into SVG.
type Layout func(ctx context.Context, dot []byte) ([]byte, error)

// HelperName is the program that lays out DOT with go-graphviz.
const HelperName = "archform-graphviz"

// helperProtocol is what `archform-graphviz -protocol` prints.
const helperProtocol = "archform-graphviz 1"

// HelperEnv names the environment variable that points at the helper.
const HelperEnv = "ARCHFORM_GRAPHVIZ"

// HelperLayout returns a Layout that runs the archform-graphviz program.
//
// The archform binary does not link go-graphviz, whose package init compiles
// Graphviz's WebAssembly module (tens of milliseconds at every start, far
// more where the temporary directory is not writable and its compilation
// cache cannot be used). The helper is looked for, in order: $ARCHFORM_GRAPHVIZ;
// next to the running executable; on PATH; and, when archform runs from its
// source tree (go run, go test, a binary built in the tree), it is built on
// demand with `go build` into the user cache directory, keyed by a hash of its
// sources.
func HelperLayout() Layout {
	return func(ctx context.Context, dot []byte) ([]byte, error) {
		path, err := FindHelper(ctx)
		if err != nil {
			return nil, err
		}
		return runHelper(ctx, path, dot)
	}
}

func runHelper(ctx context.Context, path string, dot []byte) ([]byte, error) {
	cmd := exec.CommandContext(ctx, path, "-T", "svg")
	cmd.Stdin = bytes.NewReader(dot)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(errb.String())
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Errorf("laying out the diagram (%s): %s", path, msg)
	}
	return out.Bytes(), nil
}

var (
	findOnce sync.Mutex
	found    string
)

// FindHelper returns the path of the archform-graphviz program (see
// HelperLayout), building it from source when that is the only way.
func FindHelper(ctx context.Context) (string, error) {
	findOnce.Lock()
	defer findOnce.Unlock()
	if found != "" {
		return found, nil
	}
	var tried []string
	check := func(p string) bool {
		if p == "" {
			return false
		}
		tried = append(tried, p)
		out, err := exec.CommandContext(ctx, p, "-protocol").Output()
		return err == nil && strings.TrimSpace(string(out)) == helperProtocol
	}
	if p := os.Getenv(HelperEnv); p != "" {
		if check(p) {
			found = p
			return p, nil
		}
		return "", fmt.Errorf("%s=%s is not a working %s", HelperEnv, p, HelperName)
	}
	exe := HelperName
	if runtime.GOOS == "windows" {
		exe += ".exe"
	}
	if self, err := os.Executable(); err == nil {
		if p := filepath.Join(filepath.Dir(self), exe); fileExists(p) && check(p) {
			found = p
			return p, nil
		}
	}
	if p, err := exec.LookPath(exe); err == nil && check(p) {
		found = p
		return p, nil
	}
	p, err := buildHelper(ctx, exe)
	if err == nil && check(p) {
		found = p
		return p, nil
	}
	msg := fmt.Sprintf("%s, the Graphviz layout program, was not found (tried %s)", HelperName, strings.Join(tried, ", "))
	if err != nil {
		msg += "; building it from source: " + err.Error()
	}
	return "", errors.New(msg + "; install it next to archform (go install github.com/archform/archform/cmd/archform-graphviz@latest) or set " + HelperEnv)
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// sourceRoot returns the archform module's source directory when this
// binary was built from it (its recorded file paths are real), or "".
func sourceRoot() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok || !filepath.IsAbs(file) {
		return ""
	}
	root := filepath.Dir(filepath.Dir(file))
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil || !bytes.HasPrefix(mod, []byte("module github.com/archform/archform\n")) {
		return ""
	}
	if !fileExists(filepath.Join(root, "cmd", HelperName, "main.go")) {
		return ""
	}
	return root
}

// buildHelper builds cmd/archform-graphviz from the source tree into the user
// cache directory, under a name derived from its sources, and returns its
// path. A build already there is reused.
func buildHelper(ctx context.Context, exe string) (string, error) {
	root := sourceRoot()
	if root == "" {
		return "", errors.New("archform was not built from a source tree")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		return "", errors.New("no go command on PATH")
	}
	key, err := helperKey(root)
	if err != nil {
		return "", err
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "archform", "graphviz-"+key)
	out := filepath.Join(dir, exe)
	if fileExists(out) {
		return out, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(dir, exe+".build-*")
	if err != nil {
		return "", err
	}
	tmp.Close()
	defer os.Remove(tmp.Name())
	cmd := exec.CommandContext(ctx, goTool, "build", "-o", tmp.Name(), "./cmd/"+HelperName)
	cmd.Dir = root
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build ./cmd/%s: %v: %s", HelperName, err, strings.TrimSpace(errb.String()))
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return "", err
	}
	return out, nil
}

// helperKey hashes what the helper is built from: go.mod, go.sum and the
// helper's own packages.
func helperKey(root string) (string, error) {
	h := sha256.New()
	files := []string{"go.mod", "go.sum"}
	for _, dir := range []string{filepath.Join("cmd", HelperName), filepath.Join("render", "graphviz")} {
		m, err := filepath.Glob(filepath.Join(root, dir, "*.go"))
		if err != nil {
			return "", err
		}
		for _, f := range m {
			if !strings.HasSuffix(f, "_test.go") {
				rel, _ := filepath.Rel(root, f)
				files = append(files, rel)
			}
		}
	}
	for _, f := range files {
		fh, err := os.Open(filepath.Join(root, f))
		if err != nil {
			return "", err
		}
		io.WriteString(h, f+"\x00")
		_, err = io.Copy(h, fh)
		fh.Close()
		if err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}
