package lang

import "github.com/hashicorp/hcl/v2"

// Options are the caller's settings for Load.
type Options struct {
	// Vars are `--var name=value` overrides, as written on the command line.
	Vars map[string]string
}

// Load reads a design from a directory (every *.arch.hcl and *.arch.json file
// directly in it, in lexical order) or a single file, decodes it and returns
// the typed design with every diagnostic found, in source order. The design is
// nil only when nothing could be decoded; callers must check diags.HasErrors().
func Load(path string, opts Options) (*Design, hcl.Diagnostics) {
	panic("lang.Load: not built yet")
}

// LoadFiles decodes a design from in-memory files (filename -> bytes), as
// Load does after reading them. Tests and the fuzzer use it.
func LoadFiles(files map[string][]byte, opts Options) (*Design, hcl.Diagnostics) {
	panic("lang.LoadFiles: not built yet")
}
