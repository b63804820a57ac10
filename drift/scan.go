package drift

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/archform/archform/lang"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/archform/archform/emit"
	"github.com/hashicorp/hcl/v2"
	"go.yaml.in/yaml/v3"
)

// Workload is one deployed unit as the files say it: a Compose service or
// a Kubernetes Deployment, StatefulSet or DaemonSet.
type Workload struct {
	Name string
	// Kind is "service" (Compose) or the Kubernetes kind.
	Kind string
	// Range is where it is declared: the service's key, or the object's
	// metadata.name.
	Range  hcl.Range
	Labels map[string]string
	// Replicas (1 where the file says nothing) and where it is said.
	Replicas      int
	ReplicasRange hcl.Range
	Image         string
	ImageRange    hcl.Range
	// CPU and Memory are the first container's requests (Kubernetes) or
	// limits (Compose), as written ("" when unset).
	CPU, Memory   string
	ResourceRange hcl.Range
	// ZoneSpread: the pods are spread over topology.kubernetes.io/zone.
	ZoneSpread bool
	// DependsOn are the Compose services it depends on.
	DependsOn []string
}

// Allow is a call a Kubernetes NetworkPolicy admits: pods named From may
// open connections to pods named To (by app.kubernetes.io/name).
type Allow struct {
	From, To string
	Range    hcl.Range
}

// Deployment is what a set of deployment files says runs.
type Deployment struct {
	Workloads []*Workload
	// Policies are the NetworkPolicy admissions; HasPolicies tells an input
	// without NetworkPolicies (every call allowed) from one that admits none.
	Policies    []Allow
	HasPolicies bool
	// Files holds each file read, for printing snippets of its lines.
	Files map[string][]byte
}

// MaxFileSize is the largest deployment file drift reads.
const MaxFileSize = 16 << 20

// MaxDepth is the deepest YAML nesting drift accepts.
const MaxDepth = lang.MaxYAMLDepth

// InputError is a deployment file that cannot be read or parsed.
type InputError struct {
	File string
	Line int
	Err  error
}

func (e *InputError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.File, e.Err)
}

func readLimited(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file")
	}
	if info.Size() > MaxFileSize {
		return nil, fmt.Errorf("larger than %d bytes", MaxFileSize)
	}
	return io.ReadAll(io.LimitReader(f, MaxFileSize+1))
}

// yamlFiles expands directories into the YAML files below them, sorted.
func yamlFiles(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, &InputError{File: p, Err: errors.Unwrap(err)}
		}
		if !info.IsDir() {
			out = append(out, p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && (strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
				out = append(out, path)
			}
			return nil
		})
		if err != nil {
			return nil, &InputError{File: p, Err: err}
		}
	}
	sort.Strings(out)
	return out, nil
}

// ScanCompose reads Compose files.
func ScanCompose(paths []string) (*Deployment, error) {
	return readAndScan(emit.TargetCompose, paths)
}

// readAndScan reads the files (size-limited, regular files only) and scans
// them as the target's deployment files.
func readAndScan(target Target, paths []string) (*Deployment, error) {
	files := map[string][]byte{}
	for _, name := range paths {
		src, err := readLimited(name)
		if err != nil {
			return nil, &InputError{File: name, Err: err}
		}
		files[name] = src
	}
	return scanFiles(target, paths, files)
}

// scanFiles reads the workloads and NetworkPolicies of a target's files, in the
// order of names: the user's files and emit's output alike.
func scanFiles(target Target, names []string, files map[string][]byte) (*Deployment, error) {
	dep := &Deployment{Files: files}
	for _, name := range names {
		docs, err := parseYAML(name, files[name])
		if err != nil {
			return nil, err
		}
		for _, doc := range docs {
			if target == emit.TargetCompose {
				services := get(doc, "services")
				if services == nil || services.Kind != yaml.MappingNode {
					continue
				}
				for i := 0; i+1 < len(services.Content); i += 2 {
					dep.Workloads = append(dep.Workloads, composeService(name, services.Content[i], services.Content[i+1]))
				}
				continue
			}
			objs := []*yaml.Node{doc}
			if kind := get(doc, "kind"); kind != nil && kind.Value == "List" {
				objs = nil
				if items := get(doc, "items"); items != nil {
					objs = items.Content
				}
			}
			for _, o := range objs {
				kind := get(o, "kind")
				if kind == nil {
					continue
				}
				switch kind.Value {
				case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet":
					dep.Workloads = append(dep.Workloads, kubeWorkload(name, kind.Value, o))
				case "NetworkPolicy":
					dep.HasPolicies = true
					dep.Policies = append(dep.Policies, policyAllows(name, o)...)
				}
			}
		}
	}
	mergeByName(dep)
	return dep, nil
}

func composeService(file string, key, v *yaml.Node) *Workload {
	w := &Workload{Name: key.Value, Kind: "service", Range: rng(file, key), Replicas: 1, Labels: map[string]string{}}
	w.ReplicasRange, w.ImageRange, w.ResourceRange = w.Range, w.Range, w.Range
	if img := get(v, "image"); img != nil {
		w.Image, w.ImageRange = img.Value, rng(file, img)
	}
	if r := get(v, "deploy", "replicas"); r != nil {
		if n, err := strconv.Atoi(r.Value); err == nil {
			w.Replicas, w.ReplicasRange = n, rng(file, r)
		}
	} else if r := get(v, "scale"); r != nil {
		if n, err := strconv.Atoi(r.Value); err == nil {
			w.Replicas, w.ReplicasRange = n, rng(file, r)
		}
	}
	if lim := get(v, "deploy", "resources", "limits"); lim != nil {
		w.ResourceRange = rng(file, lim)
		if c := get(lim, "cpus"); c != nil {
			w.CPU = c.Value
		}
		if m := get(lim, "memory"); m != nil {
			w.Memory = m.Value
		}
	}
	labels := get(v, "labels")
	if labels != nil && labels.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(labels.Content); i += 2 {
			w.Labels[labels.Content[i].Value] = labels.Content[i+1].Value
		}
	} else if labels != nil && labels.Kind == yaml.SequenceNode {
		for _, l := range labels.Content {
			k, val, _ := strings.Cut(l.Value, "=")
			w.Labels[k] = val
		}
	}
	switch d := get(v, "depends_on"); {
	case d == nil:
	case d.Kind == yaml.MappingNode:
		for i := 0; i < len(d.Content); i += 2 {
			w.DependsOn = append(w.DependsOn, d.Content[i].Value)
		}
	case d.Kind == yaml.SequenceNode:
		for _, x := range d.Content {
			w.DependsOn = append(w.DependsOn, x.Value)
		}
	}
	sort.Strings(w.DependsOn)
	return w
}

// ScanKubernetes reads Kubernetes manifests (files, or directories read
// recursively for *.yaml and *.yml).
func ScanKubernetes(paths []string) (*Deployment, error) {
	files, err := yamlFiles(paths)
	if err != nil {
		return nil, err
	}
	return readAndScan(emit.TargetKubernetes, files)
}

func kubeWorkload(file, kind string, o *yaml.Node) *Workload {
	w := &Workload{Kind: kind, Replicas: 1, Labels: map[string]string{}}
	if n := get(o, "metadata", "name"); n != nil {
		w.Name, w.Range = n.Value, rng(file, n)
	} else {
		w.Range = rng(file, o)
	}
	w.ReplicasRange, w.ImageRange, w.ResourceRange = w.Range, w.Range, w.Range
	if labels := get(o, "metadata", "labels"); labels != nil && labels.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(labels.Content); i += 2 {
			w.Labels[labels.Content[i].Value] = labels.Content[i+1].Value
		}
	}
	if r := get(o, "spec", "replicas"); r != nil {
		if n, err := strconv.Atoi(r.Value); err == nil {
			w.Replicas, w.ReplicasRange = n, rng(file, r)
		}
	}
	if cs := get(o, "spec", "template", "spec", "containers"); cs != nil && cs.Kind == yaml.SequenceNode && len(cs.Content) > 0 {
		c := cs.Content[0]
		if img := get(c, "image"); img != nil {
			w.Image, w.ImageRange = img.Value, rng(file, img)
		}
		if req := get(c, "resources", "requests"); req != nil {
			w.ResourceRange = rng(file, req)
			if x := get(req, "cpu"); x != nil {
				w.CPU = x.Value
			}
			if x := get(req, "memory"); x != nil {
				w.Memory = x.Value
			}
		}
	}
	if tsc := get(o, "spec", "template", "spec", "topologySpreadConstraints"); tsc != nil {
		for _, c := range tsc.Content {
			if k := get(c, "topologyKey"); k != nil && k.Value == "topology.kubernetes.io/zone" {
				w.ZoneSpread = true
			}
		}
	}
	return w
}

const nameLabel = "app.kubernetes.io/name"

func policyAllows(file string, o *yaml.Node) []Allow {
	to := get(o, "spec", "podSelector", "matchLabels", nameLabel)
	if to == nil {
		return nil
	}
	var out []Allow
	ingress := get(o, "spec", "ingress")
	if ingress == nil {
		return nil
	}
	for _, rule := range ingress.Content {
		from := get(rule, "from")
		if from == nil {
			continue
		}
		for _, peer := range from.Content {
			if n := get(peer, "podSelector", "matchLabels", nameLabel); n != nil {
				out = append(out, Allow{From: n.Value, To: to.Value, Range: rng(file, n)})
			}
		}
	}
	return out
}

// mergeByName keeps the first of workloads that share a name (a Compose
// override file restating a service).
func mergeByName(dep *Deployment) {
	seen := map[string]*Workload{}
	var out []*Workload
	for _, w := range dep.Workloads {
		if prev, ok := seen[w.Name]; ok {
			if w.Image != "" {
				prev.Image, prev.ImageRange = w.Image, w.ImageRange
			}
			if w.ReplicasRange != w.Range {
				prev.Replicas, prev.ReplicasRange = w.Replicas, w.ReplicasRange
			}
			continue
		}
		seen[w.Name] = w
		out = append(out, w)
	}
	dep.Workloads = out
}

func parseYAML(name string, src []byte) ([]*yaml.Node, error) {
	if err := lang.CheckYAMLDepth(src); err != nil {
		return nil, &InputError{File: name, Err: err}
	}
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var docs []*yaml.Node
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if err == io.EOF {
			break
		}
		if err != nil {
			ie := &InputError{File: name, Err: err}
			if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
				ie.Line, _ = strconv.Atoi(m[1])
				ie.Err = errors.New(m[2])
			}
			return nil, ie
		}
		if len(n.Content) > 0 {
			docs = append(docs, n.Content[0])
		}
	}
	return docs, nil
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// get follows mapping keys.
func get(n *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		if n == nil {
			return nil
		}
		if n.Kind == yaml.AliasNode {
			n = n.Alias
		}
		if n.Kind != yaml.MappingNode {
			return nil
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == k {
				next = n.Content[i+1]
			}
		}
		n = next
	}
	if n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

func rng(file string, n *yaml.Node) hcl.Range {
	start := hcl.Pos{Line: n.Line, Column: n.Column}
	end := hcl.Pos{Line: n.Line, Column: n.Column + len(n.Value)}
	if n.Kind != yaml.ScalarNode {
		end = start
	}
	return hcl.Range{Filename: file, Start: start, End: end}
}
