package emit

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/archform/archform/lang"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	"sigs.k8s.io/yaml"
)

// TestProfilesCiteSources: every profile cites the files its facts come
// from, by repository and path, and the table is sorted.
func TestProfilesCiteSources(t *testing.T) {
	src := regexp.MustCompile(`^[\w.-]+/[\w.-]+ [\w./{},*-]+: \S`)
	for i, p := range profiles {
		if i > 0 && profiles[i-1].Name >= p.Name {
			t.Errorf("profiles are not sorted by name: %s after %s", p.Name, profiles[i-1].Name)
		}
		if len(p.Sources) == 0 {
			t.Errorf("%s cites no source", p.Name)
		}
		for _, s := range p.Sources {
			if !src.MatchString(s) {
				t.Errorf("%s: source %q does not read \"owner/repo path: fact\"", p.Name, s)
			}
		}
		if len(p.Repos) == 0 || len(p.Tools) == 0 {
			t.Errorf("%s: no image repositories or no tools", p.Name)
		}
		for _, w := range p.Writes {
			if w.Seed && !p.hasTool("sh") {
				t.Errorf("%s seeds %s with an init container running sh, which the image lacks", p.Name, w.Path)
			}
			if w.Why == "" {
				t.Errorf("%s: no reason for writing %s", p.Name, w.Path)
			}
		}
		if p.Root == p.AnyUser {
			t.Errorf("%s: a profile either needs root or runs as any user", p.Name)
		}
	}
}

// TestEveryEngineHasAProfile: every engine archform deploys has a profile of
// its image, and its health check runs a program the image ships.
func TestEveryEngineHasAProfile(t *testing.T) {
	for name, e := range engines {
		if e.Managed {
			continue
		}
		p := profileFor(e.Image)
		if p == nil {
			t.Errorf("engine %s (%s) has no profile", name, e.Image)
			continue
		}
		for _, prog := range programs(e.Probe, e.Shell) {
			if !p.hasTool(prog) {
				t.Errorf("engine %s: its health check runs %s, which %s does not ship (tools %v)", name, prog, e.Image, p.Tools)
			}
		}
	}
	if p := profileFor(proxyImage); p == nil || !p.hasTool("wget") {
		t.Errorf("the Compose proxy image %s has no profile with wget", proxyImage)
	}
}

// shellBuiltins run without a program in the image.
var shellBuiltins = map[string]bool{"echo": true, "exec": true, "read": true, "printf": true, "[": true, "test": true, "true": true}

// programs returns the programs a probe command runs: its first word, or
// the first word of each part of a shell pipeline or list.
func programs(cmd []string, shell bool) []string {
	if len(cmd) == 0 {
		return nil
	}
	if !shell {
		return []string{cmd[0]}
	}
	var out []string
	for _, part := range regexp.MustCompile(`\|\||&&|\||;`).Split(strings.Join(cmd, " "), -1) {
		if f := strings.Fields(part); len(f) > 0 && !shellBuiltins[f[0]] {
			out = append(out, f[0])
		}
	}
	return out
}

// profileDesigns deploys every profile on its own: an engine of the kind
// that takes it (clustered where archform clusters it), or the image on a
// gateway or service.
var profileDesigns = map[string]string{
	"cassandra":     `database "x" { engine = "cassandra" }`,
	"cockroachdb":   `database "x" { engine = "cockroachdb" }`,
	"consul":        `database "x" { engine = "consul" replication { mode = "quorum" } quorum { n = 3 } }`,
	"elasticsearch": `search "x" { engine = "elasticsearch" replicas = 3 }`,
	"envoy":         `gateway "x" { image = "envoyproxy/envoy:v1.31.2" ports = [8443] health_check { path = "/ready" } }`,
	"etcd":          `database "x" { engine = "etcd" replication { mode = "quorum" } quorum { n = 3 } }`,
	"kafka":         `queue "x" { engine = "kafka" replicas = 3 }`,
	"kong":          `gateway "x" { image = "kong:3.8.0" ports = [8000] }`,
	"mariadb":       `database "x" { engine = "mariadb" }`,
	"memcached":     `cache "x" { engine = "memcached" }`,
	"minio":         `storage "x" { engine = "minio" }`,
	"mongodb":       `database "x" { engine = "mongodb" }`,
	"mysql":         `database "x" { engine = "mysql" }`,
	"nats":          `queue "x" { engine = "nats" replicas = 3 }`,
	"neo4j":         `database "x" { engine = "neo4j" }`,
	"nginx":         `service "x" { image = "nginx:1.29" ports = [80] health_check { path = "/" } }`,
	"opensearch":    `search "x" { engine = "opensearch" replicas = 3 }`,
	"postgres":      `database "x" { engine = "postgres" }`,
	"pulsar":        `queue "x" { engine = "pulsar" }`,
	"rabbitmq":      `queue "x" { engine = "rabbitmq" }`,
	"redis":         `cache "x" { engine = "redis" }`,
	"scylladb":      `database "x" { engine = "scylladb" }`,
	"solr":          `search "x" { engine = "solr" }`,
	"valkey":        `cache "x" { engine = "valkey" }`,
	"zookeeper":     `database "x" { engine = "zookeeper" }`,
}

// TestProfilesOnEmittedManifests deploys each profile's image on its own and
// checks the emitted manifests against the profile: every path it writes
// is writable (seeded where it holds the image's files), it runs as a user
// the image accepts, members of a cluster may reach each other on every peer
// port, its health checks run programs the image ships, and the JVM's heap
// plus direct memory fit the memory limit.
func TestProfilesOnEmittedManifests(t *testing.T) {
	for _, p := range profiles {
		body, ok := profileDesigns[p.Name]
		if !ok {
			if p.Name != "haproxy" { // the Compose proxy: TestComposeProxyProfile
				t.Errorf("profile %s has no design in profileDesigns", p.Name)
			}
			continue
		}
		t.Run(p.Name, func(t *testing.T) {
			src := "system \"p\" {}\nservice \"app\" {\n  image = \"example/app:1\"\n  call {\n    to = " +
				strings.SplitN(body, " ", 2)[0] + ".x\n  }\n}\n" + hclBlocks(body)
			d, diags := lang.LoadFiles(map[string][]byte{"p.arch.hcl": []byte(src)}, lang.Options{})
			if diags.HasErrors() {
				t.Fatalf("%s\n%s", diags.Error(), src)
			}
			k, err := Kubernetes(d, Options{})
			if err != nil {
				t.Fatal(err)
			}
			w := workloads(t, k.Files)
			spec, ok := w["x"]
			if !ok {
				t.Fatalf("no workload x in %v", names(k.Files))
			}
			checkPod(t, "x", spec, p)
			if slices.ContainsFunc(p.Peers, func(pp peer) bool { return true }) && strings.Contains(body, "3") {
				checkPeers(t, k.Files, "x", p)
			}
			c, err := Compose(d, Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkCompose(t, c.Files, p, map[string]bool{"x": true, "x-0": true})
		})
	}
}

// TestExamplesAgainstProfiles checks every workload of every example whose
// image archform has a profile of, as TestProfilesOnEmittedManifests does.
func TestExamplesAgainstProfiles(t *testing.T) {
	for _, dir := range examples(t) {
		for name, spec := range workloads(t, emitted(t, dir, TargetKubernetes).Files) {
			if p := profileFor(spec.Containers[0].Image); p != nil {
				checkPod(t, dir+" "+name, spec, p)
			}
		}
		checkCompose(t, emitted(t, dir, TargetCompose).Files, nil, nil)
	}
}

// hclBlocks spreads a one-line block over lines, as HCL wants.
func hclBlocks(s string) string {
	s = regexp.MustCompile(`\{ `).ReplaceAllString(s, "{\n")
	s = regexp.MustCompile(`" (\w)`).ReplaceAllString(s, "\"\n$1")
	s = regexp.MustCompile(`(\d|\]) (\w)`).ReplaceAllString(s, "$1\n$2")
	s = regexp.MustCompile(`(\d|\]|"|\}) \}`).ReplaceAllString(s, "$1\n}")
	s = strings.ReplaceAll(s, "} ", "}\n")
	return s + "\n"
}

func names(files []File) []string {
	var out []string
	for _, f := range files {
		out = append(out, f.Name)
	}
	return out
}

// workloads decodes the pod templates of the Deployments and StatefulSets.
func workloads(t *testing.T, files []File) map[string]corev1.PodSpec {
	t.Helper()
	out := map[string]corev1.PodSpec{}
	for name, tmpl := range podTemplates(t, files) {
		out[name] = tmpl.Spec
	}
	return out
}

// podTemplates are the pod templates of the Deployments and StatefulSets
// among files, by workload name.
func podTemplates(t *testing.T, files []File) map[string]corev1.PodTemplateSpec {
	t.Helper()
	out := map[string]corev1.PodTemplateSpec{}
	for _, f := range files {
		switch {
		case strings.HasPrefix(f.Name, "statefulset-"):
			var ss appsv1.StatefulSet
			if err := yaml.Unmarshal(f.Data, &ss); err != nil {
				t.Fatal(err)
			}
			out[ss.Name] = ss.Spec.Template
		case strings.HasPrefix(f.Name, "deployment-"):
			var dep appsv1.Deployment
			if err := yaml.Unmarshal(f.Data, &dep); err != nil {
				t.Fatal(err)
			}
			out[dep.Name] = dep.Spec.Template
		}
	}
	return out
}

// checkPod checks one pod against its image's profile.
func checkPod(t *testing.T, where string, spec corev1.PodSpec, p *profile) {
	t.Helper()
	ctr := spec.Containers[0]
	sc := ctr.SecurityContext
	rootFS := sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem
	// The user.
	uid := *sc.RunAsUser
	switch {
	case p.Root:
		if uid != 0 || !rootFS {
			t.Errorf("%s: %s must run as root with a writable root filesystem, runs as %d (read-only root %v)", where, p.Name, uid, !rootFS)
		}
	case uid == 0 || sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot:
		t.Errorf("%s: %s runs as root though its image runs as any user", where, p.Name)
	case !p.AnyUser && uid != p.User:
		t.Errorf("%s: %s runs as %d, its image needs %d", where, p.Name, uid, p.User)
	}
	// A port below 1024 bound without root or capabilities needs the sysctl.
	for _, port := range ctr.Ports {
		if port.ContainerPort >= 1024 || uid == 0 {
			continue
		}
		ok := false
		for _, sy := range spec.SecurityContext.Sysctls {
			var start int32
			fmt.Sscan(sy.Value, &start)
			ok = ok || sy.Name == "net.ipv4.ip_unprivileged_port_start" && start <= port.ContainerPort
		}
		if !ok {
			t.Errorf("%s: %s binds port %d as uid %d with no capabilities and no net.ipv4.ip_unprivileged_port_start", where, p.Name, port.ContainerPort, uid)
		}
	}
	// Every path written is writable, and the writable volumes are exactly those.
	emptyDir := map[string]bool{}
	for _, v := range spec.Volumes {
		emptyDir[v.Name] = v.EmptyDir != nil
	}
	mountOf := func(path string) *corev1.VolumeMount {
		for i, m := range ctr.VolumeMounts {
			if m.MountPath == path || strings.HasPrefix(path, strings.TrimSuffix(m.MountPath, "/")+"/") {
				return &ctr.VolumeMounts[i]
			}
		}
		return nil
	}
	for _, w := range p.Writes {
		m := mountOf(w.Path)
		if m == nil || m.ReadOnly {
			if !rootFS {
				t.Errorf("%s: %s writes %s (%s), which is on the read-only root filesystem", where, p.Name, w.Path, w.Why)
			}
			continue
		}
		if w.Seed {
			seeded := false
			for _, ic := range spec.InitContainers {
				cmd := strings.Join(ic.Command, " ")
				for _, im := range ic.VolumeMounts {
					seeded = seeded || im.Name == m.Name && strings.Contains(cmd, "cp -R "+w.Path+"/. "+im.MountPath+"/") && ic.Image == ctr.Image
				}
			}
			if !seeded {
				t.Errorf("%s: %s needs the image's files in %s, but no init container copies them into its volume", where, p.Name, w.Path)
			}
		}
	}
	for _, m := range ctr.VolumeMounts {
		if !emptyDir[m.Name] {
			continue
		}
		if !slices.ContainsFunc(p.Writes, func(w written) bool { return w.Path == m.MountPath }) {
			t.Errorf("%s: an emptyDir over %s, which %s does not write (it may hide the image's files)", where, m.MountPath, p.Name)
		}
	}
	// Health checks run what the image ships.
	if pr := ctr.ReadinessProbe; pr != nil && pr.Exec != nil {
		cmd, shell := pr.Exec.Command, false
		if len(cmd) == 3 && cmd[0] == "sh" && cmd[1] == "-c" {
			cmd, shell = cmd[2:], true
			if !p.hasTool("sh") {
				t.Errorf("%s: the readiness probe runs sh, which %s lacks", where, p.Name)
			}
		}
		for _, prog := range programs(cmd, shell) {
			if !p.hasTool(prog) {
				t.Errorf("%s: the readiness probe runs %s, which %s does not ship", where, prog, p.Name)
			}
		}
	}
	// Memory.
	if p.Memory != nil && p.Memory.Kind == "jvm" {
		env := map[string]string{}
		for _, e := range ctr.Env {
			env[e.Name] = e.Value
		}
		heap, direct, set := p.Memory.Read(env)
		limit := ctr.Resources.Limits.Memory().Value()
		if !set {
			t.Errorf("%s: %s's heap is left to the image, which ignores the %s limit", where, p.Name, quantity(limit))
		} else if heap+direct >= limit {
			t.Errorf("%s: %s heap %s + direct %s do not fit the %s limit", where, p.Name, quantity(heap), quantity(direct), quantity(limit))
		}
	}
}

// checkPeers: members of a clustered workload may reach each other on every
// peer port, with its protocol, in both directions.
func checkPeers(t *testing.T, files []File, name string, p *profile) {
	t.Helper()
	var np networkingv1.NetworkPolicy
	found := false
	for _, f := range files {
		if f.Name == "networkpolicy-"+name+".yaml" {
			found = yaml.Unmarshal(f.Data, &np) == nil
		}
	}
	if !found {
		t.Fatalf("no NetworkPolicy for %s", name)
	}
	self := func(peers []networkingv1.NetworkPolicyPeer) bool {
		for _, pe := range peers {
			if pe.PodSelector != nil && pe.PodSelector.MatchLabels[labelName] == name {
				return true
			}
		}
		return false
	}
	admits := func(ports []networkingv1.NetworkPolicyPort, pp peer) bool {
		for _, port := range ports {
			if port.Port.IntValue() == pp.Port && string(*port.Protocol) == pp.Proto {
				return true
			}
		}
		return false
	}
	for _, pp := range p.Peers {
		in, out := false, false
		for _, r := range np.Spec.Ingress {
			in = in || self(r.From) && admits(r.Ports, pp)
		}
		for _, r := range np.Spec.Egress {
			out = out || self(r.To) && admits(r.Ports, pp)
		}
		if !in || !out {
			t.Errorf("%s: members cannot reach each other on %d/%s (ingress %v, egress %v)", p.Name, pp.Port, pp.Proto, in, out)
		}
	}
}

// checkCompose checks the Compose services of images with a profile (only
// p's, under the service names only, when given): health checks run what
// the image ships, and the JVM fits the memory limit.
func checkCompose(t *testing.T, files []File, only *profile, services map[string]bool) {
	t.Helper()
	var project struct {
		Services map[string]struct {
			Image       string
			Environment map[string]string
			Healthcheck struct{ Test []string }
			Deploy      struct {
				Resources struct {
					Limits struct{ Memory string }
				}
			}
		}
	}
	for _, f := range files {
		if f.Name == ComposeFile {
			if err := yaml.Unmarshal(f.Data, &project); err != nil {
				t.Fatal(err)
			}
		}
	}
	seen := 0
	for name, s := range project.Services {
		p := profileFor(s.Image)
		if p == nil || only != nil && (p != only || !services[name]) {
			continue
		}
		seen++
		if test := s.Healthcheck.Test; len(test) > 1 {
			var progs []string
			switch test[0] {
			case "CMD":
				progs = []string{test[1]}
			case "CMD-SHELL":
				progs = append([]string{"sh"}, programs(test[1:], true)...)
			}
			for _, prog := range progs {
				if !p.hasTool(prog) {
					t.Errorf("compose %s: the healthcheck runs %s, which %s does not ship", name, prog, p.Name)
				}
			}
		}
		if p.Memory != nil && p.Memory.Kind == "jvm" {
			heap, direct, set := p.Memory.Read(s.Environment)
			var limit int64
			fmt.Sscan(s.Deploy.Resources.Limits.Memory, &limit)
			if !set || limit == 0 || heap+direct >= limit {
				t.Errorf("compose %s: %s heap %d + direct %d (set %v) against the memory limit %q", name, p.Name, heap, direct, set, s.Deploy.Resources.Limits.Memory)
			}
		}
	}
	if only != nil && seen == 0 {
		t.Errorf("compose: no service runs %s", only.Name)
	}
}

// TestComposeProxyProfile: the load balancers' HAProxy runs as its image's
// unprivileged user with every capability dropped: binding port 80 needs the
// sysctl, and its healthcheck runs wget, which the alpine image has.
func TestComposeProxyProfile(t *testing.T) {
	c := emitted(t, "../testdata/shop", TargetCompose)
	var project struct {
		Services map[string]struct {
			Sysctls     map[string]string
			CapDrop     []string `json:"cap_drop"`
			Healthcheck struct{ Test []string }
		}
	}
	if err := yaml.Unmarshal(c.Files[0].Data, &project); err != nil {
		t.Fatal(err)
	}
	edge := project.Services["edge"]
	if edge.Sysctls["net.ipv4.ip_unprivileged_port_start"] != "80" || !slices.Contains(edge.CapDrop, "ALL") {
		t.Errorf("edge binds port 80 without capabilities: sysctls %v, cap_drop %v", edge.Sysctls, edge.CapDrop)
	}
	if test := edge.Healthcheck.Test; len(test) < 2 || test[0] != "CMD" || !profileFor(proxyImage).hasTool(test[1]) {
		t.Errorf("edge's healthcheck %v does not run a program of %s", test, proxyImage)
	}
}

// profilesMarkdown is the docs' table of the profiles.
func profilesMarkdown() string {
	var b strings.Builder
	b.WriteString("| profile | images | user | writes (seeded: *) | peers | health check tools | memory | sources |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|\n")
	for _, p := range profiles {
		user := fmt.Sprintf("%d; any non-root user", p.User)
		if p.Root {
			user = "root (required)"
		}
		var writes, peers []string
		for _, w := range p.Writes {
			s := "`" + w.Path + "`"
			if w.Seed {
				s += "*"
			}
			writes = append(writes, s)
		}
		for _, pp := range p.Peers {
			peers = append(peers, fmt.Sprintf("%d/%s", pp.Port, pp.Proto))
		}
		mem := "from the cgroup limit"
		if p.Memory != nil {
			mem = p.Memory.Kind + ": " + strings.Join(sortedKeys(p.Memory.Set(512*mib, 256*mib)), ", ")
			if p.Memory.Kind == "native" {
				mem = "native: `--memory`, `--smp`"
			}
		}
		var srcs []string
		for _, s := range p.Sources {
			srcs = append(srcs, strings.SplitN(s, ":", 2)[0])
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", p.Name, "`"+strings.Join(p.Repos, "`, `")+"`", user,
			strings.Join(writes, ", "), strings.Join(peers, ", "), strings.Join(p.Tools, ", "), mem, strings.Join(srcs, "; "))
	}
	return b.String()
}

// TestDocsListProfiles: docs/emit.md lists the profiles as the table says
// (rewritten with -update).
func TestDocsListProfiles(t *testing.T) {
	const path = "../docs/emit.md"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	begin := regexp.MustCompile(`(?s)(<!-- BEGIN profiles[^\n]*-->\n)(.*?)(<!-- END profiles -->)`)
	m := begin.FindSubmatchIndex(data)
	if m == nil {
		t.Fatalf("%s has no BEGIN/END profiles markers", path)
	}
	want := profilesMarkdown()
	if string(data[m[4]:m[5]]) == want {
		return
	}
	if !*update {
		t.Fatalf("%s lists other profiles than emit/profiles.go (run go test ./emit -run TestDocsListProfiles -update)", path)
	}
	out := append(append(append([]byte{}, data[:m[4]]...), want...), data[m[5]:]...)
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
}
