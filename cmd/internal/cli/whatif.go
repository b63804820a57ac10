package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"time"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/archform/archform/rules"
	"github.com/archform/archform/simulate"
	"github.com/spf13/cobra"
)

// scenarioFlags are the flags whatif and simulate share.
type scenarioFlags struct {
	fails, scales, vars []string
	format              string
}

func (f *scenarioFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringArrayVar(&f.fails, "fail", nil, "fail zone:NAME, region:NAME, a component (KIND.NAME) or N of its instances (KIND.NAME=N) (repeatable)")
	fl.StringArrayVar(&f.scales, "scale", nil, "change a client's or a flow's traffic: client.NAME=2x, flow.NAME=+5000rps, =-200rps, =0.5x (repeatable)")
	fl.StringArrayVar(&f.vars, "var", nil, "set a design variable: --var name=value (repeatable)")
	fl.StringVar(&f.format, "format", "text", "output format: text or json")
}

// load reads the design and the scenario. Bad scenario input is a usage
// error (exit 3) with every problem listed.
func (f *scenarioFlags) load(cmd *cobra.Command, path string) (*lang.Design, *analyze.WhatIf, error) {
	if f.format != "text" && f.format != "json" {
		return nil, nil, Exit(ExitUsage, "--format %q: want text or json", f.format)
	}
	d, _, err := LoadDesign(cmd, path, f.vars, false)
	if err != nil {
		return nil, nil, err
	}
	w, err := analyze.ParseWhatIf(d, f.fails, f.scales)
	if err != nil {
		var se *analyze.ScenarioError
		if errors.As(err, &se) {
			for _, p := range se.Problems {
				fmt.Fprintln(cmd.ErrOrStderr(), "archform:", p)
			}
			return nil, nil, Exit(ExitUsage, "")
		}
		return nil, nil, Exit(ExitUsage, "%v", err)
	}
	return d, w, nil
}

func NewWhatIfCmd() *cobra.Command {
	var f scenarioFlags
	var config string
	cmd := &cobra.Command{
		Use:   "whatif PATH [--fail WHAT]... [--scale TARGET=AMOUNT]...",
		Short: "Analyse the design under a scenario: failures and traffic changes",
		Long: "whatif applies a scenario to the design and prints the analysis of it next to the\n" +
			"nominal one: each tier's load, instances up, utilization, headroom and the traffic\n" +
			"factor at which it reaches utilization 1 (the first to break is named); each flow's\n" +
			"availability, latency mean and p99 against its SLO; and the findings the scenario\n" +
			"causes. Rows the scenario changes are marked *, with the nominal figure in brackets.\n" +
			"Several --fail and --scale combine. See docs/whatif.md.\n" +
			"Exit codes: 0 every flow meets its SLO in the scenario, 1 a flow misses one (or fails),\n" +
			"2 the design is invalid, 3 bad scenario input or usage, 4 internal error.",
		Example: "  archform whatif testdata/shop --fail zone:a --scale client.web=2x\n" +
			"  archform whatif testdata/shop --fail cache.sessions --format json\n" +
			"  archform whatif testdata/shop --fail service.api=3 --scale flow.browse=+5000rps",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, w, err := f.load(cmd, args[0])
			if err != nil {
				return err
			}
			cfg, err := LoadConfig(cmd, args[0], config)
			if err != nil {
				return err
			}
			r := analyze.ComputeWhatIf(d, w)
			nominal, err := analyze.RunWithResults(d, rules.All, cfg, r.Nominal)
			if err != nil {
				return Exit(ExitInternal, "%v", err)
			}
			under, err := analyze.RunWithResults(r.Applied.Design, rules.All, cfg, r.Under)
			if err != nil {
				return Exit(ExitInternal, "%v", err)
			}
			r.Findings = analyze.NewFindings(nominal.Findings, under.Findings)
			var buf bytes.Buffer
			if f.format == "json" {
				err = analyze.WriteWhatIfJSON(&buf, r)
			} else {
				err = analyze.WriteWhatIfText(&buf, r)
			}
			if err != nil {
				return Exit(ExitInternal, "%v", err)
			}
			if _, err := cmd.OutOrStdout().Write(buf.Bytes()); err != nil {
				return StdoutError(err)
			}
			for _, fl := range r.Flows {
				for _, ok := range []*bool{fl.AvailabilityOK, fl.LatencyP99OK, fl.LatencyMeanOK} {
					if ok != nil && !*ok {
						return Exit(ExitFindings, "")
					}
				}
			}
			return nil
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&config, "config", "", "configuration file (default: .archform.hcl next to the design or above it)")
	return cmd
}

func NewSimulateCmd() *cobra.Command {
	var f scenarioFlags
	var opt simulate.Options
	var seed int64
	cmd := &cobra.Command{
		Use:   "simulate PATH [--fail WHAT]... [--scale TARGET=AMOUNT]... [--duration 60s] [--seed N]",
		Short: "Simulate the design (discrete events) and check the analysis against it",
		Long: "simulate runs a discrete-event simulation of the design under the scenario (same flags\n" +
			"as whatif): Poisson arrivals at the clients' rates, each instance a queue of servers at\n" +
			"its capacity and latency, calls, cache hits, timeouts and retries, load balancers by\n" +
			"algorithm, quorums. It runs independent replications (in parallel) and prints each\n" +
			"figure with its 95% confidence interval next to the analysis's, marking with ! an\n" +
			"analytic figure outside it. The same seed gives the same output. Progress goes to\n" +
			"standard error; Ctrl-C stops the run and prints what it has. See docs/whatif.md.",
		Example: "  archform simulate testdata/shop --duration 20s\n" +
			"  archform simulate testdata/shop --fail zone:a --scale client.web=0.6x --seed 7 --format json",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if opt.Duration <= 0 || opt.Replications < 2 || seed < 0 {
				return Exit(ExitUsage, "--duration must be positive, --replications at least 2 and --seed not negative")
			}
			d, w, err := f.load(cmd, args[0])
			if err != nil {
				return err
			}
			r := analyze.ComputeWhatIf(d, w)
			parent := cmd.Context()
			if parent == nil {
				parent = context.Background()
			}
			ctx, stop := signal.NotifyContext(parent, os.Interrupt)
			defer stop()
			opt.Seed = uint64(seed)
			opt.Progress = cmd.ErrOrStderr()
			rep := simulate.Run(ctx, r.Applied, opt)
			if ctx.Err() != nil {
				fmt.Fprintf(cmd.ErrOrStderr(), "archform: interrupted after %s: the figures are of what ran\n", rep.Elapsed.Round(time.Millisecond))
			}
			rows := simulate.Compare(rep, r)
			var buf bytes.Buffer
			if f.format == "json" {
				err = simulate.WriteJSON(&buf, w.Name(), rep, rows)
			} else {
				err = simulate.WriteText(&buf, w.Name(), rep, rows)
			}
			if err != nil {
				return Exit(ExitInternal, "%v", err)
			}
			if _, err := cmd.OutOrStdout().Write(buf.Bytes()); err != nil {
				return StdoutError(err)
			}
			return nil
		},
	}
	f.register(cmd)
	fl := cmd.Flags()
	fl.DurationVar(&opt.Duration, "duration", 60*time.Second, "simulated time each replication measures (after a warm-up)")
	fl.IntVar(&opt.Replications, "replications", 10, "independent replications (at least 2)")
	fl.Int64Var(&seed, "seed", 1, "random seed: the same seed gives the same figures")
	fl.IntVar(&opt.Workers, "workers", 0, "replications run at once (default: the CPUs Go uses); the figures do not depend on it")
	return cmd
}
