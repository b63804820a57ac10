package simulate

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
)

// WriteText writes the simulation's figures next to the analysis's: one
// row per figure, "!" where the analytic value lies outside the
// simulation's 95% interval (widened by the stated tolerance).
func WriteText(w io.Writer, scenario string, rep *Report, rows []Row) error {
	var b strings.Builder
	fmt.Fprintf(&b, "scenario: %s\n", scenario)
	fmt.Fprintf(&b, "simulated: %d replications of %s (after a warm-up), seed %d, %s requests\n",
		rep.Done+len(rep.Stopped), rep.Options.Duration, rep.Options.Seed, count(rep.Requests))
	for _, s := range rep.Stopped {
		fmt.Fprintf(&b, "note: a replication stopped early: %s\n", s)
	}
	b.WriteString("(simulated: mean ± half-width of the 95% interval; ! marks an analytic figure outside it)\n\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  subject\tfigure\tsimulated\tanalytic\tnote")
	for _, r := range summaryRows(rows) {
		mark := " "
		if !r.Agrees {
			mark = "!"
		}
		sim := ciText(r.Sim, r.Figure)
		an := "-"
		if !math.IsNaN(r.Analytic) {
			an = figText(r.Analytic, r.Figure)
		}
		note := r.Why
		switch {
		case !r.Measured || math.IsNaN(r.Analytic):
		case !r.Agrees:
			note = "outside the interval" + strings.TrimPrefix(" ("+r.Why+")", " ()")
		case !r.Sim.Contains(r.Analytic, tolStatic):
			note = fmt.Sprintf("within the stated ±%g%%: %s", r.Tolerance*100, r.Why)
		default:
			note = ""
		}
		fmt.Fprintf(tw, "%s %s\t%s\t%s\t%s\t%s\n", mark, r.Subject, r.Figure, sim, an, note)
	}
	tw.Flush()
	_, err := io.WriteString(w, b.String())
	return err
}

// summaryRows keeps, of each tier's instance utilizations, the busiest
// instance's row and every row that disagrees (a tier of 200 instances is
// one line unless one of them is off).
func summaryRows(rows []Row) []Row {
	var out []Row
	hottest := map[string]int{}
	for i, r := range rows {
		if !strings.HasPrefix(r.Figure, "instance ") {
			continue
		}
		if j, ok := hottest[r.Subject]; !ok || r.Sim.Mean > rows[j].Sim.Mean {
			hottest[r.Subject] = i
		}
	}
	for i, r := range rows {
		if strings.HasPrefix(r.Figure, "instance ") && hottest[r.Subject] != i && r.Agrees {
			continue
		}
		out = append(out, r)
	}
	return out
}

func count(n int64) string {
	switch {
	case n >= 1e6:
		return fmt.Sprintf("%.1fM", float64(n)/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.0fk", float64(n)/1e3)
	}
	return strconv.FormatInt(n, 10)
}

// figText prints a figure: latencies (ms) with 2 decimals, loads with 0,
// ratios with 4.
func figText(v float64, figure string) string {
	if math.IsInf(v, 1) {
		return "inf"
	}
	prec := 4
	switch {
	case strings.HasPrefix(figure, "latency"):
		prec = 2
	case figure == "load_rps":
		prec = 0
	case figure == "tries_per_call":
		prec = 4
	}
	return strconv.FormatFloat(v, 'f', prec, 64)
}

func ciText(c CI, figure string) string {
	if math.IsNaN(c.Mean) {
		return "-"
	}
	if math.IsNaN(c.Half) {
		return figText(c.Mean, figure)
	}
	return figText(c.Mean, figure) + " ± " + figText(c.Half, figure)
}

// The JSON objects of `archform simulate --format json`.
type (
	simJSON struct {
		Duration     string       `json:"duration"`
		Figures      []figureJSON `json:"figures"`
		Replications int          `json:"replications"`
		Requests     int64        `json:"requests"`
		Scenario     string       `json:"scenario"`
		Seed         uint64       `json:"seed"`
		Stopped      []string     `json:"stopped"`
		Version      int          `json:"version"`
	}
	figureJSON struct {
		Agrees    bool   `json:"agrees"`
		Analytic  any    `json:"analytic"`
		Figure    string `json:"figure"`
		Half      any    `json:"half_width"`
		Measured  bool   `json:"measured"`
		Mean      any    `json:"mean"`
		Note      string `json:"note,omitempty"`
		Subject   string `json:"subject"`
		Tolerance any    `json:"tolerance"`
	}
)

func finite(v float64) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
	return r
}

// WriteJSON writes every row (each instance's too) for tools. Latencies
// are in milliseconds; a figure that is not known is null.
func WriteJSON(w io.Writer, scenario string, rep *Report, rows []Row) error {
	out := simJSON{Version: 1, Scenario: scenario, Duration: rep.Options.Duration.String(), Seed: rep.Options.Seed,
		Replications: rep.Done + len(rep.Stopped), Requests: rep.Requests, Stopped: append([]string{}, rep.Stopped...),
		Figures: []figureJSON{}}
	for _, r := range rows {
		out.Figures = append(out.Figures, figureJSON{Subject: r.Subject, Figure: r.Figure, Mean: finite(r.Sim.Mean),
			Half: finite(r.Sim.Half), Analytic: finite(r.Analytic), Tolerance: finite(r.Tolerance), Measured: r.Measured,
			Agrees: r.Agrees, Note: r.Why})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
