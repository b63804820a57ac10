package emit

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"k8s.io/apimachinery/pkg/api/resource"
)

// Fit checks: what an image needs (its profile) against what the manifest
// gives it, and what a Compose project needs against one host.

// Host size a Compose project is checked against when Options does not say.
const (
	DefaultHostMemory = "16Gi"
	DefaultHostCPUs   = "8"
)

// applyProfile sets what the unit's image needs to start as deployed: the
// profile's environment, and heap and direct memory sized from the memory
// limit where the design leaves them to the image (whose defaults ignore the
// limit). A heap the design sets that does not fit is a finding.
func (p *plan) applyProfile(u *unit, n *notes) {
	c := u.c
	u.Memory = memoryLimit(c)
	prof := u.Profile
	if prof == nil {
		return
	}
	for _, k := range sortedKeys(prof.Env) {
		if _, set := u.Env[k]; !set {
			u.Env[k] = prof.Env[k]
		}
	}
	if len(prof.Env) > 0 {
		u.Notes = append(u.Notes, prof.Why...)
	}
	m := prof.Memory
	if m == nil || u.Memory == 0 {
		return
	}
	if prof.Name == "scylladb" && len(u.Command) == 0 {
		// Seastar takes the machine's memory, not the container's: give it
		// three quarters of the limit and one shard per CPU.
		cpus := int64(1)
		if q, err := resource.ParseQuantity(cpuOf(c)); err == nil {
			cpus = max(1, q.Value())
		}
		u.Command = []string{"--smp", fmt.Sprint(cpus), "--memory", fmt.Sprintf("%dM", u.Memory*3/4/mib), "--overprovisioned", "1"}
		u.Notes = append(u.Notes, fmt.Sprintf("--smp %d --memory %dM: Seastar otherwise sizes itself from the machine, not the container's limit (%s)",
			cpus, u.Memory*3/4/mib, quantity(u.Memory)))
		return
	}
	if m.Kind != "jvm" {
		return
	}
	if heap, direct, set := m.Read(u.Env); set {
		if heap+direct > u.Memory {
			n.warn(c, "env", "the JVM of %s takes a %s heap and %s of direct memory, more than its %s memory limit: the container is OOM-killed under load",
				c.Addr, quantity(heap), quantity(direct), quantity(u.Memory))
			n.explain("Lower the heap in the design's env (%s's direct memory defaults from the heap), or raise resources.memory above %s.",
				prof.Name, quantity(heap+direct+heap/4))
			n.findings[len(n.findings)-1].Data = map[string]any{"heap_bytes": heap, "direct_bytes": direct, "limit_bytes": u.Memory}
		}
		return
	}
	dh, dd := m.Default(u.Memory)
	heap, direct := sized(u.Memory)
	env := m.Set(heap, direct)
	for _, k := range sortedKeys(env) {
		u.Env[k] = env[k]
	}
	u.Notes = append(u.Notes, fmt.Sprintf("%s: heap %s and direct memory %s of the %s limit (the image's default, %s heap and %s direct, ignores the limit)",
		strings.Join(sortedKeys(env), ", "), quantity(heap), quantity(direct), quantity(u.Memory), quantity(dh), quantity(dd)))
}

// memoryLimit is a component's memory limit in bytes: its resources, or the
// default of its kind.
func memoryLimit(c *lang.Component) int64 {
	v := defaultResources[c.Kind][1]
	if c.Resources != nil && c.Resources.Memory != "" {
		v = c.Resources.Memory
	}
	q, err := resource.ParseQuantity(v)
	if err != nil {
		return 0
	}
	return q.Value()
}

func cpuOf(c *lang.Component) string {
	if c.Resources != nil && c.Resources.CPU != "" {
		return c.Resources.CPU
	}
	return defaultResources[c.Kind][0]
}

// quantity writes bytes with a binary suffix, to three significant digits
// at most ("512Mi", "1.5Gi", "5.63Ti").
func quantity(b int64) string {
	units := []string{"", "Ki", "Mi", "Gi", "Ti", "Pi"}
	v, i := float64(b), 0
	for v >= 1024 && i < len(units)-1 {
		v, i = v/1024, i+1
	}
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if v != float64(int64(v)) {
		s = strconv.FormatFloat(v, 'g', 3, 64)
	}
	return s + units[i]
}

// privilegedPort returns the lowest port below 1024 of ports (0: none).
func privilegedPort(ports []int) int {
	low := 0
	for _, p := range ports {
		if p < 1024 && (low == 0 || p < low) {
			low = p
		}
	}
	return low
}

// composeFit reports a Compose project that needs more memory or CPU than
// one host has: every container on one Docker host, at its limit (or the
// default of its kind when it declares none).
func (cb *composeBuilder) composeFit(hostMemory, hostCPUs string) {
	memQ, err := resource.ParseQuantity(hostMemory)
	if err != nil {
		memQ = resource.MustParse(DefaultHostMemory)
	}
	cpuQ, err := resource.ParseQuantity(hostCPUs)
	if err != nil {
		cpuQ = resource.MustParse(DefaultHostCPUs)
	}
	type need struct {
		c        *lang.Component
		mem, cpu float64
	}
	var needs []need
	var mem, cpu float64
	for _, u := range cb.p.units {
		k := float64(cb.runs(u.c))
		cq, err := resource.ParseQuantity(cpuOf(u.c))
		if err != nil {
			continue
		}
		nd := need{u.c, k * float64(memoryLimit(u.c)), k * cq.AsApproximateFloat64()}
		needs = append(needs, nd)
		mem, cpu = mem+nd.mem, cpu+nd.cpu
	}
	hostMem, hostCPU := float64(memQ.Value()), cpuQ.AsApproximateFloat64()
	if len(needs) == 0 || mem <= hostMem && cpu <= hostCPU {
		return
	}
	sort.SliceStable(needs, func(i, j int) bool { return needs[i].mem > needs[j].mem })
	top := needs[0]
	cb.n.add(analyze.Warning, top.c, "resources", map[string]any{
		"memory_bytes": int64(mem), "cpus": cpu, "host_memory_bytes": int64(hostMem), "host_cpus": hostCPU,
	}, "the Compose project needs %s of memory and %g CPUs at its containers' limits, but one host has %s and %g CPUs: %s alone needs %s in %d container(s)",
		quantity(int64(mem)), cpu, memQ.String(), hostCPU, top.c.Addr, quantity(int64(top.mem)), cb.runs(top.c))
	cb.n.explain("Compose runs every container on one Docker host. Run this design on Kubernetes, lower the replicas or resources for a local run "+
		"(e.g. with --var), or state the host's size with --host-memory and --host-cpus (default %s, %s).", DefaultHostMemory, DefaultHostCPUs)
}

// secretFiles reports the Compose secret files the project reads that do
// not exist (in dir, when known), with the command that creates each.
func (cb *composeBuilder) secretFiles(dir string) {
	for _, u := range cb.p.units {
		for _, se := range u.Secrets {
			name := dnsLabel(se.Name+"-"+se.Key, 63)
			rel := filepath.Join("secrets", name)
			if dir != "" {
				if _, err := os.Stat(filepath.Join(dir, rel)); err == nil {
					continue
				}
			}
			cb.n.info(u.c, "secrets", "Compose reads %s of %s from the file %s, which archform does not create", se.Env, u.c.Addr, "./"+filepath.ToSlash(rel))
			where := "the output directory"
			if dir != "" {
				where = dir
			}
			cb.n.explain("Create it before `docker compose up`, in %s: mkdir -p secrets && openssl rand -base64 32 > %s", where, filepath.ToSlash(rel))
		}
	}
}

// secretObjects reports the Kubernetes Secrets the manifests read, with the
// command that creates each.
func (kb *kubeBuilder) secretObjects() {
	for _, u := range kb.p.units {
		for _, se := range u.Secrets {
			name := dnsLabel(se.Name, 63)
			kb.n.info(u.c, "secrets", "Kubernetes reads %s of %s from the key %q of the Secret %s, which archform does not create", se.Env, u.c.Addr, se.Key, name)
			kb.n.explain("Create it before applying the manifests: kubectl create secret generic %s --from-literal=%s=\"$(openssl rand -base64 32)\"", name, se.Key)
		}
	}
}

// Check reports options that cannot be read (a host size that is not a
// quantity), for the command line to reject before emitting.
func (o Options) Check() error {
	for _, f := range [][2]string{{"--host-memory", o.HostMemory}, {"--host-cpus", o.HostCPUs}} {
		flag, v := f[0], f[1]
		if v == "" {
			continue
		}
		if q, err := resource.ParseQuantity(v); err != nil || q.Sign() <= 0 {
			return fmt.Errorf("%s %q: want a positive quantity such as 16Gi or 8", flag, v)
		}
	}
	return checkClientCASecret(o.ClientCASecret)
}
