package importer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/archform/archform/lang"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv1 "k8s.io/api/autoscaling/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/yaml"
)

// Kubernetes imports manifests: files, or directories read recursively
// (their *.yaml, *.yml and *.json files, in lexical order). Every file may
// hold several YAML documents. Deployments, StatefulSets and DaemonSets
// become components; Services, Ingresses, HorizontalPodAutoscalers,
// ConfigMaps and PodDisruptionBudgets are read for what they say about
// them; other kinds are listed in the header as not imported. In a
// directory, files that are not manifests are skipped with a note, and
// Helm charts and kustomizations are skipped with a note that they must be
// rendered first.
func Kubernetes(paths []string) (*Result, error) {
	files, notes, err := manifestFiles(paths)
	if err != nil {
		return nil, err
	}
	var objs []kubeObject
	for _, f := range files {
		data, err := lang.ReadInput(f.path, lang.MaxFileSize)
		if err == nil {
			err = lang.CheckYAMLDepth(data)
		}
		if err != nil {
			return nil, fileError(f.path, err)
		}
		if f.walked && helmTemplate(data) {
			notes = append(notes, f.path+": a Helm template ({{ }}): render the chart first (helm template NAME CHART > all.yaml) and import that")
			continue
		}
		more, err := decodeManifests(f.path, data)
		if err != nil {
			if f.walked && !manifestLike(data) {
				notes = append(notes, f.path+": not a Kubernetes manifest (no apiVersion and kind): skipped")
				continue
			}
			return nil, err
		}
		objs = append(objs, more...)
	}
	if len(objs) == 0 {
		msg := "no Kubernetes object in the input"
		if len(notes) > 0 {
			msg += ": " + strings.Join(notes, "; ")
		}
		return nil, &InputError{File: paths[0], Err: errors.New(msg)}
	}
	d, err := fromKubernetes(objs, paths)
	if err != nil {
		return nil, err
	}
	for _, n := range notes {
		d.skip("%s", n)
	}
	return finish(d)
}

// manifestFile is a file to read, and whether it was found in a directory
// (rather than named by the user).
type manifestFile struct {
	path   string
	walked bool
}

var helmRE = regexp.MustCompile(`\{\{[-\s]*[.$a-zA-Z]`)

// helmTemplate reports whether a file holds Go template actions.
func helmTemplate(data []byte) bool { return helmRE.Match(data) }

var manifestRE = regexp.MustCompile(`(?m)^\s*apiVersion\s*:`)

// manifestLike reports whether a file looks like a Kubernetes manifest.
func manifestLike(data []byte) bool { return manifestRE.Match(data) }

// manifestFiles expands directories, recursively, into their manifest
// files. A directory holding a Chart.yaml or a kustomization is skipped with
// a note: its files are not what runs until rendered.
func manifestFiles(paths []string) ([]manifestFile, []string, error) {
	if len(paths) == 0 {
		return nil, nil, errors.New("no Kubernetes file or directory given")
	}
	var out []manifestFile
	var notes []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, nil, fileError(p, err)
		}
		if !info.IsDir() {
			out = append(out, manifestFile{path: p})
			continue
		}
		n := len(out)
		err = filepath.WalkDir(p, func(path string, e fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if e.IsDir() {
				if path != p && strings.HasPrefix(e.Name(), ".") {
					return filepath.SkipDir
				}
				for _, k := range []string{"kustomization.yaml", "kustomization.yml", "Kustomization"} {
					if _, err := os.Stat(filepath.Join(path, k)); err == nil {
						notes = append(notes, path+": a kustomization: render it first (kubectl kustomize "+path+" > all.yaml) and import that")
						return filepath.SkipDir
					}
				}
				if _, err := os.Stat(filepath.Join(path, "Chart.yaml")); err == nil {
					notes = append(notes, path+": a Helm chart: render it first (helm template NAME "+path+" > all.yaml) and import that")
					return filepath.SkipDir
				}
				return nil
			}
			ext := strings.ToLower(filepath.Ext(e.Name()))
			if ext == ".yaml" || ext == ".yml" || ext == ".json" {
				out = append(out, manifestFile{path: path, walked: true})
			}
			return nil
		})
		if err != nil {
			return nil, nil, fileError(p, err)
		}
		if len(out) == n && len(notes) == 0 {
			return nil, nil, &InputError{File: p, Err: errors.New("no *.yaml, *.yml or *.json file in this directory or below")}
		}
	}
	return out, notes, nil
}

// kubeObject is one decoded object and where it was read.
type kubeObject struct {
	file string
	line int // where its document starts
	kind string
	obj  any
	meta *metav1.ObjectMeta
}

// document is one YAML document of a file and the line it starts on.
type document struct {
	data []byte
	line int
}

// splitYAML cuts a stream at its "---" lines, keeping each document's first
// line number.
func splitYAML(data []byte) []document {
	var docs []document
	start, line := 1, 1
	var cur bytes.Buffer
	for _, l := range bytes.SplitAfter(data, []byte("\n")) {
		trimmed := bytes.TrimRight(l, " \t\r\n")
		if bytes.Equal(trimmed, []byte("---")) || bytes.HasPrefix(trimmed, []byte("--- ")) {
			docs = append(docs, document{data: append([]byte(nil), cur.Bytes()...), line: start})
			cur.Reset()
			start = line + 1
		} else {
			cur.Write(l)
		}
		line++
	}
	return append(docs, document{data: cur.Bytes(), line: start})
}

// decodeManifests decodes every object of a file: the kinds the importer
// reads strictly into the k8s.io/api types (an unknown field is an error),
// the others by their type only.
func decodeManifests(file string, data []byte) ([]kubeObject, error) {
	var out []kubeObject
	for _, doc := range splitYAML(data) {
		js, err := yaml.YAMLToJSON(doc.data)
		if err != nil {
			return nil, inputError(file, doc.line-1, err)
		}
		if s := strings.TrimSpace(string(js)); s == "null" || s == "" {
			continue // empty or comments only
		}
		objs, err := decodeObject(file, doc, js)
		if err != nil {
			return nil, err
		}
		out = append(out, objs...)
	}
	if len(out) == 0 {
		return nil, &InputError{File: file, Err: errors.New("no Kubernetes object in this file")}
	}
	return out, nil
}

var unknownFieldRE = regexp.MustCompile(`unknown field "([^"]+)"`)

func decodeObject(file string, doc document, js []byte) ([]kubeObject, error) {
	var tm metav1.TypeMeta
	if err := json.Unmarshal(js, &tm); err != nil {
		return nil, &InputError{File: file, Line: doc.line, Err: errors.New("not a Kubernetes object: a document must be a mapping with apiVersion and kind")}
	}
	if tm.Kind == "" || tm.APIVersion == "" {
		return nil, &InputError{File: file, Line: doc.line, Err: errors.New("not a Kubernetes object: apiVersion or kind is missing")}
	}
	if strings.HasSuffix(tm.Kind, "List") && tm.APIVersion == "v1" {
		var list struct {
			Items []json.RawMessage `json:"items"`
		}
		if err := json.Unmarshal(js, &list); err != nil {
			return nil, &InputError{File: file, Line: doc.line, Err: fmt.Errorf("%s: %v", tm.Kind, err)}
		}
		var out []kubeObject
		for _, item := range list.Items {
			objs, err := decodeObject(file, doc, item)
			if err != nil {
				return nil, err
			}
			out = append(out, objs...)
		}
		return out, nil
	}
	o := kubeObject{file: file, line: doc.line, kind: tm.Kind}
	switch tm.APIVersion + " " + tm.Kind {
	case "apps/v1 Deployment":
		x := &appsv1.Deployment{}
		o.obj, o.meta = x, &x.ObjectMeta
	case "apps/v1 StatefulSet":
		x := &appsv1.StatefulSet{}
		o.obj, o.meta = x, &x.ObjectMeta
	case "apps/v1 DaemonSet":
		x := &appsv1.DaemonSet{}
		o.obj, o.meta = x, &x.ObjectMeta
	case "v1 Service":
		x := &corev1.Service{}
		o.obj, o.meta = x, &x.ObjectMeta
	case "v1 ConfigMap":
		x := &corev1.ConfigMap{}
		o.obj, o.meta = x, &x.ObjectMeta
	case "policy/v1 PodDisruptionBudget":
		x := &policyv1.PodDisruptionBudget{}
		o.obj, o.meta = x, &x.ObjectMeta
	case "autoscaling/v2 HorizontalPodAutoscaler":
		x := &autoscalingv2.HorizontalPodAutoscaler{}
		o.obj, o.meta = x, &x.ObjectMeta
	case "autoscaling/v1 HorizontalPodAutoscaler":
		x := &autoscalingv1.HorizontalPodAutoscaler{}
		o.obj, o.meta = x, &x.ObjectMeta
	case "networking.k8s.io/v1 Ingress":
		x := &networkingv1.Ingress{}
		o.obj, o.meta = x, &x.ObjectMeta
	default:
		x := &metav1.PartialObjectMetadata{}
		if err := json.Unmarshal(js, x); err != nil {
			return nil, &InputError{File: file, Line: doc.line, Err: fmt.Errorf("%s: %v", tm.Kind, err)}
		}
		o.meta = &x.ObjectMeta
		return []kubeObject{o}, nil
	}
	if err := yaml.UnmarshalStrict(js, o.obj); err != nil {
		line := doc.line
		if m := unknownFieldRE.FindStringSubmatch(err.Error()); m != nil {
			if l := fieldLine(doc, m[1]); l > 0 {
				line = l
			}
		}
		msg := strings.TrimPrefix(err.Error(), "error unmarshaling JSON: while decoding JSON: ")
		return nil, &InputError{File: file, Line: line, Err: fmt.Errorf("%s %s: %s", tm.APIVersion, tm.Kind, msg)}
	}
	return []kubeObject{o}, nil
}

// workload is a Deployment, StatefulSet or DaemonSet being imported.
type workload struct {
	c        *component
	kind     string
	name     string
	ns       string
	labels   map[string]string // pod template labels
	pod      corev1.PodSpec
	main     *corev1.Container
	replicas *int32
	claims   []corev1.PersistentVolumeClaim
	env      map[string]string // the main container's resolved environment
	file     string            // the manifest it was read from
}

// tooManyReplicas refuses a Deployment or StatefulSet with more replicas
// than archform models for one component (lang.MaxInstances), at the line
// of its document that starts the object: the design import would write
// could not be read back.
func tooManyReplicas(o kubeObject) error {
	var n *int32
	switch x := o.obj.(type) {
	case *appsv1.Deployment:
		n = x.Spec.Replicas
	case *appsv1.StatefulSet:
		n = x.Spec.Replicas
	}
	if n == nil || *n <= lang.MaxInstances {
		return nil
	}
	return &InputError{File: o.file, Line: o.line,
		Err: fmt.Errorf("%s %q: replicas %d is more than the %d instances archform models for one component", o.kind, o.meta.Name, *n, lang.MaxInstances)}
}

// zoneKeys are the node labels that name a zone.
var zoneKeys = map[string]bool{"topology.kubernetes.io/zone": true, "failure-domain.beta.kubernetes.io/zone": true}

func fromKubernetes(objs []kubeObject, paths []string) (*design, error) {
	d := &design{system: kubeSystemName(objs, paths), source: "Kubernetes " + strings.Join(baseNames(paths), ", ")}
	taken := names{}
	configMaps := map[string]*corev1.ConfigMap{}
	skipped := map[string][]string{}
	var works []*workload
	for _, o := range objs {
		if err := tooManyReplicas(o); err != nil {
			return nil, err
		}
		switch x := o.obj.(type) {
		case *appsv1.Deployment:
			works = append(works, &workload{file: filepath.Base(o.file), kind: o.kind, name: x.Name, ns: x.Namespace, labels: x.Spec.Template.Labels,
				pod: x.Spec.Template.Spec, replicas: x.Spec.Replicas})
		case *appsv1.StatefulSet:
			works = append(works, &workload{file: filepath.Base(o.file), kind: o.kind, name: x.Name, ns: x.Namespace, labels: x.Spec.Template.Labels,
				pod: x.Spec.Template.Spec, replicas: x.Spec.Replicas, claims: x.Spec.VolumeClaimTemplates})
		case *appsv1.DaemonSet:
			works = append(works, &workload{file: filepath.Base(o.file), kind: o.kind, name: x.Name, ns: x.Namespace, labels: x.Spec.Template.Labels,
				pod: x.Spec.Template.Spec})
		case *corev1.ConfigMap:
			configMaps[x.Namespace+"/"+x.Name] = x
		case nil:
			skipped[o.kind] = append(skipped[o.kind], o.meta.Name)
		}
	}
	if len(works) == 0 {
		return nil, &InputError{File: objs[0].file, Err: errors.New("no Deployment, StatefulSet or DaemonSet: nothing to import")}
	}
	for _, kind := range slices.Sorted(maps.Keys(skipped)) {
		sort.Strings(skipped[kind])
		d.skip("%d %s object(s): %s", len(skipped[kind]), kind, strings.Join(skipped[kind], ", "))
	}
	byWorkload := map[string]*workload{}
	for _, w := range works {
		importWorkload(d, w, taken, configMaps)
		d.comps = append(d.comps, w.c)
		byWorkload[w.kind+"/"+w.ns+"/"+w.name] = w
	}
	services := map[string][]*component{} // "ns/name" -> the components it selects
	var entries []*component
	for _, o := range objs {
		switch x := o.obj.(type) {
		case *corev1.Service:
			if x.Spec.Type == corev1.ServiceTypeExternalName {
				// A name for something outside the cluster: a third party.
				ext := &component{kind: lang.KindExternal, name: taken.take(lang.KindExternal, x.Name),
					description: "ExternalName Service " + x.Name + " (" + x.Spec.ExternalName + ")"}
				d.comps = append(d.comps, ext)
				services[x.Namespace+"/"+x.Name] = []*component{ext}
				d.guess("%s: from ExternalName Service %s, outside the cluster (%s)", ext.addr(), x.Name, x.Spec.ExternalName)
				d.fill = append(d.fill, ext.addr()+": availability (what its provider promises)")
				continue
			}
			sel := selected(works, x.Namespace, x.Spec.Selector)
			if len(sel) == 0 {
				d.skip("Service %s: selects no imported workload", x.Name)
				continue
			}
			services[x.Namespace+"/"+x.Name] = append(services[x.Namespace+"/"+x.Name], sel...)
			if x.Spec.Type == corev1.ServiceTypeLoadBalancer || x.Spec.Type == corev1.ServiceTypeNodePort {
				for _, c := range sel {
					c.public = true
					entries = append(entries, c)
					d.guess("%s: public, as Service %s of type %s exposes it", c.addr(), x.Name, x.Spec.Type)
				}
			}
			addServicePorts(sel, x)
		}
	}
	for _, o := range objs {
		switch x := o.obj.(type) {
		case *networkingv1.Ingress:
			for _, svc := range ingressServices(x) {
				for _, c := range services[x.Namespace+"/"+svc] {
					c.public = true
					entries = append(entries, c)
					d.guess("%s: public, as Ingress %s routes to Service %s", c.addr(), x.Name, svc)
				}
			}
		case *autoscalingv2.HorizontalPodAutoscaler:
			ref := x.Spec.ScaleTargetRef
			hpa(d, byWorkload[ref.Kind+"/"+x.Namespace+"/"+ref.Name], x.Name, x.Spec.MinReplicas, x.Spec.MaxReplicas, cpuTarget(x.Spec.Metrics))
		case *autoscalingv1.HorizontalPodAutoscaler:
			ref := x.Spec.ScaleTargetRef
			hpa(d, byWorkload[ref.Kind+"/"+x.Namespace+"/"+ref.Name], x.Name, x.Spec.MinReplicas, x.Spec.MaxReplicas, x.Spec.TargetCPUUtilizationPercentage)
		case *policyv1.PodDisruptionBudget:
			var sel map[string]string
			if x.Spec.Selector != nil {
				sel = x.Spec.Selector.MatchLabels
			}
			var addrs []string
			for _, c := range selected(works, x.Namespace, sel) {
				addrs = append(addrs, c.addr())
			}
			d.skip("PodDisruptionBudget %s (%s) for %s: emit sizes budgets from the analysis", x.Name, budget(x), orNone(addrs))
		}
	}
	r := kubeResolver(services)
	for _, w := range works {
		kubeCalls(w, r, configMaps)
	}
	for _, w := range works {
		for to := range w.c.evidence {
			w.c.call(to)
		}
	}
	entries = uniq(entries)
	addClient(d, taken, entries, "are exposed by a LoadBalancer or NodePort Service or an Ingress")
	kubeZones(d, works)
	d.fill = append(d.fill,
		"capacity_rps and latency of every component: what one instance sustains, and the mean time it adds",
		"call ops (read, write), timeouts and retries; consume blocks for queue consumers",
		"flow blocks for what users do, with their SLOs (system slo, flow slo)")
	return d, nil
}

// kubeSystemName is the one namespace the objects are in, else the
// app.kubernetes.io/part-of label all workloads share, else the first
// input's name without its extension.
func kubeSystemName(objs []kubeObject, paths []string) string {
	namespaces := map[string]bool{}
	partOf := map[string]bool{}
	workloads := 0
	for _, o := range objs {
		if o.meta.Namespace != "" {
			namespaces[o.meta.Namespace] = true
		}
		switch o.obj.(type) {
		case *appsv1.Deployment, *appsv1.StatefulSet, *appsv1.DaemonSet:
			workloads++
			partOf[o.meta.Labels["app.kubernetes.io/part-of"]] = true
		}
	}
	if len(namespaces) == 1 {
		if ns := slices.Sorted(maps.Keys(namespaces))[0]; ns != "default" {
			return identifier(ns)
		}
	}
	if len(partOf) == 1 && workloads > 0 {
		if name := slices.Sorted(maps.Keys(partOf))[0]; name != "" {
			return identifier(name)
		}
	}
	base := filepath.Base(paths[0])
	base = strings.TrimSuffix(base, filepath.Ext(base))
	return identifier(strings.ToLower(base))
}

func importWorkload(d *design, w *workload, taken names, configMaps map[string]*corev1.ConfigMap) {
	w.main = mainContainer(w.name, w.pod.Containers)
	image := ""
	if w.main != nil {
		image = w.main.Image
	}
	g, known := classifyService(image, w.name)
	c := &component{kind: g.kind, engine: g.engine, image: image, service: w.name, role: roleOf(image, w.name)}
	c.name = taken.take(c.kind, w.name)
	w.c = c
	if known {
		d.guess("%s: %s%s from image %q", c.addr(), c.kind, withEngine(g.engine), image)
	}
	if c.kind == lang.KindLoadBalancer {
		c.image = ""
		d.guess("%s: its configuration (routes, TLS) is not read; archform deploys HAProxy for it", c.addr())
	}
	if w.replicas != nil {
		setReplicas(d, c, int(*w.replicas))
	}
	if w.kind == "DaemonSet" {
		d.fill = append(d.fill, c.addr()+": replicas (a DaemonSet runs one pod per node: your node count)")
	}
	if w.kind == "StatefulSet" && c.kind == lang.KindService {
		c.stateful = true
	}
	if w.main == nil {
		return
	}
	for i := range w.pod.Containers {
		if other := &w.pod.Containers[i]; other != w.main {
			d.skip("%s: container %s (image %s) of %s %s: one container per component", c.addr(), other.Name, other.Image, w.kind, w.name)
		}
	}
	m := w.main
	for _, p := range m.Ports {
		switch {
		case p.ContainerPort <= 0:
		case p.Protocol == corev1.ProtocolUDP:
			c.portSpecs = append(c.portSpecs, portSpec{number: int(p.ContainerPort), protocol: "udp"})
		case p.Protocol == "" || p.Protocol == corev1.ProtocolTCP:
			c.ports = append(c.ports, int(p.ContainerPort))
		default:
			d.skip("%s: port %d/%s (a design's ports are tcp or udp)", c.addr(), p.ContainerPort, p.Protocol)
		}
	}
	sort.Ints(c.ports)
	c.ports = uniqInts(c.ports)
	// Kubernetes' command replaces the image's entrypoint, its args the
	// image's command.
	if m.Command != nil {
		c.entrypoint = append([]string{}, m.Command...)
	}
	if len(m.Args) > 0 {
		c.command = append([]string(nil), m.Args...)
	}
	redactCommand(d, c)
	env, secrets := containerEnv(d, c, m, configMaps, w.ns)
	w.env = env
	environment(d, c, env)
	for k, v := range secrets {
		setSecret(c, k, v)
	}
	res := m.Resources.Requests
	if len(res) == 0 {
		res = m.Resources.Limits
	}
	if q, ok := res[corev1.ResourceCPU]; ok && lang.ValidQuantity(q.String()) {
		c.cpu = q.String()
	}
	if q, ok := res[corev1.ResourceMemory]; ok && lang.ValidQuantity(q.String()) {
		c.memory = q.String()
	}
	probe := m.ReadinessProbe
	if probe == nil {
		probe = m.LivenessProbe
	}
	c.health = kubeHealth(probe, m)
	c.volume = kubeVolume(w, m)
}

// sidecars are containers that meshes and agents inject next to the
// application: never a workload's main container.
var sidecars = map[string]bool{"istio-proxy": true, "linkerd-proxy": true, "envoy-sidecar": true,
	"vault-agent": true, "cloud-sql-proxy": true, "datadog-agent": true, "fluent-bit": true}

// mainContainer is the workload's application container: not a sidecar;
// the one named after the workload, else the one whose image archform
// recognises, else the first.
func mainContainer(name string, cs []corev1.Container) *corev1.Container {
	var apps []*corev1.Container
	for i := range cs {
		if !sidecars[cs[i].Name] {
			apps = append(apps, &cs[i])
		}
	}
	if len(apps) == 0 {
		for i := range cs {
			apps = append(apps, &cs[i])
		}
	}
	for _, c := range apps {
		if c.Name == name {
			return c
		}
	}
	for _, c := range apps {
		if _, ok := classify(c.Image); ok {
			return c
		}
	}
	if len(apps) > 0 {
		return apps[0]
	}
	return nil
}

// containerEnv resolves a container's environment: envFrom ConfigMaps, then
// its env (literal values, ConfigMap keys); secretKeyRefs become secret
// references as they are.
func containerEnv(d *design, c *component, m *corev1.Container, configMaps map[string]*corev1.ConfigMap, ns string) (map[string]string, map[string]string) {
	env, secrets := map[string]string{}, map[string]string{}
	var unread []string
	for _, from := range m.EnvFrom {
		switch {
		case from.ConfigMapRef != nil:
			cm := configMaps[ns+"/"+from.ConfigMapRef.Name]
			if cm == nil {
				unread = append(unread, "envFrom ConfigMap "+from.ConfigMapRef.Name+" (not in the input)")
				continue
			}
			for k, v := range cm.Data {
				env[from.Prefix+k] = v
			}
		case from.SecretRef != nil:
			unread = append(unread, "envFrom Secret "+from.SecretRef.Name+" (its keys are not in the input)")
		}
	}
	for _, e := range m.Env {
		switch {
		case e.ValueFrom == nil:
			env[e.Name] = e.Value
		case e.ValueFrom.SecretKeyRef != nil:
			secrets[e.Name] = noSlash(e.ValueFrom.SecretKeyRef.Name) + "/" + noSlash(e.ValueFrom.SecretKeyRef.Key)
			delete(env, e.Name)
		case e.ValueFrom.ConfigMapKeyRef != nil:
			ref := e.ValueFrom.ConfigMapKeyRef
			if cm := configMaps[ns+"/"+ref.Name]; cm != nil {
				if v, ok := cm.Data[ref.Key]; ok {
					env[e.Name] = v
					continue
				}
			}
			unread = append(unread, e.Name+" (ConfigMap "+ref.Name+" key "+ref.Key+" not in the input)")
		default:
			unread = append(unread, e.Name+" (from the pod's fields or resources at run time)")
		}
	}
	if len(unread) > 0 {
		sort.Strings(unread)
		d.skip("%s: environment %s", c.addr(), strings.Join(unread, "; "))
	}
	return env, secrets
}

// kubeHealth reads a probe: its HTTP path and port, or TCP or gRPC port,
// and its timing.
func kubeHealth(p *corev1.Probe, m *corev1.Container) *health {
	if p == nil {
		return nil
	}
	h := &health{}
	switch {
	case p.HTTPGet != nil:
		h.path = p.HTTPGet.Path
		if h.path == "" || !strings.HasPrefix(h.path, "/") {
			h.path = "/" + h.path
		}
		h.port = containerPort(p.HTTPGet.Port, m)
	case p.TCPSocket != nil:
		h.port = containerPort(p.TCPSocket.Port, m)
	case p.GRPC != nil:
		h.port = int(p.GRPC.Port)
	}
	if h.port <= 0 || h.port > 65535 {
		h.port = 0
	}
	if p.PeriodSeconds > 0 {
		h.interval = strconv.Itoa(int(p.PeriodSeconds)) + "s"
	}
	if p.TimeoutSeconds > 0 {
		h.timeout = strconv.Itoa(int(p.TimeoutSeconds)) + "s"
	}
	if p.FailureThreshold > 0 {
		h.unhealthyThreshold = int(p.FailureThreshold)
	}
	return h
}

// containerPort resolves a probe's port: a number, or a named container port.
func containerPort(p intstr.IntOrString, m *corev1.Container) int {
	if p.Type == intstr.Int {
		return p.IntValue()
	}
	for _, cp := range m.Ports {
		if cp.Name == p.StrVal {
			return int(cp.ContainerPort)
		}
	}
	return 0
}

// kubeVolume is the workload's persistent volume: a StatefulSet's first
// volume claim template, or a mounted PersistentVolumeClaim.
func kubeVolume(w *workload, m *corev1.Container) *volume {
	mountOf := func(name string) string {
		for _, vm := range m.VolumeMounts {
			if vm.Name == name && strings.HasPrefix(vm.MountPath, "/") {
				return vm.MountPath
			}
		}
		return ""
	}
	for _, pvc := range w.claims {
		if path := mountOf(pvc.Name); path != "" {
			v := &volume{path: path}
			if q, ok := pvc.Spec.Resources.Requests[corev1.ResourceStorage]; ok && lang.ValidQuantity(q.String()) {
				v.size = q.String()
			}
			return v
		}
	}
	for _, vol := range w.pod.Volumes {
		if vol.PersistentVolumeClaim != nil {
			if path := mountOf(vol.Name); path != "" {
				return &volume{path: path}
			}
		}
	}
	return nil
}

// selected lists the components whose pod labels a selector matches.
func selected(works []*workload, ns string, sel map[string]string) []*component {
	if len(sel) == 0 {
		return nil
	}
	var out []*component
	for _, w := range works {
		if w.ns != ns {
			continue
		}
		ok := true
		for k, v := range sel {
			if w.labels[k] != v {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, w.c)
		}
	}
	return out
}

// addServicePorts gives a component without container ports the numeric
// target ports of the Services that select it.
func addServicePorts(sel []*component, svc *corev1.Service) {
	for _, c := range sel {
		if len(c.ports) > 0 {
			continue
		}
		for _, p := range svc.Spec.Ports {
			port := int(p.Port)
			if p.TargetPort.Type == intstr.Int && p.TargetPort.IntVal > 0 {
				port = int(p.TargetPort.IntVal)
			}
			if port > 0 && port < 65536 {
				c.ports = append(c.ports, port)
			}
		}
		sort.Ints(c.ports)
		c.ports = uniqInts(c.ports)
	}
}

func ingressServices(in *networkingv1.Ingress) []string {
	var out []string
	if b := in.Spec.DefaultBackend; b != nil && b.Service != nil {
		out = append(out, b.Service.Name)
	}
	for _, r := range in.Spec.Rules {
		if r.HTTP == nil {
			continue
		}
		for _, p := range r.HTTP.Paths {
			if p.Backend.Service != nil {
				out = append(out, p.Backend.Service.Name)
			}
		}
	}
	sort.Strings(out)
	return out
}

func cpuTarget(metrics []autoscalingv2.MetricSpec) *int32 {
	for _, m := range metrics {
		if m.Type == autoscalingv2.ResourceMetricSourceType && m.Resource != nil && m.Resource.Name == corev1.ResourceCPU {
			return m.Resource.Target.AverageUtilization
		}
	}
	return nil
}

// hpa sets a workload's autoscale block from its HorizontalPodAutoscaler.
func hpa(d *design, w *workload, name string, lo *int32, hi int32, target *int32) {
	if w == nil {
		d.skip("HorizontalPodAutoscaler %s: its target is not an imported workload", name)
		return
	}
	a := &autoscale{min: 1, max: int(hi)}
	if lo != nil && *lo > 0 {
		a.min = int(*lo)
	}
	if a.max < a.min {
		a.max = a.min
	}
	if target != nil && *target > 0 && *target <= 100 {
		a.target = float64(*target) / 100
	}
	w.c.autoscale = a
	d.guess("%s: autoscale from HorizontalPodAutoscaler %s", w.c.addr(), name)
}

func budget(p *policyv1.PodDisruptionBudget) string {
	switch {
	case p.Spec.MinAvailable != nil:
		return "minAvailable " + p.Spec.MinAvailable.String()
	case p.Spec.MaxUnavailable != nil:
		return "maxUnavailable " + p.Spec.MaxUnavailable.String()
	}
	return "no limit"
}

func orNone(ss []string) string {
	if len(ss) == 0 {
		return "no imported workload"
	}
	return strings.Join(ss, ", ")
}

// kubeResolver resolves a Service's DNS forms: svc (in the caller's
// namespace), svc.ns, svc.ns.svc and svc.ns.svc.cluster.local (any
// cluster domain).
func kubeResolver(services map[string][]*component) *resolver {
	r := newResolver()
	r.dns = func(host, ns string) []*component {
		labels := strings.Split(host, ".")
		var svc, in string
		switch {
		case len(labels) == 1:
			svc, in = labels[0], ns
		case len(labels) == 2:
			svc, in = labels[0], labels[1]
		case labels[2] == "svc":
			svc, in = labels[0], labels[1]
		default:
			return nil
		}
		if cs := services[in+"/"+svc]; len(cs) > 0 {
			return cs
		}
		if in == "default" {
			return services["/"+svc]
		}
		if in == "" {
			return services["default/"+svc]
		}
		return nil
	}
	return r
}

// kubeCalls finds a workload's calls: the Services its environment
// (env, envFrom ConfigMaps), its command and arguments, and the ConfigMap
// files it mounts name.
func kubeCalls(w *workload, r *resolver, configMaps map[string]*corev1.ConfigMap) {
	c := w.c
	if c.evidence == nil {
		c.evidence = found{}
	}
	where := w.file + " " + w.kind + "/" + w.name
	configured := false
	for _, k := range slices.Sorted(maps.Keys(w.env)) {
		if secretSetting(k) {
			continue
		}
		if r.scanInto(c.evidence, c, w.ns, w.env[k], addressWord(k), where+" env "+k) {
			configured = true
		}
	}
	if m := w.main; m != nil {
		if r.scanCommand(c.evidence, c, w.ns, m.Command, where+" command") {
			configured = true
		}
		if r.scanCommand(c.evidence, c, w.ns, m.Args, where+" args") {
			configured = true
		}
		mounted := map[string]bool{}
		for _, vm := range m.VolumeMounts {
			mounted[vm.Name] = true
		}
		for _, v := range w.pod.Volumes {
			if v.ConfigMap == nil || !mounted[v.Name] {
				continue
			}
			cm := configMaps[w.ns+"/"+v.ConfigMap.Name]
			if cm == nil {
				continue
			}
			for _, key := range slices.Sorted(maps.Keys(cm.Data)) {
				settings, err := settingsOf(key, []byte(cm.Data[key]))
				if err != nil {
					continue
				}
				for _, st := range settings {
					if secretSetting(lastKey(st.key)) {
						continue
					}
					ev := fmt.Sprintf("ConfigMap/%s %s line %d %s", cm.Name, key, st.line, st.key)
					if r.scanInto(c.evidence, c, w.ns, st.value, st.address, ev) {
						configured = true
					}
				}
			}
		}
	}
	c.noCalls = !configured && len(c.evidence) == 0
}

// kubeZones writes the zones that node affinity or a node selector pins a
// workload to, with a region declaring them; spread constraints over zones
// without named zones are a note.
func kubeZones(d *design, works []*workload) {
	all := map[string]bool{}
	for _, w := range works {
		zones := map[string]bool{}
		for k, v := range w.pod.NodeSelector {
			if zoneKeys[k] {
				zones[v] = true
			}
		}
		if a := w.pod.Affinity; a != nil && a.NodeAffinity != nil && a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution != nil {
			for _, t := range a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms {
				for _, e := range t.MatchExpressions {
					if zoneKeys[e.Key] && e.Operator == corev1.NodeSelectorOpIn {
						for _, v := range e.Values {
							zones[v] = true
						}
					}
				}
			}
		}
		if len(zones) > 0 {
			w.c.zones = slices.Sorted(maps.Keys(zones))
			for z := range zones {
				all[z] = true
			}
			d.guess("%s: zones from its node affinity", w.c.addr())
			continue
		}
		for _, t := range w.pod.TopologySpreadConstraints {
			if zoneKeys[t.TopologyKey] {
				d.fill = append(d.fill, fmt.Sprintf("%s: zones (its pods spread over zones, maxSkew %d, whose names the manifests do not give)", w.c.addr(), t.MaxSkew))
				break
			}
		}
	}
	if len(all) == 0 {
		d.fill = append(d.fill, "zones: declare a region with zones and place each component (the manifests pin no workload to zones)")
		return
	}
	zones := slices.Sorted(maps.Keys(all))
	d.region = &region{name: regionName(zones), zones: zones}
	d.guess("region.%s: declares the zones the workloads use", d.region.name)
}

// regionName is the zones' common region (us-east1-b, us-east1-c →
// us-east1), else "region".
func regionName(zones []string) string {
	name := ""
	for i, z := range zones {
		r := z
		if j := strings.LastIndex(z, "-"); j > 0 {
			r = z[:j]
		}
		if i > 0 && r != name {
			return "region"
		}
		name = r
	}
	if name == "" || name == zones[0] {
		return "region"
	}
	return identifier(name)
}

func uniq(cs []*component) []*component {
	seen := map[*component]bool{}
	var out []*component
	for _, c := range cs {
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}

func uniqInts(xs []int) []int {
	var out []int
	for i, x := range xs {
		if i == 0 || x != xs[i-1] {
			out = append(out, x)
		}
	}
	return out
}
