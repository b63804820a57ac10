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

// readFile reads a design file, refusing one too large before reading it.
func readFile(name string) ([]byte, hcl.Diagnostics) {
	whole := hcl.Range{Filename: name, Start: hcl.InitialPos, End: hcl.InitialPos}
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
	parsed, diags := parseFiles(names, files)
	d, more := decode(names, parsed, opts)
	diags = append(diags, more...)
	sortDiagnostics(diags, names)
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
