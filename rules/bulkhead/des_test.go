package bulkhead_test

import (
	"container/heap"
	"math/rand"
	"testing"
)

// pool simulates one instance's worker pool: Poisson arrivals of slow
// calls (each holding a worker for slowHold seconds) and fast calls
// (exponential, fastMean seconds); a request that finds no free worker
// waits, first in first out. With bulkhead > 0, a slow call that finds
// bulkhead slow calls already holding workers fails at once (it neither
// waits nor takes a worker). It returns the share of fast calls that
// waited longer than 10 ms for a worker.
func pool(seed int64, workers, bulkhead int, slowRate, slowHold, fastRate, fastMean, horizon float64) float64 {
	rng := rand.New(rand.NewSource(seed))
	var ends endHeap // end times of the calls holding workers, with their kind
	var waiting []req
	busy, slowBusy := 0, 0
	fast, late := 0, 0
	start := func(r req, now float64) {
		busy++
		hold := rng.ExpFloat64() * fastMean
		if r.slow {
			slowBusy++
			hold = slowHold
		} else {
			fast++
			if now-r.arrive > 0.010 {
				late++
			}
		}
		heap.Push(&ends, end{at: now + hold, slow: r.slow})
	}
	total := slowRate + fastRate
	next := rng.ExpFloat64() / total
	for next < horizon {
		// Finish every call that ends before the next arrival, handing its
		// worker to the oldest waiting request.
		for ends.Len() > 0 && ends[0].at <= next {
			e := heap.Pop(&ends).(end)
			busy--
			if e.slow {
				slowBusy--
			}
			if len(waiting) > 0 {
				r := waiting[0]
				waiting = waiting[1:]
				start(r, e.at)
			}
		}
		r := req{slow: rng.Float64() < slowRate/total, arrive: next}
		switch {
		case r.slow && bulkhead > 0 && slowBusy >= bulkhead:
			// refused by the bulkhead
		case busy < workers:
			start(r, next)
		default:
			waiting = append(waiting, r)
		}
		next += rng.ExpFloat64() / total
	}
	fast += countFast(waiting) // never served: they waited to the end
	late += countFast(waiting)
	if fast == 0 {
		return 0
	}
	return float64(late) / float64(fast)
}

type req struct {
	slow   bool
	arrive float64
}

func countFast(rs []req) int {
	n := 0
	for _, r := range rs {
		if !r.slow {
			n++
		}
	}
	return n
}

type end struct {
	at   float64
	slow bool
}

type endHeap []end

func (h endHeap) Len() int           { return len(h) }
func (h endHeap) Less(i, j int) bool { return h[i].at < h[j].at }
func (h endHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *endHeap) Push(x any)        { *h = append(*h, x.(end)) }
func (h *endHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// TestStarvationSimulated checks the rule's claim on its testdata figures
// with a simulation that knows nothing of Little's law: one instance of
// concurrency 100 receives 500 calls/s to a provider and 500 to a cache
// (1 ms). With the provider answering at its nominal 100 ms, the cache's
// calls rarely wait; slowed to its 1 s timeout with no bulkhead (the
// warning on service.checkout) most of them wait; with bulkhead = 60 (the
// clean twin, service.guarded) they rarely wait again. At 150 ms (75.5
// workers busy on average, service.near) they rarely wait; at 180 ms (90.5,
// service.crowded) a noticeable share does, as Erlang C says.
func TestStarvationSimulated(t *testing.T) {
	const horizon = 8 // simulated seconds
	nominal := pool(1, 100, 0, 500, 0.100, 500, 0.001, horizon)
	degraded := pool(1, 100, 0, 500, 1.0, 500, 0.001, horizon)
	guarded := pool(1, 100, 60, 500, 1.0, 500, 0.001, horizon)
	near := pool(1, 100, 0, 500, 0.150, 500, 0.001, horizon)    // service.near: not reported
	crowded := pool(1, 100, 0, 500, 0.180, 500, 0.001, horizon) // service.crowded: reported (Erlang C)
	t.Logf("share of cache calls waiting > 10 ms: nominal %.4f, provider at its timeout %.4f, with bulkhead 60 %.4f, at 150 ms %.4f, at 180 ms %.4f", nominal, degraded, guarded, near, crowded)
	if near > 0.01 || crowded < 0.05 {
		t.Errorf("timeout 150 ms: %.4f of the fast calls wait (want under 0.01); 180 ms: %.4f (want over 0.05)", near, crowded)
	}
	if nominal > 0.01 {
		t.Errorf("nominal: %.4f of the fast calls wait, want almost none (50.5 of 100 workers busy on average)", nominal)
	}
	if degraded < 0.5 {
		t.Errorf("provider at its timeout, no bulkhead: only %.4f of the fast calls wait; the rule says they starve", degraded)
	}
	if guarded > 0.01 {
		t.Errorf("bulkhead 60: %.4f of the fast calls wait, want almost none", guarded)
	}
}
