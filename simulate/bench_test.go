package simulate

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
)

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkShop simulates the shop and reports simulated client requests
// per CPU-second (the goal is at least 1 million).
func BenchmarkShop(b *testing.B) {
	d, diags := lang.Load("../testdata/shop", lang.Options{})
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	a := (&analyze.WhatIf{}).Apply(d)
	var requests int64
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		rep := Run(context.Background(), a, Options{Duration: 20 * time.Second, Replications: 2, Workers: 1, Seed: uint64(i)})
		requests += rep.Requests
	}
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(requests)/cpu.Seconds(), "requests/cpu-s")
}
