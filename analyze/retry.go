package analyze

import (
	"math"

	"github.com/archform/archform/lang"
)

// Retries and timeouts as load (model v2). A call with `timeout` t and
// `retries` r sends each try to its callee; a try times out with
// probability p = P(the callee's sojourn > t), from the sojourn distribution
// of the callee's queue at its load. The expected tries per call are
//
//	tries = 1 + p + p² + … + p^r
//
// and the callee (and what it calls) takes tries × the call's rate. Load
// and p depend on each other: starting from one try per call, the loads
// and the tries are recomputed until they settle (the least fixed point;
// both only grow, so the iteration rises to it). When the fixed point puts
// a callee at utilization 1 or more while one try per call keeps it below 1,
// there is no stable fixed point: the retries themselves overload it, and a
// slow moment collapses the design (the retry-storm rule). When the fixed
// point is stable but the callee would be at utilization 1 or more with
// every try timing out (1 + r tries per call), the design is metastable:
// the collapsed state is a second fixed point that holds itself up, and a
// slow moment that reaches it never ends while the load lasts (the
// retry-storm rule warns), unless a circuit breaker cuts the tries or the
// caller is a queue consumer (a closed loop: its workers wait). A call whose every try times out fails: its
// timeout_loss is p^(r+1).
//
// The callee's sojourn is its own queue's (what it calls is not added), and
// a try that times out keeps running in the callee (its work is done in
// full): the load counts every try.

// RetryResult is one call's tries at the retry fixed point.
type RetryResult struct {
	Call *lang.Call
	// P is the probability that a try times out.
	P float64
	// Tries is the expected tries per call, 1 + p + … + p^r.
	Tries float64
	// TimeoutLoss is the probability that every try times out, p^(r+1).
	TimeoutLoss float64
	// Utilization is the callee's at the fixed point, and Base with one try
	// per call.
	Utilization, Base float64
	// Storm is set when there is no stable fixed point: the callee is at
	// utilization 1 or more with the retries' load and below 1 without it.
	Storm bool
	// Collapsed is the callee's utilization when every try times out (1 + r
	// tries per call); Metastable is set when the fixed point is stable but
	// Collapsed is 1 or more: the collapsed state holds itself up (every try
	// of an overloaded callee times out), so a slow moment that tips the
	// callee over never ends while the load lasts.
	Collapsed  float64
	Metastable bool
}

// retrying reports whether a call's tries are modelled: a synchronous call
// with a timeout.
func retrying(c *lang.Call) bool { return c.Sync() && c.Timeout > 0 && c.To != nil }

// retryFixedPoint solves the loads with the retries' tries: it re-propagates
// the nominal traffic until the tries settle.
func (cp *computer) retryFixedPoint() {
	g := cp.g
	var links []int
	for li := range g.links {
		if l := &g.links[li]; l.kind == linkCall && retrying(l.call) {
			l.tries = 1
			links = append(links, li)
		}
	}
	if len(links) == 0 {
		return
	}
	byCall := map[*lang.Call]*RetryResult{}
	var order []*RetryResult
	for _, li := range links {
		c := g.links[li].call
		if byCall[c] == nil {
			rr := &RetryResult{Call: c, Tries: 1}
			byCall[c] = rr
			order = append(order, rr)
		}
	}
	models := map[int]*compModel{}
	for iter := 0; iter < 200; iter++ {
		clear(models)
		change := 0.0
		for _, rr := range order {
			c := rr.Call
			v := g.index[c.To]
			m := models[v]
			if m == nil {
				m = cp.model(c.To, cp.nominalLoad[v], false)
				models[v] = m
			}
			s := m.all
			switch {
			case c.To.Kind != lang.KindDatabase:
			case c.Op == lang.OpRead:
				s = m.read
			case c.Op == lang.OpWrite:
				s = m.write
			}
			p := s.Survival(c.Timeout.Seconds())
			tries := 0.0
			for j := 0; j <= c.Retries; j++ {
				tries += math.Pow(p, float64(j))
			}
			u := cp.nominalLoad[v].Utilization
			if iter == 0 {
				rr.Base = u
			}
			rr.Utilization = u
			change = math.Max(change, math.Abs(tries-rr.Tries))
			rr.P, rr.Tries, rr.TimeoutLoss = p, tries, math.Pow(p, float64(c.Retries+1))
		}
		if change < 1e-9 {
			break
		}
		for _, li := range links {
			g.links[li].tries = byCall[g.links[li].call].Tries
		}
		cp.r.Cycles = nil
		cp.propagateNominal()
	}
	// The call's rate at the fixed point (tries included), to scale the
	// callee's load to the collapsed state's.
	rate := map[*lang.Call]float64{}
	for _, li := range links {
		l := &g.links[li]
		s := 0.0
		for ch := range nch {
			if l.mask[ch] {
				s += cp.nominal[l.from][ch]
			}
		}
		rate[l.call] += math.Min(l.coef*l.tries*s, l.cap)
	}
	for _, rr := range order {
		c := rr.Call
		v := g.index[c.To]
		l := cp.nominalLoad[v]
		rr.Utilization = l.Utilization
		rr.Storm = c.To.CapacityRPS > 0 && !Stable(rr.Utilization) && Stable(rr.Base)
		if total := l.Total(); total > 0 && c.To.CapacityRPS > 0 && c.Retries > 0 {
			collapsed := total + rate[c]*(float64(c.Retries+1)/rr.Tries-1)
			rr.Collapsed = rr.Utilization * collapsed / total
			// A circuit breaker stops the tries once they fail, and a caller
			// fed only by its queue consumers is a closed loop (its workers
			// wait for their tries, so the tries cannot outrun them): neither
			// can hold the collapsed state up.
			from := cp.nominalLoad[g.index[c.From]]
			closed := from.Total() > 0 && from.Messages >= from.Total()*(1-1e-9)
			rr.Metastable = !rr.Storm && Stable(rr.Utilization) && !Stable(rr.Collapsed) && !c.CircuitBreaker && !closed
		}
	}
	cp.r.Retries = order
}

// retried is the time a call with a timeout takes: try j + 1 is the first
// that answers in time with probability p^j·(1 − p), after j tries that
// each cost timeout + backoff, and takes the callee's sojourn given that it
// is within the timeout; with probability p^(r+1) every try times out and
// the call ends after (r + 1) timeouts and r backoffs.
type retried struct {
	base          *Sojourn
	timeout, back float64
	retries       int
	p, sInT       float64 // P(try times out); S(timeout)
	m1, m2        float64
	done          bool // m2 is known
	meanDone      bool // m1 is known
}

// retrySojourn wraps a callee's sojourn with the call's timeout and retries.
func retrySojourn(base *Sojourn, c *lang.Call) *Sojourn {
	t := c.Timeout.Seconds()
	if base.Infinite() {
		// Every try times out.
		d := float64(c.Retries+1)*t + float64(c.Retries)*c.Backoff.Seconds()
		return delaySojourn(d)
	}
	p := base.Survival(t)
	if p < 1e-15 {
		return base
	}
	return &Sojourn{terms: []term{{w: 1, ord: &retried{base: base, timeout: t, back: c.Backoff.Seconds(),
		retries: c.Retries, p: p, sInT: p}}}}
}

func (r *retried) survival(x float64) float64 {
	if x <= 0 {
		return 1
	}
	step := r.timeout + r.back
	s := 0.0
	w := 1 - r.p
	for j := 0; j <= r.retries; j++ {
		y := x - float64(j)*step
		switch {
		case y <= 0:
			s += w
		case y < r.timeout && r.p < 1:
			s += w * (r.base.Survival(y) - r.sInT) / (1 - r.sInT)
		}
		w *= r.p
	}
	if x < float64(r.retries+1)*r.timeout+float64(r.retries)*r.back {
		s += math.Pow(r.p, float64(r.retries+1))
	}
	return math.Min(1, math.Max(0, s))
}

func (r *retried) upper(float64) float64 {
	return float64(r.retries+1)*r.timeout + float64(r.retries)*r.back
}

// moments: the mean in closed form but for ∫_0^t S (Simpson's rule on a
// smooth function), E[S | S ≤ t] = (∫_0^t S(y)dy − t·S(t)) ÷ (1 − S(t)); the
// second moment by Simpson's rule over the whole (it only sizes grids).
func (r *retried) moments() (m1, m2 float64) {
	if !r.done {
		_, r.m2 = simpsonMoments(r.survival, r.upper(0), 4096)
		r.done = true
	}
	return r.mean(), r.m2
}

// mean is moments' m1, computed without the second moment: a flow's mean
// latency needs only the mean, and most flows never compose a p99 over the
// retried call (an overloaded tier on the path makes it infinite first).
func (r *retried) mean() float64 {
	if !r.meanDone {
		in, _ := simpsonMoments(r.base.Survival, r.timeout, 4096)
		cond := (in - r.timeout*r.sInT) / (1 - r.sInT)
		step := r.timeout + r.back
		w := 1 - r.p
		for j := 0; j <= r.retries; j++ {
			r.m1 += w * (float64(j)*step + cond)
			w *= r.p
		}
		r.m1 += math.Pow(r.p, float64(r.retries+1)) * r.upper(0)
		r.meanDone = true
	}
	return r.m1
}

// retry returns the call's RetryResult, nil when it has no timeout.
func (cp *computer) retry(c *lang.Call) *RetryResult {
	if cp.retries == nil {
		cp.retries = make(map[*lang.Call]*RetryResult, len(cp.r.Retries))
		for _, rr := range cp.r.Retries {
			if cp.retries[rr.Call] == nil {
				cp.retries[rr.Call] = rr
			}
		}
	}
	return cp.retries[c]
}
