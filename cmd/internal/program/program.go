// Package program finds and runs archform's companion programs
// (archform-full, archform-graphviz): binaries of this module that archform
// runs for work it does not link itself. It imports nothing but the standard
// library, so that every program, the smallest included, can check the
// protocol it is run with.
package program

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"
)

// Program is a helper program of archform's: a binary of this module that
// archform runs for work it does not link itself.
//
// It is looked for, in order: in the environment variable Env; next to the
// running executable; on PATH; and, when archform runs from its source tree
// or from the module cache (go run, go test, go install), it is built on
// demand with `go build` into the user cache directory, under a name derived
// from a hash of the sources it is built from. A program named by Env or
// found on PATH is used only if `NAME -protocol` prints Protocol; one next
// to archform or built from its sources is not asked first (that would start
// it twice): Command passes the protocol in $ARCHFORM_PROTOCOL, and the
// program refuses to run when it is not its own (CheckProtocol).
type Program struct {
	Name     string   // archform-graphviz
	Env      string   // ARCHFORM_GRAPHVIZ
	Protocol string   // what `NAME -protocol` prints
	Purpose  string   // what it does, for error messages
	Sources  []string // module-relative directories its build depends on

	mu    sync.Mutex
	found string
}

// Find returns the program's path (see Program), building it from source
// when that is the only way.
func (p *Program) Find(ctx context.Context) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.found != "" {
		return p.found, nil
	}
	var tried []string
	check := func(path string) bool {
		tried = append(tried, path)
		out, err := exec.CommandContext(ctx, path, "-protocol").Output()
		return err == nil && strings.TrimSpace(string(out)) == p.Protocol
	}
	if path := os.Getenv(p.Env); path != "" {
		if check(path) {
			p.found = path
			return path, nil
		}
		return "", fmt.Errorf("%s=%s is not a working %s (want %q from -protocol)", p.Env, path, p.Name, p.Protocol)
	}
	exe := p.Name
	if runtime.GOOS == "windows" {
		exe += ".exe"
	}
	if self, err := os.Executable(); err == nil {
		if path := filepath.Join(filepath.Dir(self), exe); fileExists(path) {
			p.found = path
			return path, nil
		}
	}
	if path, err := exec.LookPath(exe); err == nil && check(path) {
		p.found = path
		return path, nil
	}
	path, err := p.build(ctx, exe)
	if err == nil {
		p.found = path
		return path, nil
	}
	msg := fmt.Sprintf("%s, %s, was not found", p.Name, p.Purpose)
	if len(tried) > 0 {
		msg += fmt.Sprintf(" (tried %s)", strings.Join(tried, ", "))
	}
	if err != nil {
		msg += "; building it from source: " + err.Error()
	}
	return "", errors.New(msg + "; install it next to archform (go install github.com/archform/archform/cmd/...@latest) or set " + p.Env)
}

// ProtocolEnv is the environment variable in which Command passes the
// protocol archform expects to the program it runs.
const ProtocolEnv = "ARCHFORM_PROTOCOL"

// Command returns the command that runs the program with args, with the
// protocol archform expects in $ARCHFORM_PROTOCOL.
func (p *Program) Command(ctx context.Context, args ...string) (*exec.Cmd, error) {
	path, err := p.Find(ctx)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Env = append(os.Environ(), ProtocolEnv+"="+p.Protocol)
	return cmd, nil
}

// CheckProtocol is the first thing a program run by Command does: it
// returns an error when the archform that runs it expects another protocol
// (another version of archform: a stale program next to a new archform).
func CheckProtocol(protocol string) error {
	want := os.Getenv(ProtocolEnv)
	if want == "" || want == protocol {
		return nil
	}
	return fmt.Errorf("%s speaks %q but the archform that runs it expects %q: install archform and its programs from one version (go install github.com/archform/archform/cmd/...@VERSION)",
		filepath.Base(os.Args[0]), protocol, want)
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// sourceRoot returns the archform module's source directory when this
// binary was built from it (its recorded file paths are real), or "".
func sourceRoot(name string) string {
	_, file, _, ok := runtime.Caller(0)
	if !ok || !filepath.IsAbs(file) {
		return ""
	}
	root := filepath.Dir(filepath.Dir(filepath.Dir(filepath.Dir(file)))) // cmd/internal/cli/program.go
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil || !bytes.HasPrefix(mod, []byte("module github.com/archform/archform\n")) {
		return ""
	}
	if !fileExists(filepath.Join(root, "cmd", name, "main.go")) {
		return ""
	}
	return root
}

// build builds cmd/NAME from the source tree into the user cache directory,
// under a name derived from its sources, and returns its path. A build
// already there is reused.
func (p *Program) build(ctx context.Context, exe string) (string, error) {
	root := sourceRoot(p.Name)
	if root == "" {
		return "", errors.New("archform was not built from a source tree")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		return "", errors.New("no go command on PATH")
	}
	key, err := sourceKey(root, p.Sources)
	if err != nil {
		return "", err
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "archform", strings.TrimPrefix(p.Name, "archform-")+"-"+key)
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
	cmd := exec.CommandContext(ctx, goTool, "build", "-o", tmp.Name(), "./cmd/"+p.Name)
	cmd.Dir = root
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build ./cmd/%s: %v: %s", p.Name, err, strings.TrimSpace(errb.String()))
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return "", err
	}
	pruneBuilds(filepath.Dir(dir), strings.TrimPrefix(p.Name, "archform-")+"-", dir, time.Now().Add(-pruneAge))
	return out, nil
}

// pruneAge is how old a build of other sources must be to be removed.
const pruneAge = 30 * 24 * time.Hour

// pruneBuilds removes, from the cache directory, this program's builds of
// other sources (directories named prefix + key, other than keep) made
// before cutoff. A checkout that still uses one builds it again.
func pruneBuilds(cache, prefix, keep string, cutoff time.Time) {
	entries, err := os.ReadDir(cache)
	if err != nil {
		return
	}
	for _, e := range entries {
		path := filepath.Join(cache, e.Name())
		if !e.IsDir() || !strings.HasPrefix(e.Name(), prefix) || path == keep {
			continue
		}
		if info, err := e.Info(); err == nil && info.ModTime().Before(cutoff) {
			os.RemoveAll(path)
		}
	}
}

// sourceKey hashes what a program is built from: go.mod, go.sum and every
// file under dirs (sources and embedded files; tests and testdata left out).
func sourceKey(root string, dirs []string) (string, error) {
	files := []string{"go.mod", "go.sum"}
	for _, dir := range dirs {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, e fs.DirEntry, err error) error {
			switch {
			case err != nil:
				return err
			case e.IsDir() && (e.Name() == "testdata" || strings.HasPrefix(e.Name(), ".")):
				return filepath.SkipDir
			case e.Type().IsRegular() && !strings.HasSuffix(e.Name(), "_test.go"):
				rel, _ := filepath.Rel(root, path)
				files = append(files, rel)
			}
			return nil
		})
		if err != nil {
			return "", err
		}
	}
	sort.Strings(files)
	h := fnv.New128a()
	for _, f := range files {
		fh, err := os.Open(filepath.Join(root, f))
		if err != nil {
			return "", err
		}
		io.WriteString(h, filepath.ToSlash(f)+"\x00")
		_, err = io.Copy(h, fh)
		fh.Close()
		if err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}
