package importer

import (
	"fmt"
	"github.com/archform/archform/lang"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
)

// composeScan finds the calls of a Compose project's services.
type composeScan struct {
	d     *design
	p     *types.Project
	dir   string // the project's directory: no file outside it is read
	files []composeFile
	r     *resolver
	comps map[string]*component // service name → its component
	// srcDirs is each service's source tree: its build context, else a
	// directory of the project named as the service or its image.
	srcDirs map[string]string
	// served are the directories a Spring Cloud Config server serves to
	// its clients, by the server's service name; a server's own scan
	// leaves them out.
	served map[string][]string
	// appNames are the Spring application names services declare.
	appNames map[string]string
	// configServer is the config server a service imports its
	// configuration from.
	configServer map[string]string
}

type composeFile struct {
	name  string
	lines []string
}

// scanCompose finds every service's calls and records them on the
// components, with their evidence.
func scanCompose(d *design, p *types.Project, paths []string, comps map[string]*component) {
	sc := &composeScan{d: d, p: p, dir: p.WorkingDir, r: newResolver(), comps: comps,
		srcDirs: map[string]string{}, served: map[string][]string{}, appNames: map[string]string{}, configServer: map[string]string{}}
	for _, f := range paths {
		data, _ := lang.ReadInput(f, lang.MaxFileSize)
		sc.files = append(sc.files, composeFile{name: relPath(sc.dir, mustAbs(f)), lines: strings.Split(string(data), "\n")})
	}
	names := slices.Sorted(maps.Keys(p.Services))
	for _, name := range names {
		sc.r.alias(name, comps[name])
	}
	for _, name := range names {
		s := p.Services[name]
		c := comps[name]
		sc.r.alias(s.ContainerName, c)
		sc.r.alias(s.Hostname, c)
		for _, n := range s.Networks {
			if n != nil {
				for _, a := range n.Aliases {
					sc.r.alias(a, c)
				}
			}
		}
		for _, l := range s.Links {
			if target, alias, ok := strings.Cut(l, ":"); ok {
				if to := comps[target]; to != nil {
					sc.r.alias(alias, to)
				}
			}
		}
		for _, h := range s.ExtraHosts {
			for host := range strings.FieldsSeq(strings.ReplaceAll(strings.Join(h, " "), ",", " ")) {
				if net := strings.ToLower(host); sc.r.hosts[net] == nil {
					sc.r.outside[net] = true
				}
			}
		}
	}
	for _, name := range names {
		sc.findSource(p.Services[name])
	}
	for _, name := range names {
		sc.scanService(p.Services[name])
	}
	sc.springConfig(names)
	for _, name := range names {
		sc.weak(p.Services[name])
	}
}

func mustAbs(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// where finds the Compose file and line that set key in a service (the
// last file that does, as later files override), for evidence.
func (sc *composeScan) where(service, key string) string {
	for i := len(sc.files) - 1; i >= 0; i-- {
		f := sc.files[i]
		in := false
		for n, l := range f.lines {
			t := strings.TrimSpace(l)
			if strings.HasPrefix(l, "  ") && strings.TrimSuffix(t, ":") == service && strings.HasSuffix(t, ":") {
				in = true
				continue
			}
			if in && len(l) > 0 && l[0] != ' ' && l[0] != '#' {
				in = false
			}
			if in && strings.Contains(l, key) {
				return fmt.Sprintf("%s:%d", f.name, n+1)
			}
		}
	}
	if len(sc.files) > 0 {
		return sc.files[0].name
	}
	return "compose"
}

// findSource sets a service's source tree and, for a Spring Cloud Config
// server, the directories it serves.
func (sc *composeScan) findSource(s types.ServiceConfig) {
	var dir string
	if s.Build != nil && s.Build.Context != "" && !strings.Contains(s.Build.Context, "://") {
		dir = s.Build.Context
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(sc.dir, dir)
		}
		if df := s.Build.Dockerfile; df != "" && !filepath.IsAbs(df) && filepath.Dir(df) != "." {
			// A context shared by many images (the project's root, with
			// dockerfile: Services/X/Dockerfile): the image's own
			// directory is the Dockerfile's.
			dir = filepath.Join(dir, filepath.Dir(df))
		}
		if rel, err := filepath.Rel(sc.dir, dir); err == nil && rel == "." {
			return // the whole project is no one service's source
		}
	} else {
		cands := []string{s.Name}
		if s.Image != "" {
			repo := s.Image
			if i := strings.LastIndex(repo, ":"); i > strings.LastIndex(repo, "/") {
				repo = repo[:i]
			}
			cands = append(cands, repo[strings.LastIndex(repo, "/")+1:])
		}
		for _, cand := range cands {
			if fi, err := os.Stat(filepath.Join(sc.dir, cand)); err == nil && fi.IsDir() && cand != "" && !strings.ContainsAny(cand, "$/") {
				dir = filepath.Join(sc.dir, cand)
				break
			}
		}
	}
	if dir == "" || !within(sc.dir, dir) {
		return
	}
	sc.srcDirs[s.Name] = dir
	for _, f := range configFiles(dir, nil) {
		settings, err := readSettings(f)
		if err != nil {
			continue
		}
		for _, st := range settings {
			key := strings.ToLower(st.key)
			switch {
			case strings.HasSuffix(key, "config.server.native.search-locations") || strings.HasSuffix(key, "config.server.native.searchlocations"):
				for loc := range strings.SplitSeq(st.value, ",") {
					loc = strings.TrimSpace(withDefaults(loc))
					if rest, ok := strings.CutPrefix(loc, "classpath:"); ok {
						sc.served[s.Name] = append(sc.served[s.Name], filepath.Join(dir, "src", "main", "resources", strings.Trim(rest, "/")))
					}
				}
			case strings.HasSuffix(key, "config.server.git.uri"):
				repo := strings.TrimSuffix(strings.TrimRight(st.value, "/"), ".git")
				local := filepath.Join(sc.dir, repo[strings.LastIndex(repo, "/")+1:])
				if fi, err := os.Stat(local); err == nil && fi.IsDir() && within(sc.dir, local) {
					sc.served[s.Name] = append(sc.served[s.Name], local)
				}
			}
		}
	}
}

// scanService reads everything of one service that can name a host.
func (sc *composeScan) scanService(s types.ServiceConfig) {
	c := sc.comps[s.Name]
	if c.evidence == nil {
		c.evidence = found{}
	}
	configured := false
	for _, k := range slices.Sorted(maps.Keys(s.Environment)) {
		v := s.Environment[k]
		if v == nil || secretSetting(k) {
			continue // never read a secret's value
		}
		if sc.r.scanInto(c.evidence, c, "", *v, addressWord(k), sc.where(s.Name, k)+" environment "+k) {
			configured = true
		}
	}
	for _, ef := range s.EnvFiles {
		path := ef.Path
		if !filepath.IsAbs(path) {
			path = filepath.Join(sc.dir, path)
		}
		if sc.scanFiles(c, []string{path}, true) {
			configured = true
		}
	}
	if len(s.Entrypoint) > 0 && sc.r.scanCommand(c.evidence, c, "", s.Entrypoint, sc.where(s.Name, "entrypoint")+" entrypoint") {
		configured = true
	}
	if len(s.Command) > 0 && sc.r.scanCommand(c.evidence, c, "", s.Command, sc.where(s.Name, "command")+" command") {
		configured = true
	}
	for _, v := range s.Volumes {
		if v.Type != types.VolumeTypeBind || v.Source == "" {
			continue
		}
		src := v.Source
		if !filepath.IsAbs(src) {
			src = filepath.Join(sc.dir, src)
		}
		if within(sc.dir, src) && sc.scanFiles(c, configFiles(src, nil), false) {
			configured = true
		}
	}
	for _, ref := range s.Configs {
		cfg, ok := sc.p.Configs[ref.Source]
		if !ok {
			continue
		}
		switch {
		case cfg.File != "":
			path := cfg.File
			if !filepath.IsAbs(path) {
				path = filepath.Join(sc.dir, path)
			}
			if within(sc.dir, path) && sc.scanFiles(c, []string{path}, false) {
				configured = true
			}
		case cfg.Content != "":
			for _, st := range lineSettings([]byte(cfg.Content)) {
				if sc.r.scanInto(c.evidence, c, "", st.value, st.address, fmt.Sprintf("configs.%s.content line %d", ref.Source, st.line)) {
					configured = true
				}
			}
		}
	}
	if dir := sc.srcDirs[s.Name]; dir != "" {
		skip := map[string]bool{}
		for _, dirs := range sc.served {
			for _, d := range dirs {
				skip[d] = true
			}
		}
		if sc.scanFiles(c, configFiles(dir, skip), false) {
			configured = true
		}
	}
	for _, l := range s.Links {
		target, _, _ := strings.Cut(l, ":")
		if to := sc.comps[target]; to != nil && to != c {
			c.evidence.add(to, sc.where(s.Name, l)+" links "+l)
			configured = true
		}
	}
	c.noCalls = !configured
}

// scanFiles scans configuration files for a component; env is true for
// env_file files, whose secret-looking keys are not read. It also notes the
// Spring application name and the config server the files name.
func (sc *composeScan) scanFiles(c *component, files []string, env bool) bool {
	configured := false
	for _, f := range files {
		settings, err := readSettings(f)
		if err != nil {
			continue
		}
		rel := relPath(sc.dir, f)
		if grafanaDatasource(f) && !strings.Contains(strings.ToLower(sc.p.Services[c.service].Image+" "+c.service), "grafana") {
			// Grafana's data sources, mounted into another container
			// (a job that uploads them): Grafana's calls, not its.
			continue
		}
		for _, st := range settings {
			if secretSetting(lastKey(st.key)) {
				continue
			}
			key := strings.ToLower(st.key)
			if key == "spring.application.name" {
				sc.appNames[c.service] = strings.TrimSpace(withDefaults(st.value))
			}
			if sc.r.scanInto(c.evidence, c, "", st.value, st.address || env && addressWord(st.key), lineRef(rel, st.line)+" "+st.key) {
				configured = true
			}
			if strings.Contains(key, "config.uri") || strings.Contains(key, "config.import") {
				for _, h := range scanHosts(st.value, true) {
					if tos, _ := sc.r.lookup(h, ""); len(tos) == 1 && tos[0] != c {
						sc.configServer[c.service] = tos[0].service
					}
				}
			}
		}
	}
	return configured
}

// springConfig reads, for each service that imports its configuration from
// a Spring Cloud Config server of the project, the file that server serves
// it alone: <application name>.* in the server's search locations (its
// classpath directories, or a local checkout of its git repository). The
// shared application.* every client receives is not read for calls: it
// names what some clients use (a tracer, a broker, the registry) and every
// client gets it whether it uses them or not; the header lists the hosts it
// names.
func (sc *composeScan) springConfig(names []string) {
	for _, server := range slices.Sorted(maps.Keys(sc.served)) {
		seen := map[string]bool{}
		for _, dir := range sc.served[server] {
			for _, ext := range []string{".yml", ".yaml", ".properties"} {
				settings, err := readSettings(filepath.Join(dir, "application"+ext))
				if err != nil {
					continue
				}
				probe := found{}
				for _, st := range settings {
					sc.r.scanInto(probe, nil, "", st.value, st.address, "")
				}
				for to := range probe {
					seen[to.service] = true
				}
			}
		}
		if len(seen) > 0 {
			sc.d.guess("config server %s: its shared application configuration names %s; every client receives it, so no call is "+
				"written from it: add the calls of the clients that use them", server, strings.Join(slices.Sorted(maps.Keys(seen)), ", "))
		}
	}
	for _, name := range names {
		server := sc.configServer[name]
		dirs := sc.served[server]
		if len(dirs) == 0 {
			continue
		}
		app := sc.appNames[name]
		if app == "" {
			app = name
		}
		var files []string
		for _, dir := range dirs {
			for _, base := range []string{app} {
				for _, ext := range []string{".yml", ".yaml", ".properties"} {
					if fi, err := os.Stat(filepath.Join(dir, base+ext)); err == nil && !fi.IsDir() {
						files = append(files, filepath.Join(dir, base+ext))
					}
				}
			}
		}
		c := sc.comps[name]
		if sc.scanFiles(c, files, false) {
			c.noCalls = false
		}
	}
}

// weak adds depends_on as calls for a service whose configuration names no
// address at all: depends_on is a start order, and where a service's
// configuration says what it calls, depends_on often says more (a database
// no code uses) or less. With a network logging driver (fluentd, gelf,
// syslog), a dependency on the log collector is the Docker daemon's, not
// the service's.
func (sc *composeScan) weak(s types.ServiceConfig) {
	c := sc.comps[s.Name]
	if !c.noCalls || len(s.DependsOn) == 0 {
		return
	}
	logging := s.Logging != nil && s.Logging.Driver != "" && !localLogDrivers[s.Logging.Driver]
	for _, dep := range slices.Sorted(maps.Keys(s.DependsOn)) {
		to := sc.comps[dep]
		if to == nil || to == c {
			continue
		}
		if logging && logCollector(sc.p.Services[dep]) {
			c.notes = append(c.notes, fmt.Sprintf("its depends_on %s is not a call: the Docker daemon ships its logs there (logging driver %s)", dep, s.Logging.Driver))
			continue
		}
		c.evidence.add(to, sc.where(s.Name, dep)+" depends_on "+dep+" (start order only: no configuration of this service names an address)")
	}
	if len(c.evidence) > 0 {
		c.noCalls = false
	}
}

var localLogDrivers = map[string]bool{"json-file": true, "local": true, "none": true, "journald": true}

// logCollector reports whether a service receives logs: it listens on
// fluentd's, syslog's or GELF's port, or its name or image says so.
func logCollector(s types.ServiceConfig) bool {
	for _, p := range s.Ports {
		if p.Target == 24224 || p.Target == 514 || p.Target == 12201 {
			return true
		}
	}
	for _, w := range []string{"log", "fluent", "logstash", "syslog"} {
		if strings.Contains(strings.ToLower(s.Name+" "+s.Image), w) {
			return true
		}
	}
	return false
}

// lastKey is the last element of a dotted key.
func lastKey(k string) string { return k[strings.LastIndex(k, ".")+1:] }

var grafanaAccessRE = regexp.MustCompile(`(?m)^\s*"?access"?\s*:\s*"?(proxy|direct)\b`)

// grafanaDatasource reports whether a file defines Grafana data sources
// (provisioning YAML or the JSON of its API): their URLs are what Grafana
// queries.
func grafanaDatasource(path string) bool {
	data, err := lang.ReadInput(path, lang.MaxFileSize)
	return err == nil && grafanaAccessRE.Match(data) && strings.Contains(string(data), "url")
}
