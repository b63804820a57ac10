package emit

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/archform/archform/lang"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation"
	"sigs.k8s.io/yaml"
)

// denyAllName is the NetworkPolicy that denies all traffic not allowed by a
// component's own policy.
const denyAllName = lang.DefaultDenyName

// SingleFileName is the file --single-file writes.
const SingleFileName = "manifests.yaml"

// Labels and values archform puts on every object.
const (
	labelName      = "app.kubernetes.io/name"
	labelPartOf    = "app.kubernetes.io/part-of"
	labelComponent = "app.kubernetes.io/component"
	labelManagedBy = "app.kubernetes.io/managed-by"
	labelLBPrefix  = "lb.archform.dev/" // + load balancer name: the pods behind it
	zoneKey        = "topology.kubernetes.io/zone"
	hostKey        = "kubernetes.io/hostname"
	// The unprivileged identity every container runs as (kube-score asks
	// for ids above 10000).
	runAsID = 10001
)

// Kubernetes builds the design's Kubernetes objects, one file per object (or
// one file with Options.SingleFile), each decoded back strictly and checked.
func Kubernetes(d *lang.Design, opts Options) (*Result, error) {
	n := &notes{rule: kubernetesRuleID, target: "Kubernetes"}
	p := newPlan(d, n)
	kb := &kubeBuilder{p: p, n: n, opts: opts}
	kb.build()
	files, err := kb.files()
	if err != nil {
		return nil, err
	}
	if err := validateKubernetes(files); err != nil {
		return nil, err
	}
	return &Result{Target: TargetKubernetes, Files: files, Findings: n.sorted()}, nil
}

type kubeBuilder struct {
	p       *plan
	n       *notes
	opts    Options
	objects []kubeObject
}

type kubeObject struct {
	kind, name string
	obj        any
	// notes are written as comments above the object: why it departs from
	// the hardened default.
	notes []string
}

func (kb *kubeBuilder) add(kind, name string, obj any) {
	kb.objects = append(kb.objects, kubeObject{kind: kind, name: name, obj: obj})
}

func (kb *kubeBuilder) build() {
	if len(kb.p.units) > 0 {
		kb.add("NetworkPolicy", denyAllName, kb.denyAll())
	}
	for _, u := range kb.p.units {
		kb.unit(u)
	}
	for _, b := range kb.p.lbs {
		kb.balancer(b)
	}
	for _, c := range kb.p.d.Components {
		kb.inexpressible(c)
		transportNotes(kb.n, kb.p.d, c)
	}
	for _, u := range kb.p.units {
		kb.blockedCalls(u)
	}
	kb.secretObjects()
}

// labels are a component's object labels: the recommended labels and the
// design's own (those Kubernetes accepts).
func (kb *kubeBuilder) labels(c *lang.Component, name string) map[string]string {
	l := kb.selector(name)
	l[labelComponent] = dnsLabel(string(c.Kind), 63)
	l[labelManagedBy] = "archform"
	l[labelTrustZone] = string(c.TrustZone)
	keys := make([]string, 0, len(c.Labels))
	for k := range c.Labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := c.Labels[k]
		errs := append(validation.IsQualifiedName(k), validation.IsValidLabelValue(v)...)
		if len(errs) > 0 {
			kb.n.warn(c, "labels", "Kubernetes cannot carry label %s=%q of %s: %s", k, v, c.Addr, strings.Join(errs, "; "))
			continue
		}
		if _, ours := l[k]; !ours {
			l[k] = v
		}
	}
	return l
}

func (kb *kubeBuilder) selector(name string) map[string]string {
	return map[string]string{labelName: name, labelPartOf: kb.p.system}
}

func meta(name string, labels map[string]string) metav1.ObjectMeta {
	return metav1.ObjectMeta{Name: name, Labels: labels}
}

func (kb *kubeBuilder) denyAll() *networkingv1.NetworkPolicy {
	return &networkingv1.NetworkPolicy{
		TypeMeta:   metav1.TypeMeta{APIVersion: "networking.k8s.io/v1", Kind: "NetworkPolicy"},
		ObjectMeta: meta(denyAllName, map[string]string{labelPartOf: kb.p.system, labelManagedBy: "archform"}),
		Spec: networkingv1.NetworkPolicySpec{
			PodSelector: metav1.LabelSelector{MatchLabels: map[string]string{labelPartOf: kb.p.system}},
			PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeIngress, networkingv1.PolicyTypeEgress},
		},
	}
}

// unit emits a deployable component's workload, Service, disruption budget,
// autoscaler, network policy and, when public, its way in.
func (kb *kubeBuilder) unit(u *unit) {
	c := u.c
	callers, public := kb.callers(u)
	// A StatefulSet needs its headless Service (and then, for kube-score, a
	// readiness probe) whether or not anything calls it.
	stateful := u.Volume != nil || c.Stateful || c.Kind == lang.KindCache && u.Replicas > 1
	u.Reached = public || len(callers) > 0 || len(u.Behind) > 0 || stateful
	labels := kb.labels(c, u.Name)
	podLabels := map[string]string{}
	for k, v := range labels {
		podLabels[k] = v
	}
	for _, b := range u.Behind {
		podLabels[labelLBPrefix+b.Name] = "true"
	}
	sel := &metav1.LabelSelector{MatchLabels: kb.selector(u.Name)}
	tmpl := corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: podLabels}, Spec: kb.podSpec(u)}
	replicas := int32(u.Replicas)
	hpa := c.Autoscale != nil && !c.Kind.Stateful()
	// Caches of several instances get a StatefulSet too: its headless
	// Service lets clients address each instance.
	if stateful {
		ss := &appsv1.StatefulSet{
			TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "StatefulSet"},
			ObjectMeta: meta(u.Name, labels),
			Spec: appsv1.StatefulSetSpec{
				Replicas: &replicas, Selector: sel, Template: tmpl, ServiceName: u.Name,
				UpdateStrategy: appsv1.StatefulSetUpdateStrategy{Type: appsv1.RollingUpdateStatefulSetStrategyType},
			},
		}
		if u.Members > 0 {
			// Members bootstrap together: start them all at once.
			ss.Spec.PodManagementPolicy = appsv1.ParallelPodManagement
		}
		if hpa {
			ss.Spec.Replicas = nil
		}
		if u.Volume != nil {
			size, err := resource.ParseQuantity(u.Volume.Size)
			if err != nil {
				kb.n.warn(c, "volume.size", "Kubernetes cannot read volume size %q of %s: %v; using %s", u.Volume.Size, c.Addr, err, defaultVolumeSize)
				size = resource.MustParse(defaultVolumeSize)
			}
			ss.Spec.VolumeClaimTemplates = []corev1.PersistentVolumeClaim{{
				ObjectMeta: metav1.ObjectMeta{Name: "data", Labels: kb.selector(u.Name)},
				Spec: corev1.PersistentVolumeClaimSpec{
					AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
					Resources:   corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: size}},
				},
			}}
		}
		if c.Deploy != nil && c.Deploy.Strategy == "rolling" && (c.Has("deploy.max_unavailable") || c.Has("deploy.max_surge")) {
			kb.n.info(c, "deploy", "a StatefulSet replaces the pods of %s one at a time, from the highest ordinal down: its max_unavailable and max_surge are not written", c.Addr)
		}
		ss.Annotations = rootAnnotations(u)
		kb.add("StatefulSet", u.Name, ss)
		kb.objects[len(kb.objects)-1].notes = u.Notes
	} else {
		dep := &appsv1.Deployment{
			TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
			ObjectMeta: meta(u.Name, labels),
			Spec: appsv1.DeploymentSpec{
				Replicas: &replicas, Selector: sel, Template: tmpl,
				Strategy: deploymentStrategy(c, u.Replicas),
			},
		}
		if hpa {
			dep.Spec.Replicas = nil
		}
		dep.Annotations = rootAnnotations(u)
		kb.add("Deployment", u.Name, dep)
		kb.objects[len(kb.objects)-1].notes = u.Notes
	}

	if !u.AssumedPort || u.Reached {
		svc := &corev1.Service{
			TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Service"},
			ObjectMeta: meta(u.Name, labels),
			Spec:       corev1.ServiceSpec{Selector: kb.selector(u.Name), Ports: append(servicePorts(u.Ports, u.Ports), udpServicePorts(u.UDP)...)},
		}
		if stateful {
			svc.Spec.ClusterIP = corev1.ClusterIPNone
			// Members of a cluster resolve each other before they are ready.
			svc.Spec.PublishNotReadyAddresses = u.Members > 0
		}
		kb.add("Service", u.Name, svc)
	}

	effective := u.Replicas
	if hpa {
		effective = max(c.Autoscale.Min, 1)
		kb.add("HorizontalPodAutoscaler", u.Name, kb.autoscaler(u, labels, stateful))
	}
	if effective >= 2 {
		kb.add("PodDisruptionBudget", u.Name, kb.budget(u, labels, effective))
	}
	kb.add("NetworkPolicy", u.Name, kb.policy(u, labels))
	if u.Public {
		kb.publish(u, labels)
	}
}

func ptr[T any](v T) *T { return &v }

// rootAnnotations tell kube-score which of its checks a workload whose image
// must run as root fails on purpose (the comment above the object says why).
func rootAnnotations(u *unit) map[string]string {
	if u.Profile == nil || !u.Profile.Root {
		return nil
	}
	return map[string]string{"kube-score/ignore": "container-security-context-user-group-id,container-security-context-readonlyrootfilesystem"}
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// udpServicePorts are a Service's ports for the unit's UDP ports.
func udpServicePorts(ports []int) []corev1.ServicePort {
	out := make([]corev1.ServicePort, len(ports))
	for i, port := range ports {
		out[i] = corev1.ServicePort{Name: fmt.Sprintf("udp-%d", port), Port: int32(port),
			TargetPort: intstr.FromInt32(int32(port)), Protocol: corev1.ProtocolUDP}
	}
	return out
}

func servicePorts(ports, targets []int) []corev1.ServicePort {
	out := make([]corev1.ServicePort, len(ports))
	for i, port := range ports {
		target := targets[min(i, len(targets)-1)]
		out[i] = corev1.ServicePort{Name: fmt.Sprintf("port-%d", port), Port: int32(port),
			TargetPort: intstr.FromInt32(int32(target)), Protocol: corev1.ProtocolTCP}
	}
	return out
}

// podSpec is a unit's hardened pod: non-root, read-only root filesystem with
// writable volumes over exactly the paths its image writes (its profile),
// no capabilities, RuntimeDefault seccomp. Where the image cannot run so, the
// pod does what it needs and u.Notes say why.
func (kb *kubeBuilder) podSpec(u *unit) corev1.PodSpec {
	c := u.c
	prof := u.Profile
	id := int64(runAsID)
	sc := &corev1.SecurityContext{
		RunAsNonRoot: ptr(true), RunAsUser: &id, RunAsGroup: &id,
		ReadOnlyRootFilesystem:   ptr(true),
		AllowPrivilegeEscalation: ptr(false),
		Privileged:               ptr(false),
		Capabilities:             &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
		SeccompProfile:           &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault},
	}
	podSC := &corev1.PodSecurityContext{
		RunAsNonRoot: ptr(true), RunAsUser: &id, RunAsGroup: &id, FSGroup: &id,
		SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault},
	}
	if prof != nil && prof.Root {
		root := int64(0)
		sc.RunAsNonRoot, sc.RunAsUser, sc.RunAsGroup, sc.ReadOnlyRootFilesystem = ptr(false), &root, &root, ptr(false)
		podSC.RunAsNonRoot, podSC.RunAsUser, podSC.RunAsGroup, podSC.FSGroup = ptr(false), &root, &root, &root
		u.Notes = append(u.Notes, prof.Why...)
	}
	ctr := corev1.Container{
		Name:            u.Name,
		Image:           u.Image,
		ImagePullPolicy: corev1.PullAlways,
		Command:         u.Entrypoint,
		Args:            u.Command,
		Resources:       kb.resources(u),
		SecurityContext: sc,
	}
	for _, port := range u.Ports {
		if u.AssumedPort && !u.Reached {
			break // nothing reaches it: no port to assume
		}
		ctr.Ports = append(ctr.Ports, corev1.ContainerPort{Name: fmt.Sprintf("port-%d", port), ContainerPort: int32(port), Protocol: corev1.ProtocolTCP})
	}
	for _, port := range u.UDP {
		ctr.Ports = append(ctr.Ports, corev1.ContainerPort{Name: fmt.Sprintf("udp-%d", port), ContainerPort: int32(port), Protocol: corev1.ProtocolUDP})
	}
	env := map[string]string{}
	for k, v := range u.Env {
		env[k] = v
	}
	if prof != nil {
		for k, v := range prof.KubeEnv {
			if _, set := env[k]; !set {
				env[k] = v
			}
		}
		if len(prof.KubeEnv) > 0 {
			u.Notes = append(u.Notes, prof.Why...)
		}
	}
	for _, k := range sortedKeys(env) {
		ctr.Env = append(ctr.Env, corev1.EnvVar{Name: k, Value: strings.ReplaceAll(env[k], "$(", "$$(")})
	}
	for _, se := range u.Secrets {
		ctr.Env = append(ctr.Env, corev1.EnvVar{Name: se.Env, ValueFrom: &corev1.EnvVarSource{
			SecretKeyRef: &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: dnsLabel(se.Name, 63)}, Key: se.Key},
		}})
	}
	if cl := u.Engine; u.Members > 0 {
		m := members{Cluster: u.Name, Self: "$(POD_NAME)", SelfHost: "$(POD_NAME)." + u.Name, Index: "$(POD_INDEX)"}
		for i := 0; i < u.Members; i++ {
			name := fmt.Sprintf("%s-%d", u.Name, i)
			m.Names, m.Hosts = append(m.Names, name), append(m.Hosts, name+"."+u.Name)
		}
		if cl.Cluster.Args != nil {
			ctr.Args = cl.Cluster.Args(m)
		}
		// The pod's name and ordinal first: later variables refer to them.
		ctr.Env = append([]corev1.EnvVar{
			{Name: "POD_NAME", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{FieldPath: "metadata.name"}}},
			{Name: "POD_INDEX", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{
				FieldPath: "metadata.labels['" + appsv1.PodIndexLabel + "']"}}},
		}, ctr.Env...)
		ctr.Env = slices.DeleteFunc(ctr.Env, func(e corev1.EnvVar) bool {
			_, set := u.c.Env[e.Name]
			return !set && slices.Contains(cl.Cluster.Unset, e.Name)
		})
		if cl.Cluster.Env != nil {
			env := cl.Cluster.Env(m)
			for _, k := range sortedKeys(env) {
				if _, set := u.Env[k]; !set { // the design's env wins
					ctr.Env = append(ctr.Env, corev1.EnvVar{Name: k, Value: env[k]})
				}
			}
		}
		if prof != nil {
			for _, pp := range prof.Peers {
				if pp.Proto == "TCP" && contains(u.Ports, pp.Port) {
					continue // declared already: one port, two uses
				}
				name := fmt.Sprintf("peer-%d", pp.Port)
				if pp.Proto != "TCP" {
					name += "-" + strings.ToLower(pp.Proto)
				}
				ctr.Ports = append(ctr.Ports, corev1.ContainerPort{Name: name, ContainerPort: int32(pp.Port), Protocol: corev1.Protocol(pp.Proto)})
			}
		}
	}
	ctr.ReadinessProbe, ctr.LivenessProbe = probes(u)

	spec := corev1.PodSpec{
		AutomountServiceAccountToken: ptr(false),
		EnableServiceLinks:           ptr(false),
		SecurityContext:              podSC,
	}
	if low := privilegedPort(u.Ports); low > 0 && (prof == nil || !prof.Root) {
		// A non-root process without capabilities binds a port below 1024
		// only when the pod's network namespace allows it.
		podSC.Sysctls = []corev1.Sysctl{{Name: "net.ipv4.ip_unprivileged_port_start", Value: fmt.Sprint(low)}}
		u.Notes = append(u.Notes, fmt.Sprintf("net.ipv4.ip_unprivileged_port_start=%d: the container binds port %d as a non-root user with no capabilities "+
			"(NET_BIND_SERVICE would not reach a non-root process)", low, low))
		kb.n.info(c, "ports", "%s binds port %d as a non-root user without capabilities: the pod sets the sysctl net.ipv4.ip_unprivileged_port_start=%d (Kubernetes 1.22 or later)",
			c.Addr, low, low)
	}
	kb.mountWrites(u, &spec, &ctr)
	spec.Containers = []corev1.Container{ctr}
	sel := &metav1.LabelSelector{MatchLabels: kb.selector(u.Name)}
	if len(c.Zones) > 0 {
		spec.TopologySpreadConstraints = []corev1.TopologySpreadConstraint{{
			MaxSkew: 1, TopologyKey: zoneKey, WhenUnsatisfiable: corev1.DoNotSchedule, LabelSelector: sel,
		}}
	}
	if u.Replicas >= 2 || c.Autoscale != nil {
		spec.Affinity = &corev1.Affinity{PodAntiAffinity: &corev1.PodAntiAffinity{
			PreferredDuringSchedulingIgnoredDuringExecution: []corev1.WeightedPodAffinityTerm{{
				Weight: 100, PodAffinityTerm: corev1.PodAffinityTerm{LabelSelector: sel, TopologyKey: hostKey},
			}},
		}}
	}
	return spec
}

// probes returns a readiness probe from the unit's health check and a
// liveness probe that only checks the port is open (a busy instance is not
// restarted for being slow). Without a health check the port check is the
// readiness probe and there is no liveness probe.
func probes(u *unit) (ready, live *corev1.Probe) {
	tcp := corev1.ProbeHandler{TCPSocket: &corev1.TCPSocketAction{Port: intstr.FromInt32(int32(u.Ports[0]))}}
	pr := u.Ready
	if pr == nil && u.AssumedPort && !u.Reached {
		return nil, nil // a TCP probe of a port the design does not declare would keep the pod unready
	}
	if pr == nil {
		pr = timed(&probe{}, nil)
		return &corev1.Probe{ProbeHandler: tcp, PeriodSeconds: seconds(pr.Interval), TimeoutSeconds: seconds(pr.Timeout),
			FailureThreshold: int32(pr.Failures)}, nil
	}
	var h corev1.ProbeHandler
	switch {
	case pr.Path != "":
		h.HTTPGet = &corev1.HTTPGetAction{Path: pr.Path, Port: intstr.FromInt32(int32(pr.Port))}
	case pr.Shell:
		h.Exec = &corev1.ExecAction{Command: []string{"sh", "-c", strings.Join(pr.Exec, " ")}}
	default:
		h.Exec = &corev1.ExecAction{Command: pr.Exec}
	}
	ready = &corev1.Probe{ProbeHandler: h, PeriodSeconds: seconds(pr.Interval), TimeoutSeconds: seconds(pr.Timeout),
		FailureThreshold: int32(pr.Failures)}
	if u.AssumedPort && !u.Reached {
		return ready, nil
	}
	live = &corev1.Probe{ProbeHandler: tcp, InitialDelaySeconds: 30, PeriodSeconds: seconds(pr.Interval),
		TimeoutSeconds: seconds(pr.Timeout), FailureThreshold: int32(pr.Failures * 2)}
	return ready, live
}

func seconds(d interface{ Seconds() float64 }) int32 {
	return int32(max(1, math.Ceil(d.Seconds())))
}

// Resources where the design declares none, by kind.
var defaultResources = map[lang.Kind][2]string{
	lang.KindService:  {"500m", "512Mi"},
	lang.KindGateway:  {"500m", "512Mi"},
	lang.KindCache:    {"500m", "512Mi"},
	lang.KindDatabase: {"1", "2Gi"},
	lang.KindQueue:    {"1", "2Gi"},
	lang.KindSearch:   {"1", "2Gi"},
	lang.KindStorage:  {"500m", "1Gi"},
}

const ephemeralStorage = "1Gi"

// resources sets requests equal to limits (a Guaranteed pod), from the
// design or, with a finding, from defaults per kind.
func (kb *kubeBuilder) resources(u *unit) corev1.ResourceRequirements {
	c := u.c
	def := defaultResources[c.Kind]
	cpu, mem := def[0], def[1]
	var missing []string
	if c.Resources != nil && c.Resources.CPU != "" {
		cpu = c.Resources.CPU
	} else {
		missing = append(missing, "cpu="+cpu)
	}
	if c.Resources != nil && c.Resources.Memory != "" {
		mem = c.Resources.Memory
	} else {
		missing = append(missing, "memory="+mem)
	}
	if len(missing) > 0 {
		kb.n.info(c, "resources", "%s declares no %s: Kubernetes requests and limits use %s",
			c.Addr, map[bool]string{true: "resources", false: "complete resources"}[len(missing) == 2], strings.Join(missing, ", "))
		kb.n.explain("Declare resources { cpu = \"...\", memory = \"...\" } on %s: what one instance needs to serve its capacity_rps.", c.Addr)
	}
	list := corev1.ResourceList{corev1.ResourceEphemeralStorage: resource.MustParse(ephemeralStorage)}
	for name, v := range map[corev1.ResourceName]string{corev1.ResourceCPU: cpu, corev1.ResourceMemory: mem} {
		q, err := resource.ParseQuantity(v)
		if err != nil {
			kb.n.warn(c, "resources", "Kubernetes cannot read %s %q of %s: %v", name, v, c.Addr, err)
			q = resource.MustParse(map[corev1.ResourceName]string{corev1.ResourceCPU: def[0], corev1.ResourceMemory: def[1]}[name])
		}
		list[name] = q
	}
	return corev1.ResourceRequirements{Requests: list, Limits: list.DeepCopy()}
}

func (kb *kubeBuilder) autoscaler(u *unit, labels map[string]string, stateful bool) *autoscalingv2.HorizontalPodAutoscaler {
	a := u.c.Autoscale
	target := int32(70)
	if a.TargetUtilization > 0 {
		target = int32(math.Round(a.TargetUtilization * 100))
	}
	kind := "Deployment"
	if stateful {
		kind = "StatefulSet"
	}
	minR := int32(max(a.Min, 1))
	return &autoscalingv2.HorizontalPodAutoscaler{
		TypeMeta:   metav1.TypeMeta{APIVersion: "autoscaling/v2", Kind: "HorizontalPodAutoscaler"},
		ObjectMeta: meta(u.Name, labels),
		Spec: autoscalingv2.HorizontalPodAutoscalerSpec{
			ScaleTargetRef: autoscalingv2.CrossVersionObjectReference{APIVersion: "apps/v1", Kind: kind, Name: u.Name},
			MinReplicas:    &minR,
			MaxReplicas:    int32(max(a.Max, int(minR))),
			Metrics: []autoscalingv2.MetricSpec{{
				Type: autoscalingv2.ResourceMetricSourceType,
				Resource: &autoscalingv2.ResourceMetricSource{Name: corev1.ResourceCPU, Target: autoscalingv2.MetricTarget{
					Type: autoscalingv2.UtilizationMetricType, AverageUtilization: &target,
				}},
			}},
		},
	}
}

// budget keeps, during voluntary disruptions, the instances the nominal load
// needs (the k of the analysis' k-of-n) when the analysis is at hand and
// k < n; otherwise it lets one instance go at a time.
func (kb *kubeBuilder) budget(u *unit, labels map[string]string, replicas int) *policyv1.PodDisruptionBudget {
	// A crash-looping pod must not block the drain of its node.
	always := policyv1.AlwaysAllow
	spec := policyv1.PodDisruptionBudgetSpec{Selector: &metav1.LabelSelector{MatchLabels: kb.selector(u.Name)},
		UnhealthyPodEvictionPolicy: &always}
	k := 0
	if r := kb.opts.Results; r != nil {
		if cr := r.Components[u.c.Addr]; cr != nil {
			k = cr.K
		}
	}
	if u.Members > 0 {
		k = u.Members/2 + 1 // keep the quorum
	}
	if k >= 1 && k < replicas {
		spec.MinAvailable = ptr(intstr.FromInt32(int32(k)))
	} else {
		spec.MaxUnavailable = ptr(intstr.FromInt32(1))
	}
	return &policyv1.PodDisruptionBudget{
		TypeMeta:   metav1.TypeMeta{APIVersion: "policy/v1", Kind: "PodDisruptionBudget"},
		ObjectMeta: meta(u.Name, labels),
		Spec:       spec,
	}
}

// policy allows exactly the design's edges into and out of a unit: calls
// (through load balancers), consumed queues, DNS, the internet for public
// components and HTTPS out for calls to external or managed services.
func (kb *kubeBuilder) policy(u *unit, labels map[string]string) *networkingv1.NetworkPolicy {
	tcp := corev1.ProtocolTCP
	ports := func(ps []int) []networkingv1.NetworkPolicyPort {
		out := make([]networkingv1.NetworkPolicyPort, len(ps))
		for i, p := range ps {
			out[i] = networkingv1.NetworkPolicyPort{Protocol: &tcp, Port: ptr(intstr.FromInt32(int32(p)))}
		}
		return out
	}
	unitPorts := func(v *unit) []networkingv1.NetworkPolicyPort {
		out := ports(v.Ports)
		for _, p := range v.UDP {
			udp := corev1.ProtocolUDP
			out = append(out, networkingv1.NetworkPolicyPort{Protocol: &udp, Port: ptr(intstr.FromInt32(int32(p)))})
		}
		return out
	}
	// A peer is named with its trust zone: a policy reads as the calls it
	// admits from one zone to another.
	peer := func(v *unit) networkingv1.NetworkPolicyPeer {
		sel := kb.selector(v.Name)
		sel[labelTrustZone] = string(v.c.TrustZone)
		return networkingv1.NetworkPolicyPeer{PodSelector: &metav1.LabelSelector{MatchLabels: sel}}
	}
	spec := networkingv1.NetworkPolicySpec{
		PodSelector: metav1.LabelSelector{MatchLabels: kb.selector(u.Name)},
		PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeIngress, networkingv1.PolicyTypeEgress},
		Ingress:     []networkingv1.NetworkPolicyIngressRule{},
		Egress:      []networkingv1.NetworkPolicyEgressRule{},
	}
	callers, public := kb.callers(u)
	if public {
		spec.Ingress = append(spec.Ingress, networkingv1.NetworkPolicyIngressRule{Ports: unitPorts(u)})
	} else if len(callers) > 0 {
		rule := networkingv1.NetworkPolicyIngressRule{Ports: unitPorts(u)}
		for _, v := range callers {
			rule.From = append(rule.From, peer(v))
		}
		spec.Ingress = append(spec.Ingress, rule)
	}
	udp := corev1.ProtocolUDP
	spec.Egress = append(spec.Egress, networkingv1.NetworkPolicyEgressRule{
		To: []networkingv1.NetworkPolicyPeer{{
			NamespaceSelector: &metav1.LabelSelector{},
			PodSelector:       &metav1.LabelSelector{MatchLabels: map[string]string{"k8s-app": "kube-dns"}},
		}},
		Ports: []networkingv1.NetworkPolicyPort{
			{Protocol: &udp, Port: ptr(intstr.FromInt32(53))}, {Protocol: &tcp, Port: ptr(intstr.FromInt32(53))},
		},
	})
	for _, v := range kb.callees(u) {
		spec.Egress = append(spec.Egress, networkingv1.NetworkPolicyEgressRule{To: []networkingv1.NetworkPolicyPeer{peer(v)}, Ports: unitPorts(v)})
	}
	if u.Members > 0 && u.Profile != nil && len(u.Profile.Peers) > 0 {
		// Members talk to each other on every listener they use, each with
		// its protocol (consul's gossip is TCP and UDP).
		self := []networkingv1.NetworkPolicyPeer{peer(u)}
		var pp []networkingv1.NetworkPolicyPort
		for _, p := range u.Profile.Peers {
			proto := corev1.Protocol(p.Proto)
			pp = append(pp, networkingv1.NetworkPolicyPort{Protocol: &proto, Port: ptr(intstr.FromInt32(int32(p.Port)))})
		}
		spec.Ingress = append(spec.Ingress, networkingv1.NetworkPolicyIngressRule{From: self, Ports: pp})
		spec.Egress = append(spec.Egress, networkingv1.NetworkPolicyEgressRule{To: self, Ports: pp})
	}
	if kb.p.externals(u.c) {
		spec.Egress = append(spec.Egress, networkingv1.NetworkPolicyEgressRule{
			To: []networkingv1.NetworkPolicyPeer{{IPBlock: &networkingv1.IPBlock{
				CIDR: "0.0.0.0/0", Except: []string{"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"},
			}}},
			Ports: ports([]int{443}),
		})
	}
	return &networkingv1.NetworkPolicy{
		TypeMeta:   metav1.TypeMeta{APIVersion: "networking.k8s.io/v1", Kind: "NetworkPolicy"},
		ObjectMeta: meta(u.Name, labels),
		Spec:       spec,
	}
}

// callers are the units whose calls (through load balancers) or consume
// blocks reach u; public is true when traffic also comes from outside.
func (kb *kubeBuilder) callers(u *unit) (out []*unit, public bool) {
	seen := map[*unit]bool{}
	visited := map[*lang.Component]bool{}
	var walk func(c *lang.Component)
	walk = func(c *lang.Component) {
		if visited[c] {
			return
		}
		visited[c] = true
		if c.Public {
			public = true
		}
		for _, call := range kb.p.d.Incoming(c) {
			from := call.From
			switch {
			case from.Kind == lang.KindClient || from.Kind == lang.KindCDN:
				public = true
			case kb.p.lbOf[from] != nil:
				walk(from)
			case kb.p.byComp[from] != nil && !seen[kb.p.byComp[from]]:
				seen[kb.p.byComp[from]] = true
				out = append(out, kb.p.byComp[from])
			}
		}
	}
	walk(u.c)
	for _, cs := range kb.p.d.Consumers(u.c) {
		if v := kb.p.byComp[cs.Consumer]; v != nil && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	// The consumers of a queue that dead-letters into u publish to u.
	for _, q := range kb.p.d.Components {
		if q.DeadLetter != u.c {
			continue
		}
		for _, cs := range kb.p.d.Consumers(q) {
			if v := kb.p.byComp[cs.Consumer]; v != nil && !seen[v] && v != u {
				seen[v] = true
				out = append(out, v)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, public
}

// callees are the units u calls (through load balancers) or consumes from.
func (kb *kubeBuilder) callees(u *unit) []*unit {
	seen := map[*unit]bool{}
	var out []*unit
	var walk func(c *lang.Component, visited map[*lang.Component]bool)
	walk = func(c *lang.Component, visited map[*lang.Component]bool) {
		for _, call := range c.Calls {
			to := call.To
			if b := kb.p.lbOf[to]; b != nil && !visited[to] {
				visited[to] = true
				walk(to, visited)
				continue
			}
			if v := kb.p.byComp[to]; v != nil && !seen[v] && v != u {
				seen[v] = true
				out = append(out, v)
			}
		}
	}
	walk(u.c, map[*lang.Component]bool{u.c: true})
	for _, cs := range u.c.Consumes {
		// A consumer reads the queue and publishes what it cannot handle to
		// the queue's dead-letter queue.
		for _, q := range []*lang.Component{cs.Queue, cs.Queue.DeadLetter} {
			if v := kb.p.byComp[q]; q != nil && v != nil && !seen[v] && v != u {
				seen[v] = true
				out = append(out, v)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// publish gives a public unit its way in: an Ingress for HTTP services and
// gateways, a Service of type LoadBalancer for infrastructure.
func (kb *kubeBuilder) publish(u *unit, labels map[string]string) {
	if len(u.Behind) > 0 {
		return // reached through its load balancer's Service
	}
	if u.Engine != nil || u.c.Kind.Stateful() {
		name := u.Name + "-public"
		kb.add("Service", name, &corev1.Service{
			TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Service"},
			ObjectMeta: meta(name, labels),
			Spec: corev1.ServiceSpec{Type: corev1.ServiceTypeLoadBalancer, Selector: kb.selector(u.Name),
				Ports: servicePorts(u.Ports, u.Ports)},
		})
		return
	}
	kb.add("Ingress", u.Name, kb.ingress(u.c, u.Name, labels, u.Name, u.Ports[0], []*unit{u}))
}

// ingress is the way in of a public HTTP component, with the ingress class
// of the options (a finding when absent) and the TLS and authentication the
// design states (secureIngress).
func (kb *kubeBuilder) ingress(c *lang.Component, name string, labels map[string]string, service string, port int, behind []*unit) *networkingv1.Ingress {
	ing := ingress(name, labels, service, port)
	if cls := kb.opts.IngressClass; cls != "" {
		ing.Spec.IngressClassName = &cls
	} else {
		kb.n.info(c, "", "the Ingress %s names no ingress class: the cluster's default class serves it, if it has one", name)
		kb.n.explain("Name the Ingress controller's class with --ingress-class (e.g. nginx, traefik).")
	}
	kb.secureIngress(ing, c, name, behind)
	return ing
}

func ingress(name string, labels map[string]string, service string, port int) *networkingv1.Ingress {
	prefix := networkingv1.PathTypePrefix
	return &networkingv1.Ingress{
		TypeMeta:   metav1.TypeMeta{APIVersion: "networking.k8s.io/v1", Kind: "Ingress"},
		ObjectMeta: meta(name, labels),
		Spec: networkingv1.IngressSpec{Rules: []networkingv1.IngressRule{{
			IngressRuleValue: networkingv1.IngressRuleValue{HTTP: &networkingv1.HTTPIngressRuleValue{
				Paths: []networkingv1.HTTPIngressPath{{
					Path: "/", PathType: &prefix,
					Backend: networkingv1.IngressBackend{Service: &networkingv1.IngressServiceBackend{
						Name: service, Port: networkingv1.ServiceBackendPort{Number: int32(port)},
					}},
				}},
			}},
		}}},
	}
}

// balancer emits a load balancer as a Service over the pods behind it
// (selected by the lb.archform.dev/NAME label): of type LoadBalancer for a
// public layer-4 balancer, ClusterIP behind an Ingress for a public layer-7
// one, ClusterIP for an internal one. ip_hash becomes ClientIP affinity.
func (kb *kubeBuilder) balancer(b *balancer) {
	c := b.c
	if len(b.Backends) == 0 {
		kb.n.warn(c, "", "%s has no deployed backend: Kubernetes gets no Service for it", c.Addr)
		return
	}
	labels := kb.labels(c, b.Name)
	units := b.units()
	if len(units) == 0 {
		kb.n.warn(c, "", "%s has no deployed backend: Kubernetes gets no Service for it", c.Addr)
		return
	}
	target := units[0].Ports[0]
	for _, u := range units[1:] {
		if u.Ports[0] != target {
			kb.n.warn(c, "", "the backends of %s listen on different ports (%d on %s, %d on %s): one Service cannot reach both",
				c.Addr, target, units[0].c.Addr, u.Ports[0], u.c.Addr)
			break
		}
	}
	svc := &corev1.Service{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Service"},
		ObjectMeta: meta(b.Name, labels),
		Spec: corev1.ServiceSpec{Selector: map[string]string{labelLBPrefix + b.Name: "true"},
			Ports: servicePorts(b.Ports, []int{target})},
	}
	if c.Algorithm == "ip_hash" {
		svc.Spec.SessionAffinity = corev1.ServiceAffinityClientIP
	}
	if b.Public && b.Layer == 4 {
		svc.Spec.Type = corev1.ServiceTypeLoadBalancer
	}
	kb.add("Service", b.Name, svc)
	if b.Public && b.Layer != 4 {
		kb.add("Ingress", b.Name, kb.ingress(c, b.Name, labels, b.Name, b.Ports[0], units))
	}
	switch c.Algorithm {
	case "least_connections", "weighted":
		kb.n.warn(c, "algorithm", "Kubernetes Services cannot balance by %s: kube-proxy spreads the connections of %s at random", c.Algorithm, c.Addr)
		kb.n.explain("The analysis models %s as %s; random spreading queues more. Balance with an Ingress controller or mesh that "+
			"supports it (Envoy, HAProxy Ingress), or set algorithm = \"random\" to model what kube-proxy does.", c.Addr, c.Algorithm)
	}
	if c.Replicas > 1 {
		kb.n.info(c, "replicas", "Kubernetes runs no proxy for %s: its %d replicas are the Service's (and the Ingress controller's or cloud load balancer's) business",
			c.Addr, c.Replicas)
	}
}

// inexpressible reports what Kubernetes cannot express of a component.
func (kb *kubeBuilder) inexpressible(c *lang.Component) {
	if !c.Kind.Deployable() {
		return
	}
	if c.Rollout == "blue_green" || c.Rollout == "canary" {
		kb.n.warn(c, rolloutAttr(c), "Kubernetes Deployments have no %s rollout (it needs Argo Rollouts or Flagger): %s rolls out in place", c.Rollout, c.Addr)
	}
	if c.RateLimit != nil {
		kb.n.warn(c, "rate_limit", "Kubernetes output does not enforce the rate limit of %s (%g/s, burst %g, per %s)",
			c.Addr, c.RateLimit.Rate, c.RateLimit.Burst, c.RateLimit.Per)
	}
	if c.Autoscale != nil && c.Kind.Stateful() {
		kb.n.warn(c, "autoscale", "Kubernetes output does not autoscale %s: a %s does not scale by adding pods", c.Addr, c.Kind)
	}
	if len(c.EnvPassthrough) > 0 {
		kb.n.warn(c, "env_passthrough", "Kubernetes has no environment to pass %s through from: the containers of %s run without it",
			strings.Join(c.EnvPassthrough, ", "), c.Addr)
		kb.n.explain("Set the values in env, or in secrets for credentials, where %s runs on Kubernetes.", c.Addr)
	}
	for _, m := range c.Mounts {
		what := "named volume " + m.Source
		switch {
		case m.Type == "bind":
			what = "host path " + m.Source
		case m.Source == "":
			what = "an anonymous volume"
		}
		kb.n.warn(c, "mount", "Kubernetes output does not mount %s at %s in %s", what, m.Target, c.Addr)
		kb.n.explain("A host file is configuration: put it in a ConfigMap (or a Secret) and mount that; a volume that must persist is the component's volume block.")
	}
	for _, p := range c.PortSpecs {
		if p.HostPort > 0 {
			kb.n.info(c, "port", "Kubernetes does not publish host port %d of %s: it is reached through its Service (and its Ingress when public)",
				p.HostPort, c.Addr)
		}
	}
	if u := kb.p.byComp[c]; u != nil && u.AssumedPort && (u.Reached || u.Ready != nil && u.Ready.Path != "") {
		kb.n.warn(c, "", "%s declares no ports: archform assumed port %d for its Service, probes and network policy; set ports", c.Addr, defaultPort)
		kb.n.explain("archform does not know which port the image %s listens on. Set ports = [N] on %s.", u.Image, c.Addr)
	}
}

// files serializes the objects: one file per object, or one in all.
func (kb *kubeBuilder) files() ([]File, error) {
	sort.SliceStable(kb.objects, func(i, j int) bool {
		a, b := kb.objects[i], kb.objects[j]
		if kindOrder[a.kind] != kindOrder[b.kind] {
			return kindOrder[a.kind] < kindOrder[b.kind]
		}
		return a.name < b.name
	})
	head := header(kb.p.title)
	var files []File
	var all strings.Builder
	for i, o := range kb.objects {
		data, err := marshalObject(o.obj)
		if err != nil {
			return nil, fmt.Errorf("internal error: marshal %s %s: %w", o.kind, o.name, err)
		}
		data = append(comments(o.notes), data...)
		if kb.opts.SingleFile {
			if i > 0 {
				all.WriteString("---\n")
			}
			all.Write(data)
			continue
		}
		files = append(files, File{Name: strings.ToLower(o.kind) + "-" + o.name + ".yaml", Data: append([]byte(head), data...)})
	}
	if kb.opts.SingleFile {
		files = []File{{Name: SingleFileName, Data: []byte(head + all.String())}}
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	return files, nil
}

// comments writes notes as YAML comments, one "# " line each, wrapped.
func comments(notes []string) []byte {
	if len(notes) == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString("# archform departs from its hardened defaults here, because of what the image does:\n")
	for _, n := range notes {
		line, fresh := "#   -", true
		for _, w := range strings.Fields(n) {
			if len(line)+1+len(w) > 100 && !fresh {
				b.WriteString(line + "\n")
				line, fresh = "#    ", true
			}
			line += " " + w
			fresh = false
		}
		b.WriteString(line + "\n")
	}
	return []byte(b.String())
}

var kindOrder = map[string]int{"NetworkPolicy": 0, "Service": 1, "Deployment": 2, "StatefulSet": 3,
	"PodDisruptionBudget": 4, "HorizontalPodAutoscaler": 5, "Ingress": 6}

// marshalObject writes an object as YAML without the fields a server fills
// (status, creationTimestamp).
func marshalObject(obj any) ([]byte, error) {
	j, err := json.Marshal(obj)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(j, &m); err != nil {
		return nil, err
	}
	delete(m, "status")
	prune(m)
	return yaml.Marshal(m)
}

// prune drops null creationTimestamps and empty status objects left by the
// typed structs.
func prune(v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if val == nil && k == "creationTimestamp" {
				delete(x, k)
				continue
			}
			if s, ok := val.(map[string]any); ok && k == "status" && len(s) == 0 {
				delete(x, k)
				continue
			}
			prune(val)
		}
	case []any:
		for _, e := range x {
			prune(e)
		}
	}
}

// mountWrites makes every path the unit's image writes writable, and only
// those: the data volume where it covers the path, an emptyDir elsewhere.
// Paths where the image keeps files it needs too (its configuration) are
// seeded by an init container that copies them out of the image first.
// Without a profile, /tmp is the one writable path.
func (kb *kubeBuilder) mountWrites(u *unit, spec *corev1.PodSpec, ctr *corev1.Container) {
	writes := []written{tmp}
	if u.Profile != nil {
		writes = u.Profile.Writes
	}
	covered := func(path string) bool {
		return u.Volume != nil && (path == u.Volume.Path || strings.HasPrefix(path, strings.TrimSuffix(u.Volume.Path, "/")+"/"))
	}
	var seeds []string
	seed := corev1.Container{Name: "seed-config", Image: u.Image, ImagePullPolicy: corev1.PullAlways,
		Resources: ctr.Resources, SecurityContext: ctr.SecurityContext.DeepCopy()}
	i := 0
	for _, w := range writes {
		if covered(w.Path) {
			continue
		}
		name := fmt.Sprintf("scratch-%d", i)
		if w.Path == "/tmp" {
			name = "tmp"
		} else {
			i++
		}
		spec.Volumes = append(spec.Volumes, corev1.Volume{Name: name, VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}})
		ctr.VolumeMounts = append(ctr.VolumeMounts, corev1.VolumeMount{Name: name, MountPath: w.Path})
		if w.Seed {
			at := "/seed/" + name
			seed.VolumeMounts = append(seed.VolumeMounts, corev1.VolumeMount{Name: name, MountPath: at})
			seeds = append(seeds, fmt.Sprintf("cp -R %s/. %s/", w.Path, at))
			u.Notes = append(u.Notes, fmt.Sprintf("%s: emptyDir seeded with the image's files by the init container seed-config: %s", w.Path, w.Why))
		} else if u.Profile != nil && w.Path != "/tmp" {
			u.Notes = append(u.Notes, fmt.Sprintf("%s: emptyDir: %s", w.Path, w.Why))
		}
	}
	if u.Volume != nil {
		ctr.VolumeMounts = append(ctr.VolumeMounts, corev1.VolumeMount{Name: "data", MountPath: u.Volume.Path})
	}
	if len(seeds) > 0 {
		seed.Command = []string{"sh", "-c", strings.Join(seeds, " && ")}
		spec.InitContainers = []corev1.Container{seed}
	}
}
