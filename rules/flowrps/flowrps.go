// Package flowrps is the rule that finds flows asking more traffic of their
// entry client than it sends.
package flowrps

import (
	_ "embed"
	"fmt"
	"strconv"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
)

//go:embed doc.md
var doc string

// Analyzer is the flow-rps rule.
var Analyzer = &analyze.Analyzer{
	ID:       "flow-rps",
	Summary:  "a flow's rps is more than its entry client sends of that operation",
	Problem:  analyze.Noun{One: "flow asking more than its client sends", Many: "flows asking more than their client sends"},
	Doc:      doc,
	Severity: analyze.Error,
	Run:      run,
}

func run(pass *analyze.Pass) error {
	for _, f := range pass.Design.Flows {
		c := f.Entry
		if c == nil || c.Kind != lang.KindClient || !f.Ranges.Has("rps") {
			continue
		}
		share, what := 1.0, "all"
		switch f.Op {
		case lang.OpRead:
			share, what = c.ReadRatio, "reads"
		case lang.OpWrite:
			share, what = 1-c.ReadRatio, "writes"
		}
		sends := c.RPS * share
		if f.RPS <= sends*(1+1e-9) {
			continue
		}
		formula := fmt.Sprintf("%s rps", num(c.RPS))
		if what != "all" {
			ratio := c.ReadRatio
			if what == "writes" {
				formula = fmt.Sprintf("%s rps × (1 − read_ratio %s)", num(c.RPS), num(ratio))
			} else {
				formula = fmt.Sprintf("%s rps × read_ratio %s", num(c.RPS), num(ratio))
			}
		}
		asked, sent := apart(f.RPS, sends)
		pass.Report(analyze.Finding{
			Subject: "flow." + f.Name,
			Range:   f.Range("rps"),
			Message: fmt.Sprintf("flow %q asks %s rps of %s, but %s sends %s = %s rps of %s", f.Name, asked, c.Addr, c.Addr, formula, sent, what),
			Detail:  "A flow is a share of its client's traffic: its rps cannot be more than the client sends of the flow's operation. Raise the client's rps (or read_ratio), or lower the flow's.",
			Related: []analyze.Related{{Message: c.Addr + "'s rps", Range: c.Range("rps")}},
			Data:    map[string]any{"flow_rps": f.RPS, "client_rps": sends},
		})
	}
	return nil
}

// num prints an input as written (shortest form that reads back the same).
func num(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// apart prints a > b with the fewest significant digits (at least 4) that
// keep the printed a above the printed b, so that the comparison the message
// states holds as printed.
func apart(a, b float64) (string, string) {
	for prec := 4; prec < 17; prec++ {
		sa, sb := strconv.FormatFloat(a, 'g', prec, 64), strconv.FormatFloat(b, 'g', prec, 64)
		fa, _ := strconv.ParseFloat(sa, 64)
		fb, _ := strconv.ParseFloat(sb, 64)
		if fa > fb {
			return sa, sb
		}
	}
	return num(a), num(b)
}
