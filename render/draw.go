package render

import (
	"bytes"
	"context"
	"fmt"
	"io"
)

// PNGScale is the PNG's pixels per SVG point (about 108 dpi).
const PNGScale = 1.5

// SVG writes the diagram as SVG: the DOT of DOT, laid out by layout (the
// archform-graphviz program in the CLI: see ProgramLayout).
func SVG(ctx context.Context, w io.Writer, in Input, opts Options, layout Layout) error {
	svg, err := svgBytes(ctx, in, opts, layout)
	if err != nil {
		return err
	}
	_, err = w.Write(svg)
	return err
}

func svgBytes(ctx context.Context, in Input, opts Options, layout Layout) ([]byte, error) {
	var dot bytes.Buffer
	if err := DOT(&dot, in, opts); err != nil {
		return nil, err
	}
	if layout == nil {
		return nil, fmt.Errorf("render: no layout engine")
	}
	return layout(ctx, dot.Bytes())
}

// Draw writes the diagram in one of the formats.
func Draw(ctx context.Context, w io.Writer, f Format, in Input, opts Options, layout Layout) error {
	switch f {
	case FormatDOT:
		return DOT(w, in, opts)
	case FormatMermaid:
		return Mermaid(w, in, opts)
	case FormatSVG:
		return SVG(ctx, w, in, opts, layout)
	case FormatPNG:
		svg, err := svgBytes(ctx, in, opts, layout)
		if err != nil {
			return err
		}
		return PNG(w, svg, PNGScale)
	}
	return fmt.Errorf("render: unknown format %q", f)
}
