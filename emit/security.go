package emit

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/archform/archform/lang"
	networkingv1 "k8s.io/api/networking/v1"
	"k8s.io/apimachinery/pkg/util/validation"
)

// What the design says about security (docs/security.md) and what each
// target makes of it (docs/emit.md, "Security"): trust zones label the
// Kubernetes pods and their NetworkPolicies' peers, and become Compose
// networks; TLS and authentication at a public entry become the Ingress's
// tls section and ingress-nginx's annotations; TLS and mutual TLS between
// services are the images' (or a mesh's) business, and each target says so.

// labelTrustZone is the label that carries a component's trust zone on its
// Kubernetes objects and pods, and in the NetworkPolicy peers that admit it.
const labelTrustZone = "archform.dev/trust-zone"

// ingress-nginx's annotations (https://kubernetes.github.io/ingress-nginx/
// user-guide/nginx-configuration/annotations/): the protocol it speaks to the
// backend, and client certificate authentication. Other controllers ignore
// them.
const (
	nginxPrefix              = "nginx.ingress.kubernetes.io/"
	annotBackendProtocol     = nginxPrefix + "backend-protocol"
	annotAuthTLSVerifyClient = nginxPrefix + "auth-tls-verify-client"
	annotAuthTLSSecret       = nginxPrefix + "auth-tls-secret"
	annotAuthTLSPassCert     = nginxPrefix + "auth-tls-pass-certificate-to-upstream"
)

// servesTLS reports whether the design has c accept TLS: it says tls = true,
// or a call to it is encrypted.
func servesTLS(d *lang.Design, c *lang.Component) bool {
	if c.TLS {
		return true
	}
	for _, call := range d.Incoming(c) {
		if call.Encrypted() {
			return true
		}
	}
	return false
}

// tlsIn reports whether the internet reaches c (a public load balancer or
// unit) over TLS only: every call from a client or a CDN to it is encrypted
// (a call's own tls, else c's), or, when none calls it, c accepts only TLS.
func tlsIn(d *lang.Design, c *lang.Component) bool {
	from := 0
	for _, call := range d.Incoming(c) {
		if call.From.Kind != lang.KindClient && call.From.Kind != lang.KindCDN {
			continue
		}
		if !call.Encrypted() {
			return false
		}
		from++
	}
	return from > 0 || c.TLS
}

// secureIngress carries what the design says about the way in into an
// Ingress: its tls section (the --tls-secret, else the Secret NAME-tls when
// the design states TLS), HTTPS to backends that serve TLS, and client
// certificate checks for entries that take mutual TLS (ingress-nginx's
// auth-tls annotations, with the CA Secret of --client-ca-secret). The
// other authentication methods are the entries' own: a finding says so.
// behind are the units the Ingress routes to.
func (kb *kubeBuilder) secureIngress(ing *networkingv1.Ingress, c *lang.Component, name string, behind []*unit) {
	d := kb.p.d
	annotations := map[string]string{}
	switch {
	case kb.opts.TLSSecret != "":
		ing.Spec.TLS = []networkingv1.IngressTLS{{SecretName: kb.opts.TLSSecret}}
	case tlsIn(d, c):
		secret := name + "-tls"
		ing.Spec.TLS = []networkingv1.IngressTLS{{SecretName: secret}}
		kb.n.info(c, "tls", "the Ingress %s serves HTTPS only, as %s states, with the certificate of Secret %s: archform references it, the Secret is yours to create",
			name, c.Addr, secret)
		kb.n.explain("Create the Secret %s (type kubernetes.io/tls) in the namespace you deploy to, for example with cert-manager, or name another with --tls-secret.", secret)
	default:
		kb.n.warn(c, "", "the Ingress %s serves plain HTTP: no TLS certificate is configured", name)
		kb.n.explain("State tls = true on %s (the Ingress then serves the Secret %s-tls), give the Secret holding the certificate (kubernetes.io/tls) with --tls-secret NAME, "+
			"or terminate TLS in front of the cluster and silence this finding with a reason.", c.Addr, name)
	}

	var tlsBackends, plainBackends []string
	for _, u := range behind {
		if servesTLS(d, u.c) {
			tlsBackends = append(tlsBackends, u.c.Addr)
		} else {
			plainBackends = append(plainBackends, u.c.Addr)
		}
	}
	switch {
	case len(tlsBackends) > 0 && len(plainBackends) == 0:
		annotations[annotBackendProtocol] = "HTTPS"
	case len(tlsBackends) > 0:
		kb.n.warn(c, "", "the Ingress %s speaks plain HTTP to %s: one Ingress cannot speak HTTPS to %s and HTTP to %s",
			name, strings.Join(tlsBackends, ", "), strings.Join(tlsBackends, ", "), strings.Join(plainBackends, ", "))
		kb.n.explain("Give every backend behind %s the same tls setting.", c.Addr)
	}

	byAuth := map[string][]*unit{}
	for _, u := range behind {
		byAuth[u.c.Auth] = append(byAuth[u.c.Auth], u)
	}
	for _, auth := range slices.Sorted(maps.Keys(byAuth)) {
		us := byAuth[auth]
		switch auth {
		case "", "none":
			// public-auth reports an entry that states no authentication.
		case "mtls":
			switch {
			case len(byAuth) > 1:
				kb.n.warn(us[0].c, "auth", "the Ingress %s does not check client certificates for %s: the other entries behind it take no client certificate, and one Ingress checks all or none",
					name, addrs(us))
			case len(ing.Spec.TLS) == 0:
				kb.n.warn(us[0].c, "auth", "the Ingress %s does not check client certificates for %s (auth = \"mtls\"): it serves plain HTTP",
					name, addrs(us))
				kb.n.explain("Mutual TLS needs TLS at the Ingress: state tls = true on %s or give --tls-secret.", c.Addr)
			case kb.opts.ClientCASecret == "":
				kb.n.warn(us[0].c, "auth", "the Ingress %s does not check client certificates for %s (auth = \"mtls\"): no certificate authority is given",
					name, addrs(us))
				kb.n.explain("Give the Secret holding the CA that signs your clients' certificates (key ca.crt) with --client-ca-secret NAMESPACE/NAME: "+
					"archform then writes ingress-nginx's auth-tls annotations. Or pass TLS through to %s and silence this finding with a reason.", addrs(us))
			default:
				annotations[annotAuthTLSVerifyClient] = "on"
				annotations[annotAuthTLSSecret] = kb.opts.ClientCASecret
				annotations[annotAuthTLSPassCert] = "true"
			}
		default:
			kb.n.info(us[0].c, "auth", "the Ingress %s passes requests to %s unchecked: %s checks auth = %q itself (the Ingress has no standard annotation for it)",
				name, addrs(us), addrs(us), auth)
			kb.n.explain("ingress-nginx's auth-url delegates authentication to a service (oauth2-proxy, an OIDC gateway) that the design does not declare; " +
				"archform writes none. The NetworkPolicy still admits only the Ingress's traffic on the entry's ports.")
		}
	}
	if len(annotations) == 0 {
		return
	}
	ing.Annotations = annotations
	if kb.opts.IngressClass != "nginx" {
		keys := slices.Sorted(maps.Keys(annotations))
		for i, k := range keys {
			keys[i] = strings.TrimPrefix(k, nginxPrefix)
		}
		kb.n.info(c, "", "the Ingress %s carries ingress-nginx's annotations (%s): another Ingress controller ignores them", name, strings.Join(keys, ", "))
		kb.n.explain("Serve the Ingress with ingress-nginx (--ingress-class nginx), or configure the same with your controller's own annotations.")
	}
}

func addrs(us []*unit) string {
	out := make([]string, len(us))
	for i, u := range us {
		out[i] = u.c.Addr
	}
	return strings.Join(out, ", ")
}

// transportNotes say what a target does not emit of the TLS and mutual TLS
// the design states between components: certificates are the images'
// business, and mutual TLS between services a service mesh's.
func transportNotes(n *notes, d *lang.Design, c *lang.Component) {
	if !c.Kind.Deployable() || c.Kind == lang.KindLoadBalancer {
		return
	}
	if servesTLS(d, c) {
		attr := ""
		if c.Has("tls") {
			attr = "tls"
		}
		n.info(c, attr, "%s output does not configure TLS in %s: its image must serve TLS on its ports with a certificate of its own (archform mounts none)", n.target, c.Addr)
		n.explain("Mount the certificate from a Secret and configure the image to use it (for a database, its ssl settings); archform checks that the design asks for TLS (plaintext-traffic, data-protection), not that the image serves it.")
	}
	if c.Auth == "mtls" && calledByServices(d, c, map[*lang.Component]bool{}) {
		n.info(c, "auth", "%s output does not set up mutual TLS between %s and the components that call it: that is a service mesh's (Istio, Linkerd) or the images' own certificates' work",
			n.target, c.Addr)
		n.explain("archform admits only the declared callers on the network (Kubernetes NetworkPolicies, Compose networks per trust zone); who presents which certificate is outside what it emits.")
	}
}

// calledByServices reports whether a deployed component other than a load
// balancer calls c, directly or through load balancers.
func calledByServices(d *lang.Design, c *lang.Component, seen map[*lang.Component]bool) bool {
	seen[c] = true
	for _, call := range d.Incoming(c) {
		from := call.From
		switch {
		case from.Kind == lang.KindLoadBalancer:
			if !seen[from] && calledByServices(d, from, seen) {
				return true
			}
		case from.Kind.Deployable():
			return true
		}
	}
	return false
}

// reaches are the deployed components (units and load balancers) that c
// calls or consumes from, with the dead-letter queues of what it consumes:
// the components it opens connections to.
func (p *plan) reaches(c *lang.Component) []*lang.Component {
	var out []*lang.Component
	add := func(to *lang.Component) {
		if to != nil && to != c && (p.byComp[to] != nil || p.lbOf[to] != nil) && !slices.Contains(out, to) {
			out = append(out, to)
		}
	}
	for _, call := range c.Calls {
		add(call.To)
	}
	for _, cs := range c.Consumes {
		add(cs.Queue)
		add(cs.Queue.DeadLetter)
	}
	return out
}

// proxyTLS reports what Compose's HAProxy does not do of the TLS and mutual
// TLS the design states at a layer-7 load balancer: it holds no
// certificate, so it serves plain HTTP and cannot pass client certificates
// on.
func (cb *composeBuilder) proxyTLS(b *balancer) {
	if b.Layer == 4 {
		return // TCP: TLS passes through to the backends
	}
	d := cb.p.d
	if tlsIn(d, b.c) || servesTLS(d, b.c) {
		attr := ""
		if b.c.Has("tls") {
			attr = "tls"
		}
		cb.n.warn(b.c, attr, "Compose's HAProxy for %s serves plain HTTP: the design states TLS, and archform gives the proxy no certificate", b.c.Addr)
		cb.n.explain("Terminate TLS in front of the Docker host, or set layer = 4 on %s so that the proxy passes TLS through to its backends.", b.c.Addr)
	}
	for _, u := range b.units() {
		if u.c.Auth == "mtls" {
			cb.n.warn(u.c, "auth", "Compose's HAProxy for %s ends the connection at layer 7: the client certificates %s asks for (auth = \"mtls\") never reach it", b.c.Addr, u.c.Addr)
			cb.n.explain("Set layer = 4 on %s so that the proxy passes TLS through to %s.", b.c.Addr, u.c.Addr)
		}
	}
}

// checkClientCASecret validates --client-ca-secret: NAMESPACE/NAME, as
// ingress-nginx's auth-tls-secret requires.
func checkClientCASecret(v string) error {
	if v == "" {
		return nil
	}
	ns, name, ok := strings.Cut(v, "/")
	if !ok || len(validation.IsDNS1123Label(ns)) > 0 || len(validation.IsDNS1123Subdomain(name)) > 0 {
		return fmt.Errorf("--client-ca-secret %q: want NAMESPACE/NAME, the Secret holding the client CA (ca.crt)", v)
	}
	return nil
}
