// Package format formats archform design files in the canonical HCL style,
// as go/format does Go source. It is apart from package lang because it
// links hclwrite (and, through it, go-cmp), whose package initialisation
// every program importing lang would otherwise pay at start, lint included.
package format

import (
	"strings"

	"github.com/archform/archform/lang"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// Source returns src in the canonical HCL style (hclwrite.Format: aligned
// equals signs, two-space indentation, normalised spacing). It refuses, with
// the parser's diagnostics, a file that does not parse, so that a formatter
// never rewrites what it does not understand. JSON files (*.json) are
// returned unchanged once they parse. Formatting is a fixed point:
// Source(Source(x)) == Source(x).
func Source(src []byte, filename string) ([]byte, hcl.Diagnostics) {
	f, diags := lang.ParseFile(src, filename)
	if diags.HasErrors() || f == nil {
		return nil, diags
	}
	if strings.HasSuffix(filename, ".json") {
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
