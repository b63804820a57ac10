package emit

import (
	"strings"
	"testing"

	"github.com/archform/archform/lang"
)

// TestDeployStrategy: a deploy block sets the Deployment's rolling update
// (Recreate when it stops every instance and surges none) and Compose's
// update_config (start-first when nothing may be unavailable); without one
// the Deployment starts a new pod before stopping an old one; blue_green is
// a finding on both targets.
func TestDeployStrategy(t *testing.T) {
	d, diags := lang.LoadFiles(map[string][]byte{"d.arch.hcl": []byte(`
system "s" {}
service "rolling" {
  image    = "nginx:1.27"
  replicas = 6
  deploy {
    max_unavailable = 2
    max_surge       = 3
  }
}
service "surge" {
  image    = "nginx:1.27"
  replicas = 6
  deploy {
    max_surge = 2
  }
}
service "recreate" {
  image    = "nginx:1.27"
  replicas = 2
  deploy {
    max_unavailable = 2
    max_surge       = 0
  }
}
service "plain" {
  image    = "nginx:1.27"
  replicas = 2
}
service "bluegreen" {
  image    = "nginx:1.27"
  replicas = 2
  deploy {
    strategy = "blue_green"
  }
}
`)}, lang.Options{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	k, err := Kubernetes(d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string]string{}
	for _, f := range k.Files {
		for _, doc := range strings.Split(string(f.Data), "\n---\n") {
			if strings.Contains(doc, "kind: Deployment\n") {
				name := doc[strings.Index(doc, "  name: ")+8:]
				docs[name[:strings.IndexByte(name, '\n')]] = doc
			}
		}
	}
	for name, want := range map[string]string{
		"rolling":   "  strategy:\n    rollingUpdate:\n      maxSurge: 3\n      maxUnavailable: 2\n    type: RollingUpdate\n",
		"surge":     "  strategy:\n    rollingUpdate:\n      maxSurge: 2\n      maxUnavailable: 0\n    type: RollingUpdate\n",
		"recreate":  "  strategy:\n    type: Recreate\n",
		"plain":     "  strategy:\n    rollingUpdate:\n      maxSurge: 1\n      maxUnavailable: 0\n    type: RollingUpdate\n",
		"bluegreen": "  strategy:\n    rollingUpdate:\n      maxSurge: 1\n      maxUnavailable: 0\n    type: RollingUpdate\n",
	} {
		if doc, ok := docs[name]; !ok || !strings.Contains(doc, want) {
			t.Errorf("Deployment %s: want\n%s\nin\n%s", name, want, doc)
		}
	}
	if f := string(findingsText(k.Findings)); !strings.Contains(f, "Kubernetes Deployments have no blue_green rollout") {
		t.Errorf("no Kubernetes finding for blue_green:\n%s", f)
	}

	c, err := Compose(d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	yml := string(c.Files[0].Data)
	for _, want := range []string{
		"update_config:\n        parallelism: 2\n        order: stop-first\n",
		"update_config:\n        parallelism: 2\n        order: start-first\n",
	} {
		if !strings.Contains(yml, want) {
			t.Errorf("compose.yaml has no\n%s", want)
		}
	}
	if n := strings.Count(yml, "update_config:"); n != 3 {
		t.Errorf("%d update_config, want 3 (rolling, surge, recreate)", n)
	}
	f := string(findingsText(c.Findings))
	if !strings.Contains(f, "Compose has no blue_green rollout") || !strings.Contains(f, "recreates the containers of service.rolling without its update_config") {
		t.Errorf("Compose findings:\n%s", f)
	}
}
