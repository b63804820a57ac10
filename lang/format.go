package lang

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// Format returns src in the canonical HCL style (hclwrite.Format: aligned
// equals signs, two-space indentation, normalised spacing). It refuses, with
// the parser's diagnostics, a file that does not parse, so that a formatter
// never rewrites what it does not understand. JSON files (*.json) are
// returned unchanged once they parse. Formatting is a fixed point:
// Format(Format(x)) == Format(x).
func Format(src []byte, filename string) ([]byte, hcl.Diagnostics) {
	f, diags := ParseFile(src, filename)
	if diags.HasErrors() || f == nil {
		return nil, diags
	}
	if isJSONName(filename) {
		return src, diags
	}
	// hclwrite.Format settles in one pass on ordinary files; a second pass
	// guards the fixed-point promise on unusual spacing.
	out := hclwrite.Format(src)
	for range 2 {
		again := hclwrite.Format(out)
		if string(again) == string(out) {
			break
		}
		out = again
	}
	return out, diags
}
