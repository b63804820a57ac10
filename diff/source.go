package diff

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"

	"github.com/archform/archform/lang"
	"github.com/hashicorp/hcl/v2"
)

// Source is where one version of a design comes from: a path in the
// working tree, or a path in a git revision.
type Source struct {
	// Rev is the git revision ("" for the working tree).
	Rev string
	// Path is the design's path (a directory or a file), as the user wrote
	// it, relative to the current directory.
	Path string
	// Plain names a revision's files by their paths alone (for the head
	// version, whose findings point at the files a pull request changes);
	// otherwise they are named REV:PATH.
	Plain bool
}

// Label is how the source is named in reports.
func (s Source) Label() string {
	if s.Rev == "" {
		return s.Path
	}
	return s.Rev + ":" + s.Path
}

// EnvError is a problem with the environment or the arguments (exit 3): a
// revision that does not exist, a path that is not a design in it, git
// missing.
type EnvError struct{ Msg string }

func (e *EnvError) Error() string { return e.Msg }

// ParseSources reads the command line `BASE HEAD [-- PATH]`:
//   - BASE HEAD, each a design path: two designs on disk;
//   - BASE HEAD -- PATH: two git revisions of the design at PATH;
//   - REV -- PATH: a revision against the working tree;
//   - REV:PATH as either side: that path in that revision.
func ParseSources(args []string, dash int) (base, head Source, err error) {
	if dash >= 0 {
		revs, paths := args[:dash], args[dash:]
		if len(paths) != 1 {
			return base, head, &EnvError{"after -- give exactly one design path"}
		}
		p := paths[0]
		switch len(revs) {
		case 1:
			return Source{Rev: revs[0], Path: p}, Source{Path: p}, nil
		case 2:
			return Source{Rev: revs[0], Path: p}, Source{Rev: revs[1], Path: p}, nil
		}
		return base, head, &EnvError{"give one or two revisions before -- PATH"}
	}
	if len(args) != 2 {
		return base, head, &EnvError{"give BASE and HEAD (design paths, REV:PATH, or REV [REV] -- PATH)"}
	}
	side := func(a string) (Source, error) {
		if _, err := os.Stat(a); err == nil {
			return Source{Path: a}, nil
		}
		if i := strings.Index(a, ":"); i > 0 {
			return Source{Rev: a[:i], Path: a[i+1:]}, nil
		}
		return Source{}, &EnvError{fmt.Sprintf("%s: no such design path (for a git revision write REV:PATH or REV -- PATH)", a)}
	}
	if base, err = side(args[0]); err != nil {
		return
	}
	head, err = side(args[1])
	return
}

// Load reads and decodes the design of a source. Design errors are
// returned as diagnostics (exit 2); a missing revision or path, or no git,
// as *EnvError (exit 3).
func (s Source) Load(opts lang.Options) (*lang.Design, hcl.Diagnostics, error) {
	if s.Rev == "" {
		if _, err := os.Stat(s.Path); err != nil {
			return nil, nil, &EnvError{fmt.Sprintf("%s: no such design path", s.Path)}
		}
		d, diags := lang.Load(s.Path, opts)
		return d, diags, nil
	}
	files, err := s.gitFiles()
	if err != nil {
		return nil, nil, err
	}
	d, diags := lang.LoadFiles(files, opts)
	if d != nil {
		d.Dir = s.Path
	}
	return d, diags, nil
}

// gitFiles reads the design files of s.Path in revision s.Rev: the file
// itself, or the *.arch.hcl and *.arch.json files directly in the
// directory. Their names are REV:PATH, so that diagnostics say where they
// come from.
func (s Source) gitFiles() (map[string][]byte, error) {
	dir := s.Path
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		dir = filepath.Dir(dir)
		if _, err := os.Stat(dir); err != nil {
			dir = "."
		}
	}
	if _, err := exec.LookPath("git"); err != nil {
		return nil, &EnvError{"git is not installed: install it to compare revisions, or give two design paths"}
	}
	top, err := git(dir, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, &EnvError{fmt.Sprintf("%s is not in a git repository: %v", s.Path, err)}
	}
	top = strings.TrimSpace(top)
	if _, err := git(top, "rev-parse", "--verify", "--quiet", "--end-of-options", s.Rev+"^{commit}"); err != nil {
		return nil, &EnvError{fmt.Sprintf("revision %q does not exist in %s", s.Rev, top)}
	}
	abs, err := filepath.Abs(s.Path)
	if err != nil {
		return nil, &EnvError{err.Error()}
	}
	realTop, _ := filepath.EvalSymlinks(top)
	realAbs := abs
	if r, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		realAbs = filepath.Join(r, filepath.Base(abs))
	}
	rel, err := filepath.Rel(realTop, realAbs)
	if err != nil || strings.HasPrefix(rel, "..") {
		return nil, &EnvError{fmt.Sprintf("%s is outside the repository %s", s.Path, top)}
	}
	rel = filepath.ToSlash(rel)
	if rel == "." {
		rel = ""
	}
	// Is it a tree or a blob in the revision?
	kind, err := git(top, "cat-file", "-t", s.Rev+":"+rel)
	if err != nil {
		return nil, &EnvError{fmt.Sprintf("%s does not exist in revision %s", s.Path, s.Rev)}
	}
	var names []string
	switch strings.TrimSpace(kind) {
	case "blob":
		names = []string{rel}
	case "tree":
		out, err := git(top, "ls-tree", "--name-only", "-z", s.Rev+":"+rel)
		if err != nil {
			return nil, &EnvError{err.Error()}
		}
		for _, n := range strings.Split(out, "\x00") {
			if n != "" && lang.IsDesignFile(n) {
				names = append(names, path.Join(rel, n))
			}
		}
	default:
		return nil, &EnvError{fmt.Sprintf("%s in revision %s is not a design", s.Path, s.Rev)}
	}
	if len(names) == 0 {
		return nil, &EnvError{fmt.Sprintf("%s in revision %s has no *%s or *%s files", s.Path, s.Rev, lang.SuffixHCL, lang.SuffixJSON)}
	}
	files := map[string][]byte{}
	for _, n := range names {
		src, err := gitBytes(top, "cat-file", "blob", s.Rev+":"+n)
		if err != nil {
			return nil, &EnvError{err.Error()}
		}
		if len(src) > lang.MaxFileSize {
			return nil, &EnvError{fmt.Sprintf("%s:%s is larger than %d bytes", s.Rev, n, lang.MaxFileSize)}
		}
		// Name the file by its path as the user wrote the design path.
		name := filepath.Join(s.Path, strings.TrimPrefix(strings.TrimPrefix(n, rel), "/"))
		if strings.TrimSpace(kind) == "blob" {
			name = s.Path
		}
		if !s.Plain {
			name = s.Rev + ":" + name
		}
		files[name] = src
	}
	return files, nil
}

func git(dir string, args ...string) (string, error) {
	b, err := gitBytes(dir, args...)
	return string(b), err
}

func gitBytes(dir string, args ...string) ([]byte, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return nil, errors.New("git " + strings.Join(args, " ") + ": " + msg)
	}
	return stdout.Bytes(), nil
}
