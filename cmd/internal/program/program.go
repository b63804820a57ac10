// Package program finds and runs archform's helper program, archform-graphviz:
// a binary of this module that archform runs for work it does not link
// itself. It imports nothing but the standard
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
	// Install is the command that installs the program, for the message
	// when it cannot be found nor built.
	Install string
	// BuildSeconds is about how long building it takes the first time, for
	// the message printed when the build starts.
	BuildSeconds int
	// Notices receives the message that the program is being built (nil:
	// os.Stderr): a build takes long enough that the user must know why
	// archform is silent.
	Notices io.Writer

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
	var nf *NotFoundError
	if errors.As(err, &nf) {
		return "", err
	}
	msg := fmt.Sprintf("%s, %s, was not found", p.Name, p.Purpose)
	if len(tried) > 0 {
		msg += fmt.Sprintf(" (tried %s)", strings.Join(tried, ", "))
	}
	return "", fmt.Errorf("%s; building it from source: %w", msg, err)
}

// NotFoundError is a program that is not installed and cannot be built
// here (no source tree, no Go toolchain): an environment problem, which the
// message tells how to fix.
type NotFoundError struct{ Msg string }

func (e *NotFoundError) Error() string { return e.Msg }

func (p *Program) notFound(tried []string, why string) error {
	msg := fmt.Sprintf("%s, %s, is not installed", p.Name, p.Purpose)
	if len(tried) > 0 {
		msg += fmt.Sprintf(" (tried %s)", strings.Join(tried, ", "))
	}
	msg += " and cannot be built here: " + why + ". Install it next to archform"
	if p.Install != "" {
		msg += " (" + p.Install + ")"
	}
	return &NotFoundError{Msg: msg + ", or set " + p.Env + " to its path"}
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
	return fmt.Errorf("%s speaks %q but the archform that runs it expects %q: install archform and its programs from one version (go install ./cmd/... in a clone of archform)",
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
		return "", p.notFound(nil, "archform was not built from a source tree it can find")
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
	goTool, err := exec.LookPath("go")
	if err != nil {
		return "", p.notFound(nil, "there is no go command on PATH to build it with (https://go.dev/dl/)")
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
	notices := p.Notices
	if notices == nil {
		notices = os.Stderr
	}
	fmt.Fprintf(notices, "archform: building %s, first use only, about %d s (into %s)\n", p.Purpose, p.BuildSeconds, dir)
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
	files, err := sourceFiles(root, dirs)
	if err != nil {
		return "", err
	}
	h := fnv.New128a()
	if err := hashFiles(h, root, append([]string{"go.mod", "go.sum"}, files...)); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// sourceFiles lists the files under dirs, relative to root, sorted: sources
// and embedded files, not tests, testdata or hidden directories.
func sourceFiles(root string, dirs []string) ([]string, error) {
	var files []string
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
			return nil, err
		}
	}
	sort.Strings(files)
	return files, nil
}

// hashFiles writes each file's slash-separated name and content to h.
func hashFiles(h io.Writer, root string, files []string) error {
	for _, f := range files {
		fh, err := os.Open(filepath.Join(root, f))
		if err != nil {
			return err
		}
		io.WriteString(h, filepath.ToSlash(f)+"\x00")
		_, err = io.Copy(h, fh)
		fh.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// ContentKey hashes what a helper's behaviour depends on: every file under
// dirs (sources and embedded files; tests and testdata left out) and the
// lines of go.mod that require the modules named (their versions). Unlike
// the on-demand build's key it leaves out the rest of go.mod and go.sum, so
// that a dependency added elsewhere in the module does not change it.
func ContentKey(root string, dirs, modules []string) (string, error) {
	files, err := sourceFiles(root, dirs)
	if err != nil {
		return "", err
	}
	h := fnv.New128a()
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return "", err
	}
	for _, line := range strings.Split(string(mod), "\n") {
		for _, m := range modules {
			if f := strings.Fields(line); len(f) >= 2 && (f[0] == m || f[0] == "require" && f[1] == m) {
				io.WriteString(h, strings.Join(f, " ")+"\n")
			}
		}
	}
	if err := hashFiles(h, root, files); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}
