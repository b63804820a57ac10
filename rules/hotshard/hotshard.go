// Package hotshard is the rule that checks the hottest shard of a sharded
// database: it takes shard_skew times the mean shard's load, and its
// instances must carry that, not the mean.
package hotshard

import (
	_ "embed"
	"fmt"
	"strconv"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/rules/internal/formula"
)

//go:embed doc.md
var doc string

// Analyzer is the hot-shard rule.
var Analyzer = &analyze.Analyzer{
	ID:       "hot-shard",
	Summary:  "the hottest shard (shard_skew × the mean shard's load) above max_utilization (warning) or at or above 1 (error)",
	Problem:  analyze.Noun{One: "hot shard", Many: "hot shards"},
	Doc:      doc,
	Severity: analyze.Warning,
	Run:      run,
}

// Hottest is the load of the hottest of shards shards that share total:
// skew × total ÷ shards. 40000 rps over 8 shards with skew 1.5 gives 7500 rps.
func Hottest(total float64, shards int, skew float64) float64 {
	if shards < 1 {
		shards = 1
	}
	return skew * total / float64(shards)
}

func run(pass *analyze.Pass) error {
	r := pass.Results()
	if r == nil || r.Nominal == nil {
		return nil
	}
	for _, c := range pass.Design.Components {
		l := r.Nominal.Load[c.Addr]
		if c.Shards < 2 || c.ShardSkew <= 1 || c.CapacityRPS <= 0 || l == nil || l.Total() <= 0 {
			continue
		}
		u := formula.Utilization(c, l)
		max := c.MaxUtilization
		var sev analyze.Severity
		var cmp string
		switch {
		case u.Value >= 1:
			sev, cmp = analyze.Error, "≥ 1"
		case u.Value > max:
			sev, cmp = analyze.Warning, "> "+formula.Num(max)
		default:
			continue
		}
		hot := Hottest(l.Total(), c.Shards, c.ShardSkew)
		even := u.Value / c.ShardSkew
		pass.Report(analyze.Finding{
			Severity: sev,
			Message: fmt.Sprintf("hottest shard (%s) = %s × %s / %d shards = %s; %s %s",
				keyText(c), formula.Num(c.ShardSkew), formula.Rate(l.Total()), c.Shards, formula.Rate(hot), u.Text, cmp),
			Detail:  detail(c, even, max),
			Subject: c.Addr,
			Key:     "hottest shard",
			Range:   c.Range("shard_skew"),
			Related: related(c),
			Data: map[string]any{
				"load_rps":         l.Total(),
				"shards":           c.Shards,
				"shard_skew":       c.ShardSkew,
				"shard_key":        c.ShardKey,
				"hottest_rps":      hot,
				"mean_rps":         l.Total() / float64(c.Shards),
				"capacity_rps":     c.CapacityRPS,
				"utilization":      u.Value,
				"even_utilization": even,
				"max_utilization":  max,
			},
		})
	}
	return nil
}

// keyText names the shard key: `shard_key "user_id"`, or says there is none.
func keyText(c *lang.Component) string {
	if c.ShardKey == "" {
		return "no shard_key declared"
	}
	return "shard_key " + strconv.Quote(c.ShardKey)
}

func related(c *lang.Component) []analyze.Related {
	var out []analyze.Related
	if c.Has("shard_key") {
		out = append(out, analyze.Related{Message: "the shard key", Range: c.Range("shard_key")})
	}
	if c.Has("shards") {
		out = append(out, analyze.Related{Message: "the shard count", Range: c.Range("shards")})
	}
	if c.Has("capacity_rps") {
		out = append(out, analyze.Related{Message: "capacity per instance", Range: c.Range("capacity_rps")})
	}
	return out
}

// detail says what an even key would give and what else fixes it.
func detail(c *lang.Component, even, max float64) string {
	s := fmt.Sprintf("The hottest shard takes %s times the mean shard's load; with an even key (shard_skew = 1) its utilization would be %s.",
		formula.Num(c.ShardSkew), formula.Ratio(even))
	if even <= max {
		s += " The skew alone puts it over its limit: choose a shard key with more distinct, evenly used values (hash it, or split hot keys with a suffix),"
	} else {
		s += " Even an even key would not bring it under " + formula.Num(max) + ":"
	}
	s += fmt.Sprintf(" raise shards (now %d), or raise capacity_rps or the shard's replicas.", c.Shards)
	return s
}
