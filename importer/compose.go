package importer

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/archform/archform/internal/credential"
	"github.com/archform/archform/lang"
	"github.com/compose-spec/compose-go/v2/dotenv"
	interp "github.com/compose-spec/compose-go/v2/interpolation"
	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/template"
	"github.com/compose-spec/compose-go/v2/types"
)

// Compose imports a Compose project: the files are merged as
// `docker compose -f a -f b` merges them, with the first file's directory as
// the working directory. Variables come from a .env file in that directory
// (never from the process environment, so that the import is the same on
// every machine); an unset variable stays written as ${NAME}. Files the
// project refers to (Dockerfiles, env files, secrets, configs) need not
// exist. A directory stands for the Compose file in it (compose.yaml,
// compose.yml, docker-compose.yaml or docker-compose.yml), as for docker
// compose.
func Compose(files []string) (*Result, error) {
	if len(files) == 0 {
		return nil, errors.New("no Compose file given")
	}
	files, err := composeFiles(files)
	if err != nil {
		return nil, err
	}
	p, err := loadCompose(files)
	if err != nil {
		return nil, err
	}
	return finish(fromCompose(p, files))
}

// composeFileNames are the names docker compose looks for, in its order.
var composeFileNames = []string{"compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"}

// composeFiles replaces each directory by the Compose file in it.
func composeFiles(paths []string) ([]string, error) {
	out := make([]string, 0, len(paths))
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, fileError(p, err)
		}
		if !fi.IsDir() {
			out = append(out, p)
			continue
		}
		found := ""
		for _, name := range composeFileNames {
			if fi, err := os.Stat(filepath.Join(p, name)); err == nil && !fi.IsDir() {
				found = filepath.Join(p, name)
				break
			}
		}
		if found == "" {
			return nil, &InputError{File: p, Err: fmt.Errorf("no Compose file in this directory (%s)", strings.Join(composeFileNames, ", "))}
		}
		out = append(out, found)
	}
	return out, nil
}

func loadCompose(files []string) (*types.Project, error) {
	dir, err := filepath.Abs(filepath.Dir(files[0]))
	if err != nil {
		return nil, err
	}
	details := types.ConfigDetails{WorkingDir: dir, Environment: types.Mapping{}}
	for _, f := range files {
		data, err := lang.ReadInput(f, lang.MaxFileSize)
		if err == nil {
			err = lang.CheckYAMLDepth(data)
		}
		if err != nil {
			return nil, fileError(f, err)
		}
		if strings.TrimSpace(string(data)) == "" {
			return nil, &InputError{File: f, Err: errors.New("empty file: not a Compose file")}
		}
		details.ConfigFiles = append(details.ConfigFiles, types.ConfigFile{Filename: f, Content: data})
	}
	if env, err := dotenv.Read(filepath.Join(dir, ".env")); err == nil {
		details.Environment = env
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, &InputError{File: filepath.Join(dir, ".env"), Err: err}
	}
	p, err := loader.LoadWithContext(context.Background(), details, func(o *loader.Options) {
		o.SetProjectName(projectName(files[0]), false) // a name: in the file wins
		o.ResolvePaths = false
		o.SkipResolveEnvironment = true
		o.SkipConsistencyCheck = true
		o.Profiles = []string{"*"}
		o.Interpolate = &interp.Options{
			LookupValue: details.LookupEnv,
			Substitute:  keepUnset,
		}
	})
	if err != nil {
		return nil, composeError(details.ConfigFiles, err)
	}
	if len(p.Services) == 0 {
		return nil, &InputError{File: files[0], Err: errors.New("no services: not a Compose file")}
	}
	for _, name := range slices.Sorted(maps.Keys(p.Services)) {
		s := p.Services[name]
		if s.Deploy == nil || s.Deploy.Replicas == nil || *s.Deploy.Replicas <= lang.MaxInstances {
			continue
		}
		file := details.ConfigFiles[0]
		for _, f := range details.ConfigFiles {
			if strings.Contains(string(f.Content), fmt.Sprint(*s.Deploy.Replicas)) {
				file = f
			}
		}
		return nil, &InputError{File: file.Filename, Line: fieldLine(document{data: file.Content, line: 1}, "deploy.replicas"),
			Err: fmt.Errorf("service %q: deploy.replicas %d is more than the %d instances archform models for one component", name, *s.Deploy.Replicas, lang.MaxInstances)}
	}
	return p, nil
}

// keepUnset substitutes variables like Compose does, except that a variable
// that is unset (and has no default) stays as written: the design shows
// ${NAME} where the user's environment fills it in.
func keepUnset(s string, m template.Mapping) (string, error) {
	return template.SubstituteWithOptions(s, m, template.WithoutLogging,
		template.WithReplacementFunction(func(sub string, m template.Mapping, cfg *template.Config) (string, error) {
			v, applied, err := template.DefaultReplacementAppliedFunc(sub, m, cfg)
			if err != nil || !applied {
				var missing *template.MissingRequiredError
				if err == nil || errors.As(err, &missing) {
					return sub, nil
				}
				return "", err
			}
			return v, nil
		}))
}

var (
	falseSchemaRE = regexp.MustCompile(`^(?:(\S+)\.)?([^.\s]+) false schema$`)
	quotedRE      = regexp.MustCompile(`'([^']+)'`)
	additionalRE  = regexp.MustCompile(`^(.*?)additional propert(?:y|ies) ((?:'[^']+'(?:, )?)+) not allowed$`)
)

// composeError turns a loader error into an InputError: the file it is
// about (compose-go names it in most messages; otherwise the first file),
// the line (the parser's, else the line that writes the offending key) and
// a message on one line without compose-go's "validating FILE:" prefix.
func composeError(files []types.ConfigFile, err error) error {
	msg := strings.Join(strings.Fields(err.Error()), " ")
	file := files[0]
	for _, f := range files {
		if strings.Contains(msg, f.Filename) {
			file = f
		}
	}
	for _, prefix := range []string{"validating " + file.Filename + ":", file.Filename + ":", "failed to parse " + file.Filename + ":"} {
		msg = strings.TrimSpace(strings.TrimPrefix(msg, prefix))
	}
	msg = strings.Replace(msg, "decoding failed due to the following error(s): ", "", 1)
	ie := inputError(file.Filename, 0, errors.New(msg))
	doc := document{data: file.Content, line: 1}
	var key string
	switch m := falseSchemaRE.FindStringSubmatch(msg); {
	case m != nil:
		key = m[2]
		where := m[1]
		if where == "" {
			where = "the top level"
		}
		ie.Err = fmt.Errorf("%s: %q is not a Compose attribute", where, key)
	case additionalRE.MatchString(msg):
		// compose-go lists the properties in map order: sort them, and
		// point at the first one written.
		m := additionalRE.FindStringSubmatch(msg)
		var keys []string
		for _, q := range quotedRE.FindAllStringSubmatch(m[2], -1) {
			keys = append(keys, q[1])
			if l := fieldLine(doc, q[1]); l > 0 && (ie.Line == 0 || l < ie.Line) {
				ie.Line = l
			}
		}
		sort.Strings(keys)
		msg = m[1] + "additional properties '" + strings.Join(keys, "', '") + "' not allowed"
		if slices.Contains(keys, "apiVersion") && slices.Contains(keys, "kind") {
			msg += " (this looks like Kubernetes manifests: use archform import kubernetes)"
		}
		ie.Err = errors.New(msg)
	default:
		if m := quotedRE.FindStringSubmatch(msg); m != nil {
			key = m[1]
		}
	}
	if ie.Line == 0 && key != "" {
		ie.Line = fieldLine(doc, key)
	}
	return ie
}

// projectName is Compose's project name when the file sets none: the file's
// name without its extension and a compose suffix
// (nginx-golang.compose.yaml → nginx-golang), or the directory's name for
// compose.yaml and docker-compose.yml.
func projectName(file string) string {
	base := strings.ToLower(filepath.Base(file))
	base = strings.TrimSuffix(strings.TrimSuffix(base, ".yaml"), ".yml")
	for _, s := range []string{"docker-compose", "compose"} {
		base = strings.TrimSuffix(strings.TrimSuffix(base, "."+s), "-"+s)
		if base == s {
			base = ""
		}
	}
	if base == "" {
		if abs, err := filepath.Abs(filepath.Dir(file)); err == nil {
			base = filepath.Base(abs)
		}
	}
	name := loader.NormalizeProjectName(base)
	if name == "" {
		name = "imported"
	}
	return name
}

func fromCompose(p *types.Project, files []string) *design {
	d := &design{system: identifier(p.Name), source: "Compose " + strings.Join(baseNames(files), ", ")}
	taken := names{}
	comps := map[string]*component{}
	var svcs []types.ServiceConfig
	for _, name := range slices.Sorted(maps.Keys(p.Services)) {
		svcs = append(svcs, p.Services[name])
		comps[name] = &component{service: name}
	}
	scanCompose(d, p, files, comps)
	var public []*component
	for _, s := range svcs {
		c := comps[s.Name]
		composeComponent(d, p, s, taken, len(c.evidence) > 0, c)
		d.comps = append(d.comps, c)
		if c.public {
			public = append(public, c)
			c.public = false // until addClient makes it an entry
		}
	}
	for _, c := range d.comps {
		for to := range c.evidence {
			c.call(to)
		}
	}
	addClient(d, taken, public, "publish ports")
	d.fill = append(d.fill,
		"zones: Compose runs on one host; declare a region with zones and place each component",
		"capacity_rps and latency of every component: what one instance sustains, and the mean time it adds",
		"call ops (read, write), timeouts and retries; consume blocks for queue consumers",
		"flow blocks for what users do, with their SLOs (system slo, flow slo)")
	return d
}

// composeComponent is one Compose service as a component.
func composeComponent(d *design, p *types.Project, s types.ServiceConfig, taken names, backends bool, c *component) {
	g, known := classifyService(s.Image, s.Name)
	if g.kind == lang.KindLoadBalancer && !backends {
		// nginx, Traefik, ... in front of nothing serve files or route to
		// what the project does not hold: the container is the service.
		g.kind = lang.KindService
		d.guess("service.%s: a service, as image %q proxies no other service of the project", identifier(s.Name), s.Image)
		known = false
	}
	c.kind, c.engine = g.kind, g.engine
	c.role = roleOf(s.Image, s.Name)
	if c.kind == lang.KindService && c.role == "" && backends && gatewayName(s.Name) {
		c.kind = lang.KindGateway
		d.guess("gateway.%s: a gateway, as its name says and it calls other components", identifier(s.Name))
	}
	c.name = taken.take(c.kind, s.Name)
	if c.role != "" {
		d.guess("%s: role %s from its name or image: off user flows (calls to it are off their callers' paths)", c.addr(), c.role)
	}
	c.image = s.Image
	switch {
	case s.Image == "" && s.Build != nil:
		c.image = p.Name + "-" + s.Name
		d.guess("%s: no image, built from %s; image %q is the name `docker compose build` gives it", c.addr(), buildContext(s.Build), c.image)
	case s.Image == "":
		d.guess("%s: no image and no build", c.addr())
	case known:
		d.guess("%s: %s%s from image %q", c.addr(), c.kind, withEngine(c.engine), s.Image)
	}
	if c.kind == lang.KindLoadBalancer {
		// archform deploys its own proxy (HAProxy) for a load balancer.
		c.image = ""
		d.guess("%s: archform deploys its own proxy for a load balancer; its backends are the calls found in its configuration", c.addr())
	}
	replicas := 0
	if s.Deploy != nil && s.Deploy.Replicas != nil {
		replicas = *s.Deploy.Replicas
	} else if s.Scale != nil {
		replicas = *s.Scale
	}
	setReplicas(d, c, replicas)
	c.command = append([]string(nil), s.Command...)
	if s.Entrypoint != nil {
		c.entrypoint = append([]string{}, s.Entrypoint...)
	}
	redactCommand(d, c)
	composePorts(d, c, s)
	env, passthrough := composeEnv(s.Environment)
	environment(d, c, env)
	c.passthrough = passthrough
	if s.Deploy != nil {
		if r := s.Deploy.Resources.Reservations; r != nil {
			c.cpu, c.memory = cpuQuantity(float64(r.NanoCPUs)), memQuantity(int64(r.MemoryBytes))
		}
		if r := s.Deploy.Resources.Limits; r != nil && c.cpu == "" && c.memory == "" {
			c.cpu, c.memory = cpuQuantity(float64(r.NanoCPUs)), memQuantity(int64(r.MemoryBytes))
		}
	}
	c.health = composeHealth(d, c, s.HealthCheck)
	composeVolumes(d, c, s.Volumes)
	if len(s.EnvFiles) > 0 {
		d.skip("%s: env_file %s (read for addresses only; add what the design needs to env or secrets)", c.addr(), envFileNames(s.EnvFiles))
	}
}

// loadGenerator reports whether a component generates test traffic
// (locust, k6, a load or seed job): what it calls is still an entry.
func loadGenerator(image, name string) bool {
	for _, w := range strings.FieldsFunc(strings.ToLower(image+" "+name), func(r rune) bool {
		return r == '-' || r == '_' || r == '.' || r == '/' || r == ':' || r == ' '
	}) {
		switch w {
		case "load", "loadgen", "loadgenerator", "loadtest", "locust", "k6", "jmeter", "gatling", "vegeta", "sim", "simulator", "seed":
			return true
		}
	}
	return false
}

// gatewayName reports whether a service's name says it is an API gateway
// (api-gateway, gateway, webshoppingapigw).
func gatewayName(name string) bool {
	n := strings.ToLower(name)
	return strings.Contains(n, "gateway") || strings.HasSuffix(n, "apigw") || strings.HasSuffix(n, "-gw")
}

// loopback reports whether a published port's host address keeps it on the
// host itself (127.0.0.1:8080:80).
func loopback(hostIP string) bool {
	ip := net.ParseIP(strings.Trim(hostIP, "[]"))
	return ip != nil && ip.IsLoopback()
}

func withEngine(e string) string {
	if e == "" {
		return ""
	}
	return " " + e
}

func buildContext(b *types.BuildConfig) string {
	if b.Context == "" {
		return "."
	}
	return b.Context
}

func envFileNames(fs []types.EnvFile) string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Path)
	}
	return strings.Join(out, ", ")
}

func baseNames(files []string) []string {
	out := make([]string, len(files))
	for i, f := range files {
		out[i] = filepath.Base(f)
	}
	return out
}

// composeEnv flattens Compose's environment into the variables with a
// value and those without one (environment: [NAME], passed through from
// the shell that runs docker compose), sorted.
func composeEnv(m types.MappingWithEquals) (env map[string]string, passthrough []string) {
	env = map[string]string{}
	for k, v := range m {
		if v == nil {
			passthrough = append(passthrough, k)
		} else {
			env[k] = *v
		}
	}
	sort.Strings(passthrough)
	return env, passthrough
}

// composePorts reads a service's ports and expose: every container port,
// and a port block for each UDP port and each port published on the host
// (with its host port and address).
func composePorts(d *design, c *component, s types.ServiceConfig) {
	tcp := map[int]bool{}
	specs := map[portSpec]bool{}
	add := func(p portSpec) {
		if p.protocol == "tcp" && p.hostPort == 0 {
			tcp[p.number] = true
			return
		}
		if !specs[p] {
			specs[p] = true
			c.portSpecs = append(c.portSpecs, p)
		}
	}
	for _, pc := range s.Ports {
		if pc.Target == 0 || pc.Target > 65535 {
			continue
		}
		p := portSpec{number: int(pc.Target), protocol: strings.ToLower(pc.Protocol)}
		if p.protocol == "" {
			p.protocol = "tcp"
		}
		if p.protocol != "tcp" && p.protocol != "udp" {
			d.skip("%s: port %d/%s (a design's ports are tcp or udp)", c.addr(), p.number, p.protocol)
			continue
		}
		if pc.Published != "" && !loopback(pc.HostIP) {
			c.public = true
		}
		switch n, err := strconv.Atoi(pc.Published); {
		case pc.Published == "":
			d.guess("%s: port %d/%s is published on a host port Docker picks: written as a container port, not published", c.addr(), p.number, p.protocol)
		case err != nil || n < 1 || n > 65535:
			d.skip("%s: port %d/%s published on host ports %s (a port block publishes one host port)", c.addr(), p.number, p.protocol, pc.Published)
		default:
			p.hostPort, p.hostIP = n, pc.HostIP
		}
		add(p)
	}
	published := func(n int, proto string) bool {
		for p := range specs {
			if p.number == n && p.protocol == proto {
				return true
			}
		}
		return false
	}
	for _, e := range s.Expose {
		num, proto, _ := strings.Cut(e, "/")
		lo, _, _ := strings.Cut(num, "-")
		n, err := strconv.Atoi(lo)
		if err != nil || n < 1 || n > 65535 {
			continue
		}
		if proto == "" {
			proto = "tcp"
		}
		if !published(n, proto) {
			add(portSpec{number: n, protocol: proto})
		}
	}
	for p := range tcp {
		if !published(p, "tcp") {
			c.ports = append(c.ports, p)
		}
	}
	sort.Ints(c.ports)
}

// setReplicas writes the instance count: replicas, or for a database a
// replication block (a database's instances are a primary and replicas).
func setReplicas(d *design, c *component, n int) {
	switch {
	case n <= 1 && c.kind != lang.KindDatabase:
		if n == 1 {
			c.replicas = 1
		}
	case c.kind == lang.KindDatabase && n > 1:
		c.repl = n - 1
		d.guess("%s: %d instances read as a primary and %d async replicas; check how they replicate", c.addr(), n, n-1)
	case n > 1:
		c.replicas = n
	}
}

// environment splits a container's environment into env and secrets.
// Values of secret-looking variables are never copied: they become
// references to a secret the user creates. VAR_FILE=/run/secrets/NAME (the
// Docker secrets convention) becomes VAR read from secret NAME.
func environment(d *design, c *component, env map[string]string) {
	var hidden []string
	for _, k := range slices.Sorted(maps.Keys(env)) {
		v := env[k]
		if base, ok := strings.CutSuffix(k, "_FILE"); ok && strings.HasPrefix(v, "/run/secrets/") {
			name := noSlash(strings.TrimPrefix(v, "/run/secrets/"))
			setSecret(c, base, name+"/value")
			d.guess("%s: %s reads the Docker secret %s: written as secrets[%q] = %q", c.addr(), k, name, base, name+"/value")
			continue
		}
		if _, ok := credential.Find(k, v); ok {
			setSecret(c, k, secretRef(c.name, k))
			hidden = append(hidden, k)
			continue
		}
		if c.env == nil {
			c.env = map[string]string{}
		}
		c.env[k] = v
	}
	if len(hidden) > 0 {
		verb := "looks like a credential"
		if len(hidden) > 1 {
			verb = "look like credentials"
		}
		d.guess("%s: %s %s: not copied; create the secrets its secrets name", c.addr(), strings.Join(hidden, ", "), verb)
	}
}

func setSecret(c *component, env, ref string) {
	if c.secrets == nil {
		c.secrets = map[string]string{}
	}
	c.secrets[env] = ref
}

// addClient adds client.users calling the entry components.
//
// Users enter through load balancers and gateways that are reachable, and
// through reachable services no other application component calls (a
// frontend); a datastore's or a telemetry, discovery or admin component's
// published port is not an entry, nor is a service that others call (its
// published port is for debugging). Each entry gets its own client and a
// flow from it, whose rps the user fills in.
func addClient(d *design, taken names, reachable []*component, why string) {
	called := map[*component]bool{}
	for _, c := range d.comps {
		if c.role != "" || loadGenerator(c.image, c.service) {
			continue
		}
		for _, to := range c.calls {
			called[to] = true
		}
	}
	var entries []*component
	for _, c := range reachable {
		switch {
		case c.role != "":
			d.guess("%s: reachable (%s) but not an entry point: its role is %s", c.addr(), why, c.role)
		case c.kind == lang.KindLoadBalancer || c.kind == lang.KindGateway || c.kind == lang.KindCDN:
			entries = append(entries, c)
		case c.kind == lang.KindService && !called[c]:
			entries = append(entries, c)
		case c.kind == lang.KindService:
			d.guess("%s: reachable (%s) but not an entry point: other components call it", c.addr(), why)
		default:
			d.guess("%s: reachable (%s) but not an entry point: a %s", c.addr(), why, c.kind)
		}
	}
	if len(entries) == 0 {
		d.fill = append(d.fill, "a client block for where traffic comes from, calling the component users reach, and a flow from it")
		return
	}
	for _, e := range entries {
		e.public = true
		cl := &component{kind: lang.KindClient, name: taken.take(lang.KindClient, e.name)}
		cl.call(e)
		d.comps = append(d.comps, cl)
		d.flows = append(d.flows, flow{name: cl.name, entry: cl})
		d.guess("%s: added with flow %q: users enter at %s (%s)", cl.addr(), cl.name, e.addr(), why)
		d.fill = append(d.fill, cl.addr()+": rps (requests per second at peak) and read_ratio; until then its flow carries no load")
	}
}

// composeHealth reads a healthcheck: timing always; the path and port only
// from an HTTP URL in the test command (curl/wget http://localhost:8080/x).
func composeHealth(d *design, c *component, hc *types.HealthCheckConfig) *health {
	if hc == nil || hc.Disable || len(hc.Test) > 0 && hc.Test[0] == "NONE" {
		return nil
	}
	h := &health{}
	if hc.Interval != nil {
		h.interval = duration(time.Duration(*hc.Interval))
	}
	if hc.Timeout != nil {
		h.timeout = duration(time.Duration(*hc.Timeout))
	}
	if hc.Retries != nil && *hc.Retries > 0 && *hc.Retries < 1<<31 {
		h.unhealthyThreshold = int(*hc.Retries)
	}
	for _, arg := range hc.Test {
		for _, f := range strings.Fields(arg) {
			f = strings.Trim(f, `"'`)
			for _, local := range []string{"localhost", "127.0.0.1", "0.0.0.0"} {
				if strings.HasPrefix(f, local+":") || strings.HasPrefix(f, local+"/") {
					f = "http://" + f // curl's default scheme
				}
			}
			if !strings.HasPrefix(f, "http://") && !strings.HasPrefix(f, "https://") {
				continue
			}
			path, port := urlProbe(f)
			if path != "" {
				h.path, h.port = path, port
			}
		}
	}
	if h.path == "" && len(hc.Test) > 0 {
		d.skip("%s: the health check command %q (a design's health_check is an HTTP path or a port; archform probes known engines its own way)",
			c.addr(), redactText(strings.Join(hc.Test[min(1, len(hc.Test)-1):], " ")))
	}
	return h
}

// composeVolumes keeps the first named or anonymous volume as the
// component's volume (with its name), and the other volumes and the bind
// mounts of host files as mount blocks.
func composeVolumes(d *design, c *component, vols []types.ServiceVolumeConfig) {
	targets := map[string]bool{}
	for _, v := range vols {
		if !strings.HasPrefix(v.Target, "/") || targets[v.Target] {
			d.skip("%s: the %s mount at %q (a mount's target is a distinct absolute path)", c.addr(), v.Type, v.Target)
			continue
		}
		switch {
		case v.Type == types.VolumeTypeVolume && c.volume == nil && !v.ReadOnly && validVolumeName(v.Source):
			c.volume = &volume{path: v.Target, name: v.Source}
		case v.Type == types.VolumeTypeVolume && validVolumeName(v.Source):
			c.mounts = append(c.mounts, mount{typ: "volume", source: v.Source, target: v.Target, readOnly: v.ReadOnly})
		case v.Type == types.VolumeTypeBind && v.Source != "":
			c.mounts = append(c.mounts, mount{typ: "bind", source: v.Source, target: v.Target, readOnly: v.ReadOnly})
		default:
			d.skip("%s: the %s mount %s:%s", c.addr(), v.Type, v.Source, v.Target)
			continue
		}
		targets[v.Target] = true
	}
}

var volumeNameRE = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9._-]*$`)

// validVolumeName reports whether the language takes a volume's name (""
// is an anonymous volume).
func validVolumeName(s string) bool { return s == "" || volumeNameRE.MatchString(s) }

// duration writes d in the language's units, in whole milliseconds (at
// least one), or "" for none.
func duration(d time.Duration) string {
	if d <= 0 {
		return ""
	}
	return lang.FormatDuration(max(d.Truncate(time.Millisecond), time.Millisecond))
}

// cpuQuantity writes a CPU count (0.5) as a Kubernetes quantity ("500m").
func cpuQuantity(cpus float64) string {
	if cpus <= 0 {
		return ""
	}
	return fmt.Sprintf("%dm", int64(cpus*1000+0.5))
}

// memQuantity writes bytes as a Kubernetes quantity, in Mi when whole.
func memQuantity(b int64) string {
	switch {
	case b <= 0:
		return ""
	case b%(1<<30) == 0:
		return fmt.Sprintf("%dGi", b>>30)
	case b%(1<<20) == 0:
		return fmt.Sprintf("%dMi", b>>20)
	}
	return strconv.FormatInt(b, 10)
}
