package simulate

import (
	"context"
	"fmt"
	"io"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/archform/archform/analyze"
)

// Options of a simulation.
type Options struct {
	// Duration is the simulated time each replication measures (after its
	// warm-up of a tenth of it).
	Duration time.Duration
	// Replications are independent runs (at least 2 for an interval).
	Replications int
	Seed         uint64
	// Workers run replications in parallel (0: GOMAXPROCS). The result
	// does not depend on it.
	Workers int
	// Progress, when set, receives a line a second while the run lasts
	// longer than a second.
	Progress io.Writer
}

// Report is what a simulation measured.
type Report struct {
	Options  Options
	Requests int64 // simulated client requests, warm-up included
	Elapsed  time.Duration
	// Window is the measured time of one replication (seconds).
	Window float64
	// Done counts the replications that ran to their end; Stopped says why
	// the others stopped early ("interrupted", or an unbounded queue).
	Done    int
	Stopped []string
	Tiers   []TierStats
	Flows   []FlowStats
	Calls   []CallStats
}

// TierStats are a component's measured figures.
type TierStats struct {
	Addr string
	// Utilization of each live instance (in Applied.Design's instance
	// order) and of the busiest (the highest mean).
	Instances   []CI
	Utilization CI
	Hottest     int
	// Visits is the rate of visits (rps).
	Visits CI
	// Sojourn is the mean time (ms) from a visit's arrival to the end of
	// its service (its queue and its own work, not its calls).
	Sojourn CI
	Queued  bool
}

// FlowStats are a flow's measured figures: latencies in milliseconds of the
// requests not failed by a tier that is down.
type FlowStats struct {
	Name        string
	Mean, P99   CI
	TimeoutLoss CI // share of requests failed because a call ran out of tries
	Success     CI // share of requests that succeeded
	Requests    uint64
}

// CallStats are the tries per call of a call with a timeout or retries.
type CallStats struct {
	From, To string
	Index    int
	Tries    CI
	Samples  float64 // calls per replication
}

// Run simulates the design under a scenario. It stops early, returning
// what it measured, when ctx is cancelled.
func Run(ctx context.Context, a *analyze.Applied, opt Options) *Report {
	if opt.Replications < 1 {
		opt.Replications = 10
	}
	if opt.Duration <= 0 {
		opt.Duration = 60 * time.Second
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, opt.Replications)
	measure := opt.Duration.Seconds()
	// The warm-up: a tenth of the run, and at least 20 times the slowest
	// component's latency (up to 10 s; a slower one is not in its steady
	// state within any run this short, and its figures are marked so).
	slowest := 0.0
	for _, c := range a.Design.Components {
		if l := c.Latency.Seconds(); l <= 10 {
			slowest = math.Max(slowest, l)
		}
	}
	warm := math.Max(measure/10, math.Min(20*slowest, measure))
	drain := math.Max(measure, 20*slowest)
	var requests atomic.Int64
	var simulated atomic.Int64 // replications done, in thousandths
	start := time.Now()
	stopProgress := make(chan struct{})
	var progressDone sync.WaitGroup
	if opt.Progress != nil {
		progressDone.Add(1)
		go func() {
			defer progressDone.Done()
			tick := time.NewTicker(time.Second)
			defer tick.Stop()
			for {
				select {
				case <-stopProgress:
					return
				case <-tick.C:
					fmt.Fprintf(opt.Progress, "simulate: %d of %d replications done, %.1fM requests, %.0fs\n",
						simulated.Load()/1000, opt.Replications, float64(requests.Load())/1e6, time.Since(start).Seconds())
				}
			}
		}()
	}
	reps := make([]*engine, opt.Replications)
	var wg sync.WaitGroup
	jobs := make(chan int)
	stop := func() bool { return ctx.Err() != nil }
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range jobs {
				e := newEngine(compile(a), opt.Seed, r, warm, warm+measure, drain, &requests)
				e.run(stop)
				reps[r] = e
				simulated.Add(1000)
			}
		}()
	}
	for r := range opt.Replications {
		if ctx.Err() != nil {
			break
		}
		jobs <- r
	}
	close(jobs)
	wg.Wait()
	close(stopProgress)
	progressDone.Wait()
	rep := &Report{Options: opt, Requests: requests.Load(), Elapsed: time.Since(start)}
	var done []*engine
	for _, e := range reps {
		if e == nil {
			continue
		}
		if e.stopped != "" {
			rep.Stopped = append(rep.Stopped, e.stopped)
		}
		if e.stats.window > 0 {
			done = append(done, e)
		}
		if e.stopped == "" {
			rep.Done++
		}
	}
	rep.Window = measure
	rep.summarize(compile(a), done)
	return rep
}

func (rep *Report) summarize(m *model, reps []*engine) {
	for ci, c := range m.comps {
		t := TierStats{Addr: c.addr, Queued: len(c.stations) > 0 && c.queued}
		visits := make([]float64, len(reps))
		for r, e := range reps {
			visits[r] = float64(e.stats.visits[ci]) / e.stats.window
		}
		t.Visits = ciOf(visits)
		soj := make([]float64, len(reps))
		for r, e := range reps {
			soj[r] = math.NaN()
			if n := e.stats.served[ci]; n > 0 {
				soj[r] = e.stats.sojourn[ci] / float64(n) * 1000
			}
		}
		t.Sojourn = ciOf(soj)
		if t.Queued {
			best := -1.0
			for in := range c.nInst {
				xs := make([]float64, len(reps))
				for r, e := range reps {
					xs[r] = e.stats.util[ci][in]
				}
				x := ciOf(xs)
				t.Instances = append(t.Instances, x)
				if x.Mean > best {
					best, t.Hottest, t.Utilization = x.Mean, in, x
				}
			}
		}
		rep.Tiers = append(rep.Tiers, t)
	}
	for fi, f := range m.flows {
		fs := FlowStats{Name: f.name}
		mean, p99, loss, ok := make([]float64, len(reps)), make([]float64, len(reps)), make([]float64, len(reps)), make([]float64, len(reps))
		for r, e := range reps {
			s := e.stats.flows[fi]
			fs.Requests += s.requests
			mean[r], p99[r] = s.hist.mean()*1000, s.hist.quantile(0.99)*1000
			loss[r], ok[r] = math.NaN(), math.NaN()
			if s.requests > 0 {
				loss[r] = float64(s.timeouts) / float64(s.requests)
				ok[r] = float64(s.requests-s.timeouts-s.downFails) / float64(s.requests)
			}
		}
		fs.Mean, fs.P99, fs.TimeoutLoss, fs.Success = ciOf(mean), ciOf(p99), ciOf(loss), ciOf(ok)
		rep.Flows = append(rep.Flows, fs)
	}
	for k, c := range m.calls {
		xs := make([]float64, len(reps))
		samples := 0.0
		for r, e := range reps {
			xs[r] = math.NaN()
			if n := e.stats.calls[k]; n > 0 {
				xs[r] = float64(e.stats.tries[k]) / float64(n)
				samples += float64(n) / float64(len(reps))
			}
		}
		rep.Calls = append(rep.Calls, CallStats{From: c.from, To: c.to, Index: c.index, Tries: ciOf(xs), Samples: samples})
	}
}
