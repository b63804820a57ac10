// Package graphviz lays out DOT with goccy/go-graphviz (Graphviz compiled to
// WebAssembly) and returns SVG.
//
// Importing this package is not free: go-graphviz compiles its WebAssembly
// module in a package init function, which every program that links it pays
// at start-up whether it draws or not. So only the small archform-graphviz
// program (and tests) import it; the archform command runs that program when
// it needs a layout (see render.ProgramLayout) and starts as fast as a plain Go
// program otherwise.
package graphviz

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"

	gv "github.com/goccy/go-graphviz"
)

// mu serialises every use of go-graphviz: its WebAssembly instance is one
// global module and is not safe from several goroutines.
var mu sync.Mutex

// SVG lays out a DOT graph with the dot engine and renders it as SVG.
func SVG(ctx context.Context, dot []byte) ([]byte, error) {
	mu.Lock()
	defer mu.Unlock()
	g, err := gv.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("graphviz: %w", err)
	}
	defer g.Close()
	graph, err := gv.ParseBytes(dot)
	if err != nil {
		return nil, fmt.Errorf("graphviz: reading DOT: %w", err)
	}
	if graph == nil {
		return nil, errors.New("graphviz: reading DOT: no graph")
	}
	defer graph.Close()
	var buf bytes.Buffer
	if err := g.Render(ctx, graph, gv.SVG, &buf); err != nil {
		return nil, fmt.Errorf("graphviz: layout: %w", err)
	}
	return buf.Bytes(), nil
}

// Structure reads a DOT graph with Graphviz's own parser and returns its
// nodes' names and its edges' count: what a test compares to the design
// the graph was drawn from (no node or edge injected through a string).
func Structure(ctx context.Context, dot []byte) (nodes []string, edges int, err error) {
	mu.Lock()
	defer mu.Unlock()
	g, err := gv.New(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("graphviz: %w", err)
	}
	defer g.Close()
	graph, err := gv.ParseBytes(dot)
	if err != nil {
		return nil, 0, fmt.Errorf("graphviz: reading DOT: %w", err)
	}
	if graph == nil {
		return nil, 0, errors.New("graphviz: reading DOT: no graph")
	}
	defer graph.Close()
	for n, err := graph.FirstNode(); n != nil && err == nil; n, err = graph.NextNode(n) {
		name, err := n.Name()
		if err != nil {
			return nil, 0, err
		}
		nodes = append(nodes, name)
		for e, err := graph.FirstOut(n); e != nil && err == nil; e, err = graph.NextOut(e) {
			edges++
		}
	}
	return nodes, edges, nil
}
