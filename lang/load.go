package lang

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/json"
)

// Options are the caller's settings for Load.
type Options struct {
	// Vars are `--var name=value` overrides, as written on the command line.
	// A value is read as an HCL expression ("3", "[\"a\", \"b\"]", "true");
	// when it is not one, it is taken as a plain string (us-east).
	Vars map[string]string
	// Cache, when set, keeps component blocks' decodes from one decode of
	// a design to the next (DecodeFiles only; see DecodeCache).
	Cache *DecodeCache
	// DropSyntax leaves the syntax of native-syntax files out of the
	// design (Load and LoadFiles only, without Cache): Design.Files holds
	// each such file's bytes and its Outline (as Nav), not its Body, and a
	// large file's syntax is never held whole (see nosyntax.go). For
	// commands that need the syntax no more once the design is decoded.
	DropSyntax bool
}

// Design file name suffixes.
const (
	SuffixHCL  = ".arch.hcl"
	SuffixJSON = ".arch.json"
)

// IsDesignFile reports whether a file name is a design file of a directory.
func IsDesignFile(name string) bool {
	return strings.HasSuffix(name, SuffixHCL) || strings.HasSuffix(name, SuffixJSON)
}

// Load reads a design from a directory (every *.arch.hcl and *.arch.json file
// directly in it, in lexical order) or a single file, decodes it and returns
// the typed design with every diagnostic found, in source order. The design is
// nil only when nothing could be decoded; callers must check diags.HasErrors().
func Load(path string, opts Options) (*Design, hcl.Diagnostics) {
	names, diags := DesignFiles(path)
	if diags.HasErrors() {
		return nil, diags
	}
	files := make(map[string][]byte, len(names))
	for _, name := range names {
		src, d := readFile(name)
		diags = append(diags, d...)
		if src != nil {
			files[name] = src
		}
	}
	if diags.HasErrors() {
		return nil, diags
	}
	d, more := LoadFiles(files, opts)
	if d != nil {
		d.Dir = path
	}
	return d, append(diags, more...)
}

// DesignFiles lists the design files Load reads for path: the *.arch.hcl and
// *.arch.json files directly in a directory, in lexical order, or the file
// itself. A directory without design files is an error.
func DesignFiles(path string) ([]string, hcl.Diagnostics) {
	whole := hcl.Range{Filename: path, Start: hcl.InitialPos, End: hcl.InitialPos}
	info, err := os.Stat(path)
	if err != nil {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Cannot read design",
			Detail:   errDetail(err),
			Subject:  &whole,
		}}
	}
	if !info.IsDir() {
		return []string{path}, nil
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Cannot read design directory",
			Detail:   errDetail(err),
			Subject:  &whole,
		}}
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() || !IsDesignFile(e.Name()) {
			continue
		}
		names = append(names, filepath.Join(path, e.Name()))
	}
	sort.Strings(names)
	if len(names) == 0 {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "No design files",
			Detail:   fmt.Sprintf("The directory %s has no *%s or *%s files. A design is the set of those files directly in one directory (sub-directories are not read).", path, SuffixHCL, SuffixJSON),
			Subject:  &whole,
		}}
	}
	return names, nil
}

func errDetail(err error) string {
	if pe, ok := err.(*os.PathError); ok {
		return fmt.Sprintf("%s: %s.", pe.Path, pe.Err)
	}
	return err.Error() + "."
}

// ReadInput reads a file the user gave archform to read (a design, a
// Compose file or manifest to import, a configuration): a regular file of at
// most limit bytes. A larger one is refused before it is read, and a FIFO, a
// socket or a device is refused unopened. Its errors do not name the file:
// callers do (a FIFO no one writes would block
// forever, /dev/zero never ends).
func ReadInput(name string, limit int64) ([]byte, error) {
	if fi, err := os.Stat(name); err == nil && !fi.Mode().IsRegular() && !fi.IsDir() {
		return nil, fmt.Errorf("not a regular file but %s (archform reads only regular files)", specialKind(fi.Mode()))
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Size() > limit {
		return nil, fmt.Errorf("too large: %s, more than the %s archform reads", sizeString(fi.Size()), sizeString(limit))
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("too large: more than the %s archform reads", sizeString(limit))
	}
	return data, nil
}

// MaxYAMLDepth is the deepest nesting of brackets and braces accepted in a
// YAML or JSON file that archform reads (import, drift), checked before the
// parser sees it: a flow sequence nested 10,000 deep in 20 KB takes a YAML
// parser minutes and hundreds of MB.
const MaxYAMLDepth = 200

// CheckYAMLDepth refuses YAML or JSON nested deeper than MaxYAMLDepth
// brackets and braces, with the line where it goes past. Brackets in
// strings count too: a file needs 200 of them open at once to be refused.
func CheckYAMLDepth(src []byte) error {
	depth, line := 0, 1
	for _, c := range src {
		switch c {
		case '[', '{':
			depth++
			if depth > MaxYAMLDepth {
				return fmt.Errorf("line %d: nested deeper than %d levels of brackets and braces, which archform refuses before parsing", line, MaxYAMLDepth)
			}
		case ']', '}':
			if depth > 0 {
				depth--
			}
		case '\n':
			line++
		}
	}
	return nil
}

func specialKind(m os.FileMode) string {
	switch {
	case m&os.ModeNamedPipe != 0:
		return "a FIFO"
	case m&os.ModeSocket != 0:
		return "a socket"
	case m&os.ModeDevice != 0, m&os.ModeCharDevice != 0:
		return "a device"
	}
	return "not a regular file"
}

func sizeString(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }

// readFile reads a design file, refusing one too large before reading it.
func readFile(name string) ([]byte, hcl.Diagnostics) {
	whole := hcl.Range{Filename: name, Start: hcl.InitialPos, End: hcl.InitialPos}
	if fi, err := os.Stat(name); err == nil && !fi.Mode().IsRegular() && !fi.IsDir() {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read design file",
			Detail: fmt.Sprintf("%s is %s: archform reads only regular files.", name, specialKind(fi.Mode())), Subject: &whole}}
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read design file", Detail: errDetail(err), Subject: &whole}}
	}
	defer f.Close()
	if info, err := f.Stat(); err == nil && info.Size() > MaxFileSize {
		return nil, hcl.Diagnostics{fileTooLarge(name, info.Size())}
	}
	src, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read design file", Detail: errDetail(err), Subject: &whole}}
	}
	if src == nil {
		src = []byte{}
	}
	return src, nil
}

// LoadFiles decodes a design from in-memory files (filename -> bytes), as
// Load does after reading them. Tests and the fuzzer use it. Files whose name
// ends in .json are read as HCL's JSON syntax, every other as native syntax.
func LoadFiles(files map[string][]byte, opts Options) (*Design, hcl.Diagnostics) {
	names := sortedKeys(files)
	if opts.DropSyntax && opts.Cache == nil {
		if d, diags, ok := loadWithoutSyntax(names, files, opts, defaultSizes); ok {
			sortDiagnostics(diags, names)
			return d, diags
		}
	}
	parsed, diags := parseFiles(names, files)
	d, more := decode(names, parsed, opts)
	diags = append(diags, more...)
	sortDiagnostics(diags, names)
	if opts.DropSyntax && d != nil {
		d.DropSyntax()
	}
	return d, diags
}

// DecodeFiles decodes a design from files already parsed with ParseFile, as
// LoadFiles does after parsing them: a caller that keeps files parsed (the
// language server, which parses only what changed) decodes without parsing
// again. names are the filenames in lexical order, files their parsed
// content (nil for a file that could not be parsed). The diagnostics are the
// decoder's only, in source order.
func DecodeFiles(names []string, files []*hcl.File, opts Options) (*Design, hcl.Diagnostics) {
	d, diags := decode(names, files, opts)
	sortDiagnostics(diags, names)
	return d, diags
}

// ParseFile parses one design file's bytes after the safety checks Load
// applies (size, encoding, nesting). The file is nil when it could not be
// parsed at all.
func ParseFile(src []byte, filename string) (*hcl.File, hcl.Diagnostics) {
	isJSON := isJSONName(filename)
	if diags := checkSource(src, filename, isJSON); diags.HasErrors() {
		return nil, diags
	}
	if isJSON {
		return json.Parse(src, filename)
	}
	if len(src) >= piecesFrom {
		return parseNative(src, filename, pieceSize) // pieces.go
	}
	return hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
}

type parseResult struct {
	file  *hcl.File
	diags hcl.Diagnostics
}

// parseFiles parses the files in parallel; results keep the order of names.
func parseFiles(names []string, files map[string][]byte) ([]*hcl.File, hcl.Diagnostics) {
	results := make([]parseResult, len(names))
	workers := min(runtime.GOMAXPROCS(0), len(names))
	if workers <= 1 {
		for i, name := range names {
			f, d := ParseFile(files[name], name)
			results[i] = parseResult{f, d}
		}
	} else {
		var wg sync.WaitGroup
		next := make(chan int)
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					f, d := ParseFile(files[names[i]], names[i])
					results[i] = parseResult{f, d}
				}
			}()
		}
		for i := range names {
			next <- i
		}
		close(next)
		wg.Wait()
	}
	out := make([]*hcl.File, len(names))
	var diags hcl.Diagnostics
	for i, r := range results {
		out[i] = r.file
		diags = append(diags, r.diags...)
	}
	return out, diags
}

// sortDiagnostics orders diagnostics by file (in the order of names) and
// position, keeping the order of those at the same place.
func sortDiagnostics(diags hcl.Diagnostics, names []string) {
	fileIndex := make(map[string]int, len(names))
	for i, n := range names {
		fileIndex[n] = i
	}
	key := func(d *hcl.Diagnostic) (int, int) {
		if d.Subject == nil {
			return -1, 0
		}
		fi, ok := fileIndex[d.Subject.Filename]
		if !ok {
			fi = len(names)
		}
		return fi, d.Subject.Start.Byte
	}
	sort.SliceStable(diags, func(i, j int) bool {
		fi, bi := key(diags[i])
		fj, bj := key(diags[j])
		if fi != fj {
			return fi < fj
		}
		return bi < bj
	})
}

// isJSONName reports whether a file is read as HCL's JSON syntax.
func isJSONName(filename string) bool { return strings.HasSuffix(filename, ".json") }
