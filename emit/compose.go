package emit

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
	"k8s.io/apimachinery/pkg/api/resource"
)

// ComposeFile is the name of the Compose file in the output directory.
const ComposeFile = "compose.yaml"

// Compose networks: frontend for the services that publish ports on the
// host; one network per trust zone (zoneNetwork), internal for the private
// and data zones; egress-NAME for a service in an internal zone that calls
// the internet (egressNetwork).
const networkFrontend = "frontend"

// Compose builds the design's Compose project: compose.yaml and a HAProxy
// configuration per load balancer, validated with compose-go's loader.
func Compose(d *lang.Design, opts Options) (*Result, error) {
	n := &notes{rule: composeRuleID, target: "Compose"}
	p := newPlan(d, n)
	cb := &composeBuilder{p: p, n: n, opts: opts, project: &types.Project{
		Name:     p.system,
		Services: types.Services{},
		Networks: types.Networks{},
	}}
	files := cb.build()
	for name, s := range cb.project.Services {
		escapeService(&s)
		cb.project.Services[name] = s
	}
	yml, err := cb.project.MarshalYAML()
	if err != nil {
		return nil, fmt.Errorf("internal error: marshal compose project: %w", err)
	}
	head := header(p.title) + string(cb.comments())
	files = append(files, File{Name: ComposeFile, Data: append([]byte(head), yml...)})
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	if err := validateCompose(files); err != nil {
		return nil, &ValidationError{Target: TargetCompose, File: ComposeFile, Err: err}
	}
	return &Result{Target: TargetCompose, Files: files, Findings: n.sorted()}, nil
}

type composeBuilder struct {
	p        *plan
	n        *notes
	opts     Options
	project  *types.Project
	healthy  map[string]bool // services with a healthcheck
	replicas map[*unit]int   // the replicas each unit runs with in Compose
}

func (cb *composeBuilder) build() []File {
	cb.healthy = map[string]bool{}
	cb.replicas = map[*unit]int{}
	var files []File
	for _, u := range cb.p.units {
		s := cb.service(u)
		if u.Members == 0 {
			cb.project.Services[u.Name] = s
			continue
		}
		members, shared := cb.members(u, s)
		for _, m := range members {
			cb.project.Services[m.Name] = m
		}
		if shared != nil {
			files = append(files, *shared)
		}
	}
	for _, b := range cb.p.lbs {
		svc, f := cb.proxy(b)
		cb.project.Services[b.Name] = svc
		files = append(files, f)
	}
	cb.dependencies()
	cb.hostPorts()
	for _, c := range cb.p.d.Components {
		cb.inexpressible(c)
		transportNotes(cb.n, cb.p.d, c)
	}
	hostMem, hostCPUs := cb.opts.HostMemory, cb.opts.HostCPUs
	if hostMem == "" {
		hostMem = DefaultHostMemory
	}
	if hostCPUs == "" {
		hostCPUs = DefaultHostCPUs
	}
	cb.composeFit(hostMem, hostCPUs)
	cb.secretFiles(cb.opts.OutputDir)
	return files
}

// comments are the notes of the plan, as comments above the project: why a
// service departs from the image's defaults.
func (cb *composeBuilder) comments() []byte {
	var notes []string
	for _, u := range cb.p.units {
		for _, note := range u.Notes {
			notes = append(notes, u.Name+": "+note)
		}
	}
	return comments(notes)
}

// service is one deployable component's Compose service.
func (cb *composeBuilder) service(u *unit) types.ServiceConfig {
	c := u.c
	var s types.ServiceConfig
	s.Name = u.Name
	s.Image = u.Image
	s.Restart = types.RestartPolicyUnlessStopped
	s.SecurityOpt = []string{"no-new-privileges:true"}
	s.Labels = cb.labels(c)
	s.Command = u.Command
	if u.Entrypoint != nil {
		s.Entrypoint = append(types.ShellCommand{}, u.Entrypoint...)
	}
	replicas := u.Replicas
	if u.Volume != nil && replicas > 1 && u.Members == 0 {
		// Compose has one named volume per service, shared by its replicas.
		cb.n.warn(c, "replicas", "Compose cannot give each replica of %s its own volume: it runs 1 instance, not %d", c.Addr, replicas)
		replicas = 1
	}
	cb.replicas[u] = replicas
	s.Deploy = &types.DeployConfig{Replicas: &replicas, UpdateConfig: updateConfig(c)}
	cb.resources(&s, c)
	if u.Profile != nil && u.Profile.Memory != nil && u.Memory > 0 && (c.Resources == nil || c.Resources.Memory == "") {
		// The heap is sized from this limit: the container gets it too.
		if s.Deploy.Resources.Limits == nil {
			s.Deploy.Resources.Limits = &types.Resource{}
		}
		s.Deploy.Resources.Limits.MemoryBytes = types.UnitBytes(u.Memory)
	}
	if low := privilegedPort(u.Ports); low > 0 && u.Profile != nil && u.Profile.User != 0 {
		// The image runs as a non-root user: let it bind the port.
		s.Sysctls = types.Mapping{"net.ipv4.ip_unprivileged_port_start": fmt.Sprint(low)}
	}
	s.Environment = types.MappingWithEquals{}
	for k, v := range u.Env {
		s.Environment[k] = &v
	}
	for _, k := range u.Passthrough {
		s.Environment[k] = nil // environment: [NAME]: from the shell running docker compose
	}
	for _, se := range u.Secrets {
		name := dnsLabel(se.Name+"-"+se.Key, 63)
		if cb.project.Secrets == nil {
			cb.project.Secrets = types.Secrets{}
		}
		cb.project.Secrets[name] = types.SecretConfig{File: "./secrets/" + name}
		s.Secrets = append(s.Secrets, types.ServiceSecretConfig{Source: name, Target: name})
		path := "/run/secrets/" + name
		s.Environment[se.Env+"_FILE"] = &path
		if u.Engine == nil || se.Env != u.Engine.Password {
			cb.n.info(c, "secrets", "Compose cannot set %s from a secret: the secret is mounted at %s and %s_FILE points at it; the image must read %s_FILE",
				se.Env, path, se.Env, se.Env)
		}
	}
	cb.unitPorts(&s, u, replicas)
	if hc := cb.healthcheck(u); hc != nil {
		s.HealthCheck = hc
		cb.healthy[u.Name] = true
	}
	if u.Volume != nil {
		vol := u.Name + "-data"
		if u.Volume.Name != "" {
			vol = u.Volume.Name
		}
		cb.volume(vol)
		s.Volumes = append(s.Volumes, types.ServiceVolumeConfig{Type: types.VolumeTypeVolume, Source: vol, Target: u.Volume.Path})
	}
	var relative []string
	for _, m := range u.Mounts {
		if m.Type == types.VolumeTypeBind && strings.HasPrefix(m.Source, ".") {
			relative = append(relative, m.Source)
		}
		v := types.ServiceVolumeConfig{Type: m.Type, Source: m.Source, Target: m.Target, ReadOnly: m.ReadOnly}
		if m.Type == types.VolumeTypeVolume && m.Source != "" {
			cb.volume(m.Source)
		}
		if m.Type == types.VolumeTypeBind {
			v.Bind = &types.ServiceVolumeBind{CreateHostPath: true}
		}
		s.Volumes = append(s.Volumes, v)
	}
	if len(relative) > 0 {
		cb.n.info(c, "mount", "%s bind-mounts %s from the host: relative to the directory compose.yaml is written to; put the files there",
			c.Addr, strings.Join(relative, ", "))
	}
	s.Networks = cb.networks(u.c, u.Name, u.Public || len(u.Published) > 0)
	return s
}

// volume declares a named volume of the project.
func (cb *composeBuilder) volume(name string) {
	if cb.project.Volumes == nil {
		cb.project.Volumes = types.Volumes{}
	}
	cb.project.Volumes[name] = types.VolumeConfig{}
}

// unitPorts publishes and exposes a unit's ports: the host mappings of its
// port blocks exactly as written when it has any; otherwise, when it is
// public, every TCP port at its own number (a range of host ports for
// several replicas). The rest are exposed on the network. A port archform
// assumed (the design has none) is exposed nowhere: where it is used, it
// is a finding.
func (cb *composeBuilder) unitPorts(s *types.ServiceConfig, u *unit, replicas int) {
	c := u.c
	if u.AssumedPort {
		var uses []string
		if len(u.Behind) > 0 {
			uses = append(uses, "the load balancer in front of it sends traffic to it")
		}
		if u.Ready != nil && u.Ready.Path != "" {
			uses = append(uses, "its health check probes it")
		}
		if len(uses) > 0 {
			cb.n.warn(c, "", "%s declares no ports: archform assumed port %d, where %s; set ports", c.Addr, defaultPort, strings.Join(uses, " and "))
			cb.n.explain("archform does not know which port the image %s listens on. Set ports = [N] on %s.", u.Image, c.Addr)
		}
		if u.Public && len(u.Published) == 0 {
			cb.n.warn(c, "public", "%s is public but declares no ports: Compose publishes nothing for it", c.Addr)
		}
	}
	ports := u.Ports
	if u.AssumedPort {
		ports = nil
	}
	cb.publish(s, c, ports, u.UDP, u.Published, u.Public, replicas)
}

// publish publishes and exposes ports: the host mappings of the port
// blocks exactly as written when there are any; otherwise, when public,
// every port at its own number (a range of host ports for several
// replicas). The rest are exposed on the network.
func (cb *composeBuilder) publish(s *types.ServiceConfig, c *lang.Component, tcp, udp []int, published []*lang.Port, public bool, replicas int) {
	if len(published) == 0 {
		cb.ports(s, tcp, public, replicas)
		for _, p := range udp {
			if public {
				s.Ports = append(s.Ports, types.ServicePortConfig{Target: uint32(p), Published: fmt.Sprint(p), Protocol: "udp", Mode: "ingress"})
			} else {
				s.Expose = append(s.Expose, fmt.Sprintf("%d/udp", p))
			}
		}
		return
	}
	mapped := map[string]bool{}
	for _, p := range published {
		mapped[fmt.Sprintf("%d/%s", p.Number, p.Protocol)] = true
		s.Ports = append(s.Ports, types.ServicePortConfig{Target: uint32(p.Number), Published: fmt.Sprint(p.HostPort),
			HostIP: p.HostIP, Protocol: p.Protocol, Mode: "ingress"})
	}
	if replicas > 1 {
		cb.n.add(analyze.Error, c, "replicas", nil, "the %d replicas of %s cannot all publish host port %d: only one container can bind it",
			replicas, c.Addr, published[0].HostPort)
		cb.n.explain("Leave host_port out of the port blocks of %s and put a load_balancer in front of it, or run one replica.", c.Addr)
	}
	for _, p := range tcp {
		if !mapped[fmt.Sprintf("%d/tcp", p)] {
			s.Expose = append(s.Expose, fmt.Sprint(p))
		}
	}
	for _, p := range udp {
		if !mapped[fmt.Sprintf("%d/udp", p)] {
			s.Expose = append(s.Expose, fmt.Sprintf("%d/udp", p))
		}
	}
}

// members turns a clustered engine's service into one service per member,
// each with its own volume, joined by their service names and all answering
// to the component's name on the network.
//
// In a cluster of more than inlineMembers, the variables that list every
// member (cluster.Listed: an etcd's initial cluster, Kafka's voters) are
// written once, in the env_file sharedEnvFile(u) that every member reads, so
// that the project grows linearly with the members.
func (cb *composeBuilder) members(u *unit, base types.ServiceConfig) ([]types.ServiceConfig, *File) {
	m := members{Cluster: u.Name, joined: map[string]string{}}
	for i := 0; i < u.Members; i++ {
		name := fmt.Sprintf("%s-%d", u.Name, i)
		m.Names, m.Hosts = append(m.Names, name), append(m.Hosts, name)
	}
	delete(cb.project.Volumes, u.Name+"-data")
	out := make([]types.ServiceConfig, u.Members)
	for i, name := range m.Names {
		s := base
		s.Name = name
		m.Self, m.SelfHost, m.Index = name, name, fmt.Sprint(i)
		if cl := u.Engine.Cluster; cl.Args != nil {
			s.Command = cl.Args(m)
		}
		if cl := u.Engine.Cluster; cl.Env != nil {
			s.Environment = types.MappingWithEquals{}
			for k, v := range base.Environment {
				if _, set := u.c.Env[k]; set || !slices.Contains(cl.Unset, k) {
					s.Environment[k] = v
				}
			}
			for k, v := range cl.Env(m) {
				if _, set := u.Env[k]; !set { // the design's env wins
					s.Environment[k] = &v
				}
			}
		}
		one := 1
		deploy := *base.Deploy
		deploy.Replicas = &one
		s.Deploy = &deploy
		if u.Volume != nil {
			vol := name + "-data"
			cb.project.Volumes[vol] = types.VolumeConfig{}
			s.Volumes = []types.ServiceVolumeConfig{{Type: types.VolumeTypeVolume, Source: vol, Target: u.Volume.Path}}
		}
		s.Networks = map[string]*types.ServiceNetworkConfig{}
		for net := range base.Networks {
			s.Networks[net] = &types.ServiceNetworkConfig{Aliases: []string{u.Name}}
		}
		cb.healthy[name] = cb.healthy[u.Name]
		out[i] = s
	}
	if u.Members <= inlineMembers || len(u.Engine.Cluster.Listed) == 0 {
		return out, nil
	}
	return out, shareEnv(u, out, u.Engine.Cluster.Listed, cb.p.title)
}

// sharedEnvFile names the env_file of a cluster's shared variables.
func sharedEnvFile(u *unit) string { return u.Name + "-members.env" }

// shareEnv moves the variables named listed that every member in out has
// with the same value, and that the design does not set, into one env_file
// they all read, and returns that file (nil when none moves). Values are
// written single-quoted: Compose takes them as they are, with no
// interpolation; a value a single quote or a line break would break stays
// with each member.
func shareEnv(u *unit, out []types.ServiceConfig, listed []string, system string) *File {
	var keys []string
	for _, k := range slices.Sorted(slices.Values(listed)) {
		if _, set := u.Env[k]; set {
			continue
		}
		same := true
		for _, s := range out {
			v := s.Environment[k]
			if v == nil || *v != *out[0].Environment[k] || strings.ContainsAny(*v, "'\n\r") {
				same = false
				break
			}
		}
		if same {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString(header(system))
	b.WriteString("# The variables every member of " + u.Name + " shares.\n")
	for _, k := range keys {
		b.WriteString(k + "='" + *out[0].Environment[k] + "'\n")
	}
	name := sharedEnvFile(u)
	for i := range out {
		for _, k := range keys {
			delete(out[i].Environment, k)
		}
		out[i].EnvFiles = []types.EnvFile{{Path: "./" + name, Required: true}}
	}
	return &File{Name: name, Data: []byte(b.String())}
}

// proxy is a load balancer's HAProxy service and its configuration file.
func (cb *composeBuilder) proxy(b *balancer) (types.ServiceConfig, File) {
	name := "haproxy-" + b.Name
	file := File{Name: name + ".cfg", Data: haproxyConfig(cb.p.title, b, func(u *unit) int { return cb.replicas[u] })}
	if cb.project.Configs == nil {
		cb.project.Configs = types.Configs{}
	}
	cb.project.Configs[name] = types.ConfigObjConfig{File: "./" + file.Name}

	var s types.ServiceConfig
	s.Name = b.Name
	s.Image = proxyImage
	s.Restart = types.RestartPolicyUnlessStopped
	s.SecurityOpt = []string{"no-new-privileges:true"}
	s.CapDrop = []string{"ALL"}
	s.ReadOnly = true
	s.Tmpfs = types.StringList{"/tmp"}
	s.Labels = cb.labels(b.c)
	replicas := b.Replicas
	s.Deploy = &types.DeployConfig{Replicas: &replicas}
	cb.resources(&s, b.c)
	s.Configs = []types.ServiceConfigObjConfig{{Source: name, Target: proxyConfigPath}}
	var published []*lang.Port
	for _, p := range b.c.PortSpecs {
		if p.HostPort > 0 && p.Protocol == "tcp" {
			published = append(published, p)
		}
	}
	cb.publish(&s, b.c, b.Ports, nil, published, b.Public, replicas)
	if low := privilegedPort(b.Ports); low > 0 {
		// HAProxy runs as uid 99 with every capability dropped.
		s.Sysctls = types.Mapping{"net.ipv4.ip_unprivileged_port_start": fmt.Sprint(low)}
	}
	s.HealthCheck = composeHealthcheck(timed(&probe{Path: proxyHealthPath, Port: proxyHealthPort}, nil), profileFor(proxyImage))
	cb.healthy[b.Name] = true
	s.Networks = cb.networks(b.c, b.Name, b.Public || len(published) > 0)
	cb.proxyTLS(b)
	return s, file
}

// composeLabel names the component a Compose service deploys: drift reads
// it back. It is archform's own: a design label of that name is dropped (a
// finding), so that no component can claim another's containers.
const composeLabel = "archform.component"

func (cb *composeBuilder) labels(c *lang.Component) types.Labels {
	l := types.Labels{}
	for k, v := range c.Labels {
		if k == composeLabel {
			if v != c.Addr {
				cb.n.warn(c, "labels", "the label %s is archform's own: %s's value %q is dropped for %q", composeLabel, c.Addr, v, c.Addr)
			}
			continue
		}
		l[k] = v
	}
	l[composeLabel] = c.Addr
	return l
}

func (cb *composeBuilder) resources(s *types.ServiceConfig, c *lang.Component) {
	if c.Resources == nil {
		return
	}
	var lim types.Resource
	if c.Resources.CPU != "" {
		if q, err := resource.ParseQuantity(c.Resources.CPU); err == nil {
			lim.NanoCPUs = types.NanoCPUs(q.AsApproximateFloat64())
		} else {
			cb.n.warn(c, "resources.cpu", "Compose cannot read cpu %q: %v", c.Resources.CPU, err)
		}
	}
	if c.Resources.Memory != "" {
		if q, err := resource.ParseQuantity(c.Resources.Memory); err == nil {
			lim.MemoryBytes = types.UnitBytes(q.Value())
		} else {
			cb.n.warn(c, "resources.memory", "Compose cannot read memory %q: %v", c.Resources.Memory, err)
		}
	}
	s.Deploy.Resources.Limits = &lim
}

// ports publishes a public component's ports on the host (a range of host
// ports when it has several replicas) and exposes the others' on the network.
func (cb *composeBuilder) ports(s *types.ServiceConfig, ports []int, public bool, replicas int) {
	for _, port := range ports {
		if !public {
			s.Expose = append(s.Expose, fmt.Sprint(port))
			continue
		}
		published := fmt.Sprint(port)
		if replicas > 1 {
			published = fmt.Sprintf("%d-%d", port, port+replicas-1)
		}
		s.Ports = append(s.Ports, types.ServicePortConfig{Target: uint32(port), Published: published, Protocol: "tcp", Mode: "ingress"})
	}
}

// networks are the Compose networks of a unit's or a proxy's service: its
// trust zone's, and the trust zone's of each component it calls or
// consumes from in another zone (so only components that declare a call
// into a zone are on its network); frontend when it publishes ports; its
// own egress network when it calls the internet from an internal zone.
func (cb *composeBuilder) networks(c *lang.Component, name string, published bool) map[string]*types.ServiceNetworkConfig {
	nets := map[string]*types.ServiceNetworkConfig{}
	join := func(z lang.TrustZone) {
		net := zoneNetwork(z)
		nets[net] = nil
		cb.project.Networks[net] = types.NetworkConfig{Internal: internalZone(z)}
	}
	join(c.TrustZone)
	for _, to := range cb.p.reaches(c) {
		join(to.TrustZone)
	}
	if published {
		nets[networkFrontend] = nil
		cb.project.Networks[networkFrontend] = types.NetworkConfig{}
	}
	if internalZone(c.TrustZone) && cb.p.externals(c) {
		net := egressNetwork(name)
		nets[net] = nil
		cb.project.Networks[net] = types.NetworkConfig{}
	}
	return nets
}

// zoneNetwork is the Compose network of a trust zone.
func zoneNetwork(z lang.TrustZone) string { return "trust-" + string(z) }

// egressNetwork is the network of its own a service in an internal zone
// reaches the internet through.
func egressNetwork(service string) string { return "egress-" + service }

// internalZone reports whether a trust zone's Compose network is internal
// (no route out of the host): private and data.
func internalZone(z lang.TrustZone) bool { return z.Level() >= lang.ZonePrivate.Level() }

// healthcheck is a unit's Compose healthcheck, run with what its image
// ships; when the image has nothing that can run the check, none (and a
// finding: services waiting for it to be healthy would wait forever).
func (cb *composeBuilder) healthcheck(u *unit) *types.HealthCheckConfig {
	hc := composeHealthcheck(u.Ready, u.Profile)
	if hc == nil && u.Ready != nil {
		cb.n.warn(u.c, "health_check", "Compose cannot check the health of %s: its image (%s) has no wget, curl or bash to run the check with; services that depend on it wait only for it to start",
			u.c.Addr, u.Image)
	}
	return hc
}

// shellQuote quotes s as one word of a POSIX shell command: in single
// quotes, each single quote written as '\”.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// composeDollars escapes s for Compose, which interpolates ${VAR} and $VAR
// in every string of compose.yaml from the host's environment at
// `docker compose up`: "$$" is a literal "$".
func composeDollars(s string) string { return strings.ReplaceAll(s, "$", "$$") }

// escapeService escapes '$' in every string of a service that can hold
// text from the design (image, command, entrypoint, labels, environment,
// healthcheck, volume paths), once, after the service is built: nothing the
// design writes is filled from the host.
func escapeService(s *types.ServiceConfig) {
	// Every slice is escaped into a new one: they may share their array
	// with the design (a component's command) or with the engine table (a
	// probe), which a second emit would then escape again.
	escaped := func(in []string) []string {
		if in == nil {
			return nil
		}
		out := make([]string, len(in))
		for i, v := range in {
			out[i] = composeDollars(v)
		}
		return out
	}
	s.Image = composeDollars(s.Image)
	s.Command = escaped(s.Command)
	s.Entrypoint = escaped(s.Entrypoint)
	if len(s.Labels) > 0 {
		l := types.Labels{}
		for k, v := range s.Labels {
			l[k] = composeDollars(v) // Compose interpolates values, not keys
		}
		s.Labels = l
	}
	if s.Environment != nil {
		env := types.MappingWithEquals{}
		for k, v := range s.Environment {
			if v != nil {
				e := composeDollars(*v)
				v = &e
			}
			env[k] = v
		}
		s.Environment = env
	}
	if s.HealthCheck != nil {
		hc := *s.HealthCheck
		hc.Test = escaped(hc.Test)
		s.HealthCheck = &hc
	}
	if s.Volumes != nil {
		vols := slices.Clone(s.Volumes)
		for i := range vols {
			vols[i].Source = composeDollars(vols[i].Source)
			vols[i].Target = composeDollars(vols[i].Target)
		}
		s.Volumes = vols
	}
}

// composeHealthcheck turns a readiness probe into a Compose healthcheck
// that prof's image can run (any image when prof is nil: wget, else curl).
func composeHealthcheck(pr *probe, prof *profile) *types.HealthCheckConfig {
	if pr == nil {
		return nil
	}
	hc := &types.HealthCheckConfig{}
	switch {
	case pr.Path != "":
		url := fmt.Sprintf("http://127.0.0.1:%d%s", pr.Port, pr.Path)
		switch {
		case prof == nil:
			hc.Test = types.HealthCheckTest{"CMD-SHELL",
				fmt.Sprintf("wget -q -O /dev/null %s || curl -fsS -o /dev/null %s", shellQuote(url), shellQuote(url))}
		case prof.hasTool("wget"):
			hc.Test = types.HealthCheckTest{"CMD", "wget", "-q", "-O", "/dev/null", url}
		case prof.hasTool("curl"):
			hc.Test = types.HealthCheckTest{"CMD", "curl", "-fsS", "-o", "/dev/null", url}
		case prof.hasTool("bash"):
			// bash's /dev/tcp: an HTTP/1.0 GET, healthy on a 2xx or 3xx status.
			hc.Test = types.HealthCheckTest{"CMD", "bash", "-c", fmt.Sprintf(
				`exec 3<>/dev/tcp/127.0.0.1/%d && printf 'GET %%s HTTP/1.0\r\nHost: localhost\r\n\r\n' %s >&3 && read -r _ code _ <&3 && [ "${code#[23]}" != "$code" ]`,
				pr.Port, shellQuote(pr.Path))}
		default:
			return nil
		}
	case pr.Shell:
		hc.Test = append(types.HealthCheckTest{"CMD-SHELL"}, strings.Join(pr.Exec, " "))
	default:
		hc.Test = append(types.HealthCheckTest{"CMD"}, pr.Exec...)
	}
	interval, timeout := types.Duration(pr.Interval), types.Duration(pr.Timeout)
	retries := uint64(pr.Failures)
	start := types.Duration(30 * time.Second)
	hc.Interval, hc.Timeout, hc.Retries, hc.StartPeriod = &interval, &timeout, &retries, &start
	return hc
}

// dependencies adds depends_on for required sync calls and consumed queues:
// service_healthy where the target has a healthcheck. An edge that would
// close a cycle is left out (Compose refuses cycles) and reported.
func (cb *composeBuilder) dependencies() {
	deps := map[string]map[string]bool{}
	reaches := func(from, to string) bool {
		seen := map[string]bool{}
		var walk func(string) bool
		walk = func(s string) bool {
			if s == to {
				return true
			}
			if seen[s] {
				return false
			}
			seen[s] = true
			for t := range deps[s] {
				if walk(t) {
					return true
				}
			}
			return false
		}
		return walk(from)
	}
	add := func(c *lang.Component, attr string, from, to string) {
		if from == to || deps[from][to] {
			return
		}
		if reaches(to, from) {
			cb.n.info(c, attr, "Compose cannot start %s after %s: the services depend on each other; no depends_on is written for this call", from, to)
			return
		}
		if deps[from] == nil {
			deps[from] = map[string]bool{}
		}
		deps[from][to] = true
		cond := types.ServiceConditionStarted
		if cb.healthy[to] {
			cond = types.ServiceConditionHealthy
		}
		s := cb.project.Services[from]
		if s.DependsOn == nil {
			s.DependsOn = types.DependsOnConfig{}
		}
		s.DependsOn[to] = types.ServiceDependency{Condition: cond, Required: true}
		cb.project.Services[from] = s
	}
	for _, c := range cb.p.d.Components {
		var targets []string
		for _, call := range c.Calls {
			if call.Required && call.Sync() {
				targets = append(targets, cb.serviceNames(call.To)...)
			}
		}
		for _, cs := range c.Consumes {
			targets = append(targets, cb.serviceNames(cs.Queue)...)
		}
		for _, from := range cb.serviceNames(c) {
			for _, to := range targets {
				add(c, "", from, to)
			}
		}
	}
}

// serviceNames are the Compose services of a component: one, one per member
// of a cluster, or none when it is not deployed.
func (cb *composeBuilder) serviceNames(c *lang.Component) []string {
	if u := cb.p.byComp[c]; u != nil {
		if u.Members == 0 {
			return []string{u.Name}
		}
		names := make([]string, u.Members)
		for i := range names {
			names[i] = fmt.Sprintf("%s-%d", u.Name, i)
		}
		return names
	}
	if b := cb.p.lbOf[c]; b != nil {
		return []string{b.Name}
	}
	return nil
}

// inexpressible reports what Compose cannot express of a component.
func (cb *composeBuilder) inexpressible(c *lang.Component) {
	if !c.Kind.Deployable() {
		return
	}
	n := cb.n
	// Zones matter where Compose runs several instances; where it runs one,
	// the finding about the instances already says what is lost.
	if len(c.Zones) > 0 && cb.runs(c) > 1 {
		n.warn(c, "zones", "Compose has no zones: the instances of %s are not spread over %s", c.Addr, strings.Join(c.Zones, ", "))
		n.explain("Compose places every container on one Docker host, so the loss of a zone the design survives takes down all of %s. "+
			"Use the Kubernetes output where zones matter, or silence this finding for local runs.", c.Addr)
	}
	if c.Autoscale != nil {
		n.warn(c, "autoscale", "Compose does not autoscale: %s runs a fixed %d replica(s) (autoscale %d..%d ignored)",
			c.Addr, max(c.Replicas, 1), c.Autoscale.Min, c.Autoscale.Max)
	}
	if c.Rollout == "blue_green" || c.Rollout == "canary" {
		n.warn(c, rolloutAttr(c), "Compose has no %s rollout: `docker compose up` replaces the containers of %s in place", c.Rollout, c.Addr)
	} else if c.Deploy != nil {
		n.info(c, "deploy", "`docker compose up` recreates the containers of %s without its update_config (docker stack deploy, on Swarm, follows it)", c.Addr)
	}
	switch rl := c.RateLimit; {
	case rl == nil:
	case c.Kind == lang.KindLoadBalancer && proxyLimits(rl):
		scope := "source IP"
		if rl.Per == "global" {
			scope = "proxy"
		}
		if c.Replicas > 1 {
			scope += fmt.Sprintf(", counted apart in each of the %d proxies", c.Replicas)
		}
		n.info(c, "rate_limit", "the HAProxy of %s approximates its %s rate limit as at most %g requests in any second (rate + burst) per %s",
			c.Addr, rl.Algorithm, rl.Rate+rl.Burst, scope)
	default:
		n.warn(c, "rate_limit", "Compose output does not enforce the rate limit of %s (%g/s, burst %g, per %s)",
			c.Addr, rl.Rate, rl.Burst, rl.Per)
	}
	if c.Kind == lang.KindLoadBalancer && c.Public && len(c.Zones) == 0 && c.Replicas > 1 {
		n.info(c, "replicas", "Compose publishes the %d replicas of %s on consecutive host ports", c.Replicas, c.Addr)
	}
}

// hostPorts reports every host port two services publish: Docker starts
// the first and refuses the second ("port is already allocated"). A
// binding on every address (no host_ip) collides with any on the same port.
func (cb *composeBuilder) hostPorts() {
	type binding struct {
		service, ip string
		c           *lang.Component
	}
	byAddr := map[string]*lang.Component{}
	for _, c := range cb.p.d.Components {
		byAddr[c.Addr] = c
	}
	taken := map[string][]binding{} // "8080/tcp" -> bindings
	for _, name := range slices.Sorted(maps.Keys(cb.project.Services)) {
		s := cb.project.Services[name]
		c := byAddr[s.Labels["archform.component"]]
		for _, pc := range s.Ports {
			lo, hi, err := hostRange(pc.Published)
			if err != nil || c == nil {
				continue
			}
			for port := lo; port <= hi; port++ {
				key := fmt.Sprintf("%d/%s", port, pc.Protocol)
				b := binding{service: name, ip: pc.HostIP, c: c}
				for _, o := range taken[key] {
					if o.service == name || !sameAddress(o.ip, b.ip) {
						continue
					}
					cb.n.add(analyze.Error, c, "", map[string]any{"host_port": port, "protocol": pc.Protocol, "other": o.c.Addr},
						"host port %s is published by both %s and %s: Docker starts one and refuses the other (port is already allocated)",
						key, o.c.Addr, c.Addr)
					cb.n.explain("Give one of them another host_port in its port block, or leave the port unpublished and reach it through the other.")
				}
				taken[key] = append(taken[key], b)
			}
		}
	}
}

// hostRange reads a published port or range ("8080", "8080-8082").
func hostRange(published string) (lo, hi int, err error) {
	a, b, isRange := strings.Cut(published, "-")
	if lo, err = strconv.Atoi(a); err != nil {
		return 0, 0, err
	}
	hi = lo
	if isRange {
		hi, err = strconv.Atoi(b)
	}
	return lo, hi, err
}

// sameAddress reports whether two host addresses overlap: equal, or one of
// them every address.
func sameAddress(a, b string) bool {
	any := func(ip string) bool { return ip == "" || ip == "0.0.0.0" || ip == "::" || ip == "[::]" }
	return a == b || any(a) || any(b)
}

// runs is the number of containers Compose runs for a component.
func (cb *composeBuilder) runs(c *lang.Component) int {
	if u := cb.p.byComp[c]; u != nil {
		return cb.replicas[u]
	}
	if b := cb.p.lbOf[c]; b != nil {
		return b.Replicas
	}
	return 0
}

// validateCompose loads the generated project back with compose-go, schema
// validation and consistency checks on, from a scratch directory holding
// every generated file (so that configs resolve).
func validateCompose(files []File) error {
	dir, err := os.MkdirTemp("", "archform-compose-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	var main []byte
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(f.Name)), f.Data, 0o644); err != nil {
			return err
		}
		if f.Name == ComposeFile {
			main = f.Data
		}
	}
	details := types.ConfigDetails{
		WorkingDir:  dir,
		ConfigFiles: []types.ConfigFile{{Filename: filepath.Join(dir, ComposeFile), Content: main}},
		Environment: types.Mapping{},
	}
	_, err = loader.LoadWithContext(context.Background(), details, func(o *loader.Options) {
		o.SetProjectName("archform", true)
		o.SkipResolveEnvironment = true
		// compose-go caps its YAML node visits (100,000 by default) against
		// alias bombs; archform's own output has no aliases, and has fewer
		// nodes than bytes: a 2,500-component project needs more than the
		// default, never more than that.
		o.MaxNodeVisits = max(100000, 2*len(main))
	})
	return err
}
