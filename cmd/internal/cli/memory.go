//go:build linux

package cli

import (
	"bufio"
	"bytes"
	"fmt"
	"golang.org/x/sys/unix"
	"io"
	"math"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/api/resource"
)

// MaxMemoryEnv names the environment variable that bounds the memory one run
// may use (a quantity: 512Mi, 2Gi). Without it the bound is what the system
// gives the process (see memoryLimits).
const MaxMemoryEnv = "ARCHFORM_MAX_MEMORY"

// A memoryLimit is one bound on the process's memory and where it comes from.
type memoryLimit struct {
	bytes   uint64 // where the guard ends the run
	limit   uint64 // the limit itself
	source  string // for the message: "ARCHFORM_MAX_MEMORY", "the cgroup's memory.max", ...
	virtual bool   // counts address space (RLIMIT_AS), not resident memory
}

// virtualHeadroom is the least address space the guard leaves below
// RLIMIT_AS: two of the 64 MiB arenas the Go runtime reserves its heap in.
const virtualHeadroom = 128 << 20

// memoryPoll is how often the guard looks at the process's memory.
const memoryPoll = 10 * time.Millisecond

// guardMemory starts watching the process's memory against its limits and
// returns a function that stops the watch. Go cannot recover from running
// out of memory: the runtime prints "fatal error: runtime: out of memory"
// with every goroutine's stack and exits 2, the code of an invalid design;
// a cgroup's OOM killer ends the process with no message at all. The guard
// ends the run first, with a message and exit 3 (the environment's limit,
// not the user's design or archform's bug), when resident memory passes 7/8
// of the smallest of ARCHFORM_MAX_MEMORY, the cgroup's memory.max and the
// machine's memory, or the address space comes within 1/8 (at least
// 128 MiB) of RLIMIT_AS. The garbage collector is told the same bound
// (debug.SetMemoryLimit), so that garbage is collected before it counts.
//
// An output being written when the guard ends the run is left as a kill
// leaves it: its old content, whole (see package safewrite).
func guardMemory(stderr io.Writer) (stop func(), err error) {
	limits, err := memoryLimits()
	if err != nil {
		return nil, err
	}
	if len(limits) == 0 {
		return func() {}, nil
	}
	base, _, _ := processMemory()
	resident, virtual := tripPoints(limits, base)
	if resident.bytes > 0 && resident.bytes < math.MaxInt64 {
		debug.SetMemoryLimit(int64(resident.bytes))
	}
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(memoryPoll)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			size, rss, ok := processMemory()
			if !ok {
				return
			}
			switch {
			case resident.bytes > 0 && rss > resident.bytes:
				outOfMemory(stderr, rss, resident)
			case virtual.bytes > 0 && size > virtual.bytes:
				outOfMemory(stderr, size, virtual)
			}
		}
	}()
	return func() { close(done) }, nil
}

// tripPoints turns the limits into the two figures the guard compares
// with: resident memory at 7/8 of the smallest resident limit, and address
// space at 7/8 of the way from base (the address space at start: the Go
// runtime reserves much of it before archform runs) to RLIMIT_AS, or
// virtualHeadroom below it when that is more.
func tripPoints(limits []memoryLimit, base uint64) (resident, virtual memoryLimit) {
	for _, l := range limits {
		if l.virtual {
			at := l.bytes / 8 * 7
			if l.bytes > base {
				// The runtime reserves its heap 64 MiB at a time: stop
				// two such reservations short of the limit, or 1/8 of
				// the way from base, whichever leaves more.
				room := max((l.bytes-base)/8, virtualHeadroom)
				at = base + (l.bytes-base)/2
				if l.bytes-base > 2*room {
					at = l.bytes - room
				}
			}
			if virtual.bytes == 0 || at < virtual.bytes {
				virtual = memoryLimit{bytes: at, limit: l.bytes, source: l.source, virtual: true}
			}
			continue
		}
		if at := l.bytes / 8 * 7; resident.bytes == 0 || at < resident.bytes {
			resident = memoryLimit{bytes: at, limit: l.bytes, source: l.source}
		}
	}
	return resident, virtual
}

// outOfMemory ends the run: exit 3 with what was used against which limit.
func outOfMemory(stderr io.Writer, used uint64, at memoryLimit) {
	what, hint := "memory", "run it where more memory is available"
	if at.virtual {
		what = "address space"
	}
	if at.source == MaxMemoryEnv {
		hint = "set a larger " + MaxMemoryEnv + ", such as 8Gi, where the machine has the memory"
	}
	fmt.Fprintf(stderr, "archform: out of memory: this run used %s of %s, near the %s that %s allows: "+
		"the input is too large for the memory this run may use (%s)\n",
		formatBytes(used), what, formatBytes(at.limit), at.source, hint)
	os.Exit(ExitUsage)
}

// memoryLimits lists the bounds on this process's memory: ARCHFORM_MAX_MEMORY
// (an error when it is not a positive quantity), the cgroup's memory.max,
// the machine's memory and RLIMIT_AS, those that are set.
func memoryLimits() ([]memoryLimit, error) {
	var limits []memoryLimit
	if v, ok := os.LookupEnv(MaxMemoryEnv); ok {
		q, err := resource.ParseQuantity(strings.TrimSpace(v))
		if err != nil || q.Sign() <= 0 {
			return nil, Exit(ExitUsage, "%s=%q: want a positive quantity of memory, such as 512Mi or 4Gi", MaxMemoryEnv, v)
		}
		limits = append(limits, memoryLimit{bytes: uint64(q.Value()), source: MaxMemoryEnv})
	}
	if b, ok := cgroupMemoryMax(); ok {
		limits = append(limits, memoryLimit{bytes: b, source: "the cgroup's memory.max"})
	}
	if b, ok := memTotal(); ok {
		limits = append(limits, memoryLimit{bytes: b, source: "the machine's memory"})
	}
	var rl unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_AS, &rl); err == nil && rl.Cur != unix.RLIM_INFINITY && rl.Cur > 0 {
		limits = append(limits, memoryLimit{bytes: rl.Cur, source: "the address-space limit (ulimit -v)", virtual: true})
	}
	return limits, nil
}

// cgroupMemoryMax reads the memory.max of the cgroup (v2) this process is in.
func cgroupMemoryMax() (uint64, bool) {
	data, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(data), "\n") {
		if path, ok := strings.CutPrefix(line, "0::"); ok {
			for _, p := range []string{"/sys/fs/cgroup" + path + "/memory.max", "/sys/fs/cgroup/memory.max"} {
				if b, ok := readBytesFile(p); ok {
					return b, true
				}
			}
		}
	}
	return 0, false
}

// readBytesFile reads a file holding one number of bytes ("max" is none).
func readBytesFile(path string) (uint64, bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	b, err := strconv.ParseUint(strings.TrimSpace(string(data)), 10, 64)
	return b, err == nil && b > 0
}

// memTotal is the machine's memory, from /proc/meminfo.
func memTotal() (uint64, bool) {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), "MemTotal:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10, err == nil && kb > 0
		}
	}
	return 0, false
}

// processMemory reads the process's address space and resident memory, in
// bytes, from /proc/self/statm.
func processMemory() (size, rss uint64, ok bool) {
	data, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, 0, false
	}
	fields := bytes.Fields(data)
	if len(fields) < 2 {
		return 0, 0, false
	}
	pages, err1 := strconv.ParseUint(string(fields[0]), 10, 64)
	res, err2 := strconv.ParseUint(string(fields[1]), 10, 64)
	if err1 != nil || err2 != nil {
		return 0, 0, false
	}
	page := uint64(os.Getpagesize())
	return pages * page, res * page, true
}

// formatBytes writes n in binary units: 1.5 GiB, 640 MiB.
func formatBytes(n uint64) string {
	switch {
	case n >= 1<<30:
		return strconv.FormatFloat(float64(n)/(1<<30), 'f', 1, 64) + " GiB"
	case n >= 1<<20:
		return strconv.FormatUint(n>>20, 10) + " MiB"
	}
	return strconv.FormatUint(n>>10, 10) + " KiB"
}
