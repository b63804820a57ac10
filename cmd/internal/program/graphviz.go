package program

// The Graphviz helper, archform-graphviz: what it is built from, and the key
// of that content, which it prints for -protocol and checks against the one
// archform passes. A helper built from other sources (an older install on
// PATH or next to archform) has another key and is not used: it can never
// be stale. TestGraphvizKey recomputes the key from the source tree and
// fails, giving the new value, when these sources change.
var (
	GraphvizSources = []string{"cmd/archform-graphviz", "render/graphviz"}
	GraphvizModules = []string{"github.com/goccy/go-graphviz", "github.com/tetratelabs/wazero"}
)

// GraphvizKey is ContentKey(GraphvizSources, GraphvizModules).
const GraphvizKey = "e79ff66a75fd2096"

// GraphvizProtocol is what archform-graphviz -protocol prints.
const GraphvizProtocol = "archform-graphviz " + GraphvizKey
