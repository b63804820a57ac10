package emit

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/validation"
	"sigs.k8s.io/yaml"
)

// validateKubernetes decodes every generated document strictly into its
// k8s.io/api type (an unknown or misspelt field fails) and checks what the
// API server would refuse or what would silently select nothing: names,
// labels, selectors against pod templates, and references between objects.
func validateKubernetes(files []File) error {
	var docs []kubeDoc
	for _, f := range files {
		for i, raw := range splitDocuments(f.Data) {
			doc, err := decodeStrict(raw)
			if err != nil {
				return &ValidationError{Target: TargetKubernetes, File: fmt.Sprintf("%s (document %d)", f.Name, i+1), Err: err}
			}
			doc.file = f.Name
			docs = append(docs, doc)
		}
	}
	c := &crossCheck{docs: docs, templates: map[string]map[string]string{}, services: map[string]*corev1.Service{}}
	seen := map[string]string{}
	for _, d := range docs {
		key := d.kind + "/" + d.name
		if other, dup := seen[key]; dup {
			return &ValidationError{Target: TargetKubernetes, File: d.file, Err: fmt.Errorf("%s is also defined in %s", key, other)}
		}
		seen[key] = d.file
		c.index(d)
	}
	for _, d := range docs {
		if err := c.check(d); err != nil {
			return &ValidationError{Target: TargetKubernetes, File: d.file, Err: fmt.Errorf("%s %s: %w", d.kind, d.name, err)}
		}
	}
	return nil
}

type kubeDoc struct {
	file, kind, name string
	obj              any
	meta             *metav1.ObjectMeta
}

func splitDocuments(data []byte) [][]byte {
	var out [][]byte
	for _, part := range bytes.Split(data, []byte("\n---\n")) {
		if len(bytes.TrimSpace(stripComments(part))) > 0 {
			out = append(out, part)
		}
	}
	return out
}

func stripComments(b []byte) []byte {
	var out []byte
	for _, line := range bytes.Split(b, []byte("\n")) {
		if !bytes.HasPrefix(bytes.TrimSpace(line), []byte("#")) {
			out = append(append(out, line...), '\n')
		}
	}
	return out
}

func decodeStrict(raw []byte) (kubeDoc, error) {
	var tm metav1.TypeMeta
	if err := yaml.Unmarshal(raw, &tm); err != nil {
		return kubeDoc{}, err
	}
	var doc kubeDoc
	switch tm.APIVersion + " " + tm.Kind {
	case "apps/v1 Deployment":
		o := &appsv1.Deployment{}
		doc.obj, doc.meta = o, &o.ObjectMeta
	case "apps/v1 StatefulSet":
		o := &appsv1.StatefulSet{}
		doc.obj, doc.meta = o, &o.ObjectMeta
	case "v1 Service":
		o := &corev1.Service{}
		doc.obj, doc.meta = o, &o.ObjectMeta
	case "policy/v1 PodDisruptionBudget":
		o := &policyv1.PodDisruptionBudget{}
		doc.obj, doc.meta = o, &o.ObjectMeta
	case "autoscaling/v2 HorizontalPodAutoscaler":
		o := &autoscalingv2.HorizontalPodAutoscaler{}
		doc.obj, doc.meta = o, &o.ObjectMeta
	case "networking.k8s.io/v1 NetworkPolicy":
		o := &networkingv1.NetworkPolicy{}
		doc.obj, doc.meta = o, &o.ObjectMeta
	case "networking.k8s.io/v1 Ingress":
		o := &networkingv1.Ingress{}
		doc.obj, doc.meta = o, &o.ObjectMeta
	default:
		return kubeDoc{}, fmt.Errorf("unexpected object %s %s", tm.APIVersion, tm.Kind)
	}
	if err := yaml.UnmarshalStrict(raw, doc.obj); err != nil {
		return kubeDoc{}, err
	}
	doc.kind, doc.name = tm.Kind, doc.meta.Name
	return doc, nil
}

// crossCheck holds what objects refer to: pod template labels by workload
// ("Kind/name") and Services by name.
type crossCheck struct {
	docs      []kubeDoc
	templates map[string]map[string]string
	services  map[string]*corev1.Service
}

func (c *crossCheck) index(d kubeDoc) {
	switch o := d.obj.(type) {
	case *appsv1.Deployment:
		c.templates["Deployment/"+o.Name] = o.Spec.Template.Labels
	case *appsv1.StatefulSet:
		c.templates["StatefulSet/"+o.Name] = o.Spec.Template.Labels
	case *corev1.Service:
		c.services[o.Name] = o
	}
}

// selects reports whether a selector matches some pod template.
func (c *crossCheck) selects(sel labels.Selector) bool {
	for _, l := range c.templates {
		if sel.Matches(labels.Set(l)) {
			return true
		}
	}
	return false
}

func (c *crossCheck) labelSelector(ls *metav1.LabelSelector) error {
	if ls == nil {
		return errors.New("no selector")
	}
	sel, err := metav1.LabelSelectorAsSelector(ls)
	if err != nil {
		return err
	}
	if !c.selects(sel) {
		return fmt.Errorf("selector %s matches no pod template", sel)
	}
	return nil
}

func (c *crossCheck) check(d kubeDoc) error {
	nameErrs := validation.IsDNS1123Subdomain(d.name)
	if d.kind == "Service" {
		nameErrs = validation.IsDNS1035Label(d.name)
	}
	if len(nameErrs) > 0 {
		return fmt.Errorf("invalid name: %s", strings.Join(nameErrs, "; "))
	}
	if err := validLabels(d.meta.Labels); err != nil {
		return err
	}
	switch o := d.obj.(type) {
	case *appsv1.Deployment:
		return c.workload(o.Spec.Selector, o.Spec.Template)
	case *appsv1.StatefulSet:
		if svc := c.services[o.Spec.ServiceName]; svc == nil || svc.Spec.ClusterIP != corev1.ClusterIPNone {
			return fmt.Errorf("serviceName %q is not a headless Service", o.Spec.ServiceName)
		}
		for _, pvc := range o.Spec.VolumeClaimTemplates {
			if !mounted(o.Spec.Template.Spec, pvc.Name) {
				return fmt.Errorf("volume claim template %q is not mounted", pvc.Name)
			}
		}
		return c.workload(o.Spec.Selector, o.Spec.Template)
	case *corev1.Service:
		if len(o.Spec.Ports) == 0 {
			return errors.New("no ports")
		}
		return c.labelSelector(&metav1.LabelSelector{MatchLabels: o.Spec.Selector})
	case *policyv1.PodDisruptionBudget:
		if (o.Spec.MinAvailable == nil) == (o.Spec.MaxUnavailable == nil) {
			return errors.New("want exactly one of minAvailable and maxUnavailable")
		}
		return c.labelSelector(o.Spec.Selector)
	case *autoscalingv2.HorizontalPodAutoscaler:
		ref := o.Spec.ScaleTargetRef
		if _, ok := c.templates[ref.Kind+"/"+ref.Name]; !ok {
			return fmt.Errorf("scaleTargetRef %s/%s does not exist", ref.Kind, ref.Name)
		}
		if o.Spec.MinReplicas == nil || *o.Spec.MinReplicas < 1 || o.Spec.MaxReplicas < *o.Spec.MinReplicas {
			return errors.New("invalid replica range")
		}
	case *networkingv1.NetworkPolicy:
		if len(o.Spec.PolicyTypes) != 2 {
			return errors.New("want both Ingress and Egress policy types")
		}
		return c.labelSelector(&o.Spec.PodSelector)
	case *networkingv1.Ingress:
		for _, r := range o.Spec.Rules {
			for _, p := range r.HTTP.Paths {
				b := p.Backend.Service
				svc := c.services[b.Name]
				if svc == nil {
					return fmt.Errorf("backend Service %q does not exist", b.Name)
				}
				if !hasPort(svc, b.Port.Number) {
					return fmt.Errorf("backend Service %q has no port %d", b.Name, b.Port.Number)
				}
			}
		}
	}
	return nil
}

func (c *crossCheck) workload(sel *metav1.LabelSelector, t corev1.PodTemplateSpec) error {
	if err := validLabels(t.Labels); err != nil {
		return err
	}
	s, err := metav1.LabelSelectorAsSelector(sel)
	if err != nil {
		return err
	}
	if s.Empty() || !s.Matches(labels.Set(t.Labels)) {
		return fmt.Errorf("selector %s does not match the pod template's labels", s)
	}
	for _, ctr := range t.Spec.Containers {
		if errs := validation.IsDNS1123Label(ctr.Name); len(errs) > 0 {
			return fmt.Errorf("container name %q: %s", ctr.Name, strings.Join(errs, "; "))
		}
		for _, m := range ctr.VolumeMounts {
			if !declared(t.Spec, m.Name) && m.Name != "data" {
				return fmt.Errorf("volume mount %q has no volume", m.Name)
			}
		}
		for _, p := range ctr.Ports {
			if errs := validation.IsValidPortNum(int(p.ContainerPort)); len(errs) > 0 {
				return fmt.Errorf("container port %d: %s", p.ContainerPort, strings.Join(errs, "; "))
			}
			if errs := validation.IsValidPortName(p.Name); len(errs) > 0 {
				return fmt.Errorf("port name %q: %s", p.Name, strings.Join(errs, "; "))
			}
		}
	}
	return nil
}

func validLabels(l map[string]string) error {
	for k, v := range l {
		if errs := append(validation.IsQualifiedName(k), validation.IsValidLabelValue(v)...); len(errs) > 0 {
			return fmt.Errorf("label %s=%q: %s", k, v, strings.Join(errs, "; "))
		}
	}
	return nil
}

func declared(spec corev1.PodSpec, name string) bool {
	for _, v := range spec.Volumes {
		if v.Name == name {
			return true
		}
	}
	return false
}

func mounted(spec corev1.PodSpec, name string) bool {
	for _, ctr := range spec.Containers {
		for _, m := range ctr.VolumeMounts {
			if m.Name == name {
				return true
			}
		}
	}
	return false
}

func hasPort(svc *corev1.Service, port int32) bool {
	for _, p := range svc.Spec.Ports {
		if p.Port == port {
			return true
		}
	}
	return false
}
