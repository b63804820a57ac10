package emit

import "github.com/archform/archform/lang"

// WorkloadNames maps the name each component is deployed under (its Compose
// service, its Kubernetes objects' app.kubernetes.io/name) to the
// component's address. Members of a clustered engine's Compose services are
// named NAME-0, NAME-1, ... after it. archform drift reads deployments back
// through it.
func WorkloadNames(d *lang.Design) map[string]string {
	out := map[string]string{}
	for c, name := range (&plan{d: d}).names() {
		if c.Kind.Deployable() {
			out[name] = c.Addr
		}
	}
	return out
}
