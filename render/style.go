package render

import "github.com/archform/archform/lang"

// The visual language, shared by every format.
//
// Shapes: one per kind (see kindShapes). Nodes are white; an overloaded node
// is filled orange; a single point of failure has a thick red border; a node
// on a highlighted flow's path has a thick blue border and everything off the
// path is greyed. Edges: solid = sync call, dashed = async call, dotted grey =
// soft call (required = false), dash-dot = a cache's origin (its misses),
// bold = a queue consumer; red = a consistency conflict on that edge.
const (
	colInk        = "#263238" // lines and text
	colSoft       = "#90a4ae" // soft calls
	colDim        = "#cfd8dc" // off the highlighted flow
	colDimText    = "#90a4ae"
	colNodeFill   = "#ffffff"
	colExternal   = "#eceff1"
	colClient     = "#e3f2fd"
	colSPOF       = "#d32f2f"
	colOverloaded = "#ffb74d"
	// colScenarioOver fills a tier at utilization 1 or more in a what-if
	// scenario (render --scenario).
	colScenarioOver = "#e57373"
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

// shapeNames describes each shape for the legend.
var shapeNames = map[lang.Kind]string{
	lang.KindClient:       "oval",
	lang.KindCDN:          "octagon",
	lang.KindLoadBalancer: "funnel",
	lang.KindGateway:      "hexagon",
	lang.KindService:      "rounded box",
	lang.KindCache:        "3-D box",
	lang.KindDatabase:     "cylinder",
	lang.KindQueue:        "arrow (pipe)",
	lang.KindStorage:      "folder",
	lang.KindSearch:       "tab",
	lang.KindExternal:     "dashed box",
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
