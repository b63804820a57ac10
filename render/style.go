package render

import "github.com/archform/archform/lang"

// The visual language, shared by every format.
//
// Shapes: one per kind (see kindShapes). Nodes are white; a tier's fill says
// how loaded it is, one colour for each: yellow above its max_utilization
// target (a warning), red at utilization 1 or more (over capacity, an error),
// orange over capacity only after a failure; a single point of failure has a
// thick red border; a node
// on a highlighted flow's path has a thick blue border and everything off the
// path is greyed. Edges: solid = sync call, dashed = async call, dotted grey =
// soft call (required = false), dash-dot = a cache's origin (its misses),
// bold = a queue consumer; red = a consistency conflict on that edge.
const (
	colInk      = "#263238" // lines and text
	colSoft     = "#90a4ae" // soft calls
	colDim      = "#cfd8dc" // off the highlighted flow
	colDimText  = "#90a4ae"
	colNodeFill = "#ffffff"
	colExternal = "#eceff1"
	colClient   = "#e3f2fd"
	colSPOF     = "#d32f2f"
	// colAboveTarget fills a tier above its max_utilization target but
	// below 1 (capacity, warning).
	colAboveTarget = "#ffe082"
	// colOverCapacity fills a tier at utilization 1 or more: capacity's
	// error, or a tier over capacity in the what-if scenario drawn.
	colOverCapacity = "#e57373"
	// colAfterFailure fills a tier that would be over capacity after a
	// failure (zone-failure-capacity, cache-failure-capacity).
	colAfterFailure = "#ffb74d"
	colConflict     = "#c62828"
	colFlow         = "#1565c0"
	colCluster      = "#78909c"
	colZoneFill     = "#f5f7f8"
)

// kindShape is the Graphviz shape and extra style of a kind.
type kindShape struct {
	shape string
	style string // added to "filled"
	// mermaid opening and closing brackets
	mOpen, mClose string
}

var kindShapes = map[lang.Kind]kindShape{
	lang.KindClient:       {"oval", "", "([", "])"},
	lang.KindCDN:          {"octagon", "", "{{", "}}"},
	lang.KindLoadBalancer: {"invtrapezium", "", "[/", "\\]"},
	lang.KindGateway:      {"hexagon", "", "{{", "}}"},
	lang.KindService:      {"box", "rounded", "(", ")"},
	lang.KindCache:        {"box3d", "", "[[", "]]"},
	lang.KindDatabase:     {"cylinder", "", "[(", ")]"},
	lang.KindQueue:        {"cds", "", ">", "]"},
	lang.KindStorage:      {"folder", "", "[/", "/]"},
	lang.KindSearch:       {"tab", "", "[\\", "\\]"},
	lang.KindExternal:     {"box", "dashed", "[", "]"},
}

func fillOf(c *lang.Component) string {
	switch c.Kind {
	case lang.KindExternal:
		return colExternal
	case lang.KindClient:
		return colClient
	}
	return colNodeFill
}
