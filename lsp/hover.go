package lsp

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
)

func (s *Server) hover(params json.RawMessage) (any, *rpcError) {
	var p TextDocumentPositionParams
	ds, src, off, rerr := s.positionRequest(params, &p, &p)
	if rerr != nil || ds == nil {
		return nil, rerr
	}
	if addr, nameRange, ok := ds.index().at(src.name, off); ok {
		if md := ds.figures(addr); md != "" {
			r := src.text.rng(nameRange)
			return Hover{Contents: MarkupContent{Kind: "markdown", Value: md}, Range: &r}, nil
		}
	}
	if h := s.attributeHover(ds, src, off); h != nil {
		return h, nil
	}
	return nil, nil
}

// figures is the Markdown of a component's or flow's figures from the last
// analysis, "" when there are none.
func (ds *designState) figures(addr string) string {
	res := ds.goodResults
	if res == nil {
		return ""
	}
	stale := ds.report == nil
	var b strings.Builder
	if name, ok := strings.CutPrefix(addr, "flow."); ok {
		fr := res.Flows[name]
		if fr == nil {
			return ""
		}
		fmt.Fprintf(&b, "**flow %s** (%s, %s rps from %s)\n\n", name, fr.Op, num(fr.RPS), fr.Entry.Addr)
		fmt.Fprintf(&b, "| | |\n|---|---|\n")
		fmt.Fprintf(&b, "| availability | %s |\n", avail(fr.Availability))
		fmt.Fprintf(&b, "| latency mean | %s ms |\n", num(fr.LatencyMean))
		fmt.Fprintf(&b, "| latency p99 | %s ms |\n", num(fr.LatencyP99))
		var path []string
		for _, h := range fr.Hops {
			path = append(path, h.Component.Addr)
		}
		fmt.Fprintf(&b, "\npath: %s\n", strings.Join(path, " → "))
	} else {
		cr := res.Components[addr]
		if cr == nil {
			return ""
		}
		writeComponentFigures(&b, cr)
	}
	if stale {
		b.WriteString("\n_From the last version of the design that decoded: fix the errors to update._\n")
	}
	return b.String()
}

func writeComponentFigures(b *strings.Builder, cr *analyze.ComponentResult) {
	c, l := cr.Component, cr.Load
	fmt.Fprintf(b, "**%s** (nominal load)\n\n| | |\n|---|---|\n", c.Addr)
	fmt.Fprintf(b, "| load | %s rps (read %s, write %s) |\n", num(l.Total()), num(l.Read), num(l.Write))
	if c.Has("capacity_rps") && c.CapacityRPS > 0 {
		fmt.Fprintf(b, "| capacity | %s rps per instance |\n", num(c.CapacityRPS))
		fmt.Fprintf(b, "| utilization | %s (max %s) |\n", num(l.Utilization), num(c.MaxUtilization))
		// A database's instances come from its replication and shards,
		// and its reads and writes go to different ones: no single count.
		if c.MaxUtilization > 0 && c.Kind != lang.KindDatabase {
			needed := math.Ceil(l.Total()/(c.CapacityRPS*c.MaxUtilization) - 1e-9)
			if needed >= 0 && needed < 1e9 {
				fmt.Fprintf(b, "| instances needed | %d to stay at or under %s (⌈%s ÷ (%s × %s)⌉, load spread evenly) |\n",
					int(needed), num(c.MaxUtilization), num(l.Total()), num(c.CapacityRPS), num(c.MaxUtilization))
			}
		}
	} else {
		fmt.Fprintf(b, "| capacity | not declared (capacity_rps) |\n")
	}
	fmt.Fprintf(b, "| instances | %d placed, %d up |\n", len(c.Instances), l.Up)
	if kn := cr.KOfNText(); kn != "" {
		fmt.Fprintf(b, "| availability | %s (%s instances) |\n", avail(cr.Availability), kn)
	}
	if cr.LatencyMean > 0 || cr.LatencyP99 > 0 {
		fmt.Fprintf(b, "| latency | mean %s ms, p99 %s ms |\n", num(cr.LatencyMean), num(cr.LatencyP99))
	}
}

// num prints a figure with at most 4 significant digits.
func num(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "∞"
	case math.IsNaN(v):
		return "undefined"
	}
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	decimals := 3 - int(math.Floor(math.Log10(math.Abs(v))))
	out := strconv.FormatFloat(v, 'f', max(decimals, 0), 64)
	if strings.Contains(out, ".") {
		out = strings.TrimRight(strings.TrimRight(out, "0"), ".")
	}
	return out
}

// avail prints an availability with enough nines to tell it from 1.
func avail(a float64) string {
	if a >= 1 || a <= 0 {
		return num(a)
	}
	digits := int(math.Ceil(-math.Log10(1-a))) + 2
	return strconv.FormatFloat(a, 'f', min(max(digits, 3), 12), 64)
}
