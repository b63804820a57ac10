package emit

import (
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/archform/archform/lang"
)

// TestComposeDollarEveryField: issue 15 item 3. '$' written anywhere in the
// design reaches the container as '$': Compose interpolation fills nothing
// from the host (the loader here interpolates as docker compose does).
func TestComposeDollarEveryField(t *testing.T) {
	p, _ := composeProject(t, `
system "s" {}
service "api" {
  image   = "ghcr.io/acme/api:$${TAG:-evil}"
  command = ["sh", "-c", "echo $HOME $${HOME} $$"]
  labels  = { "x.$$HOME" = "$HOME" }
  env     = { GREETING = "hi $USER" }
  health_check {
    path = "/health?x=$HOME"
  }
  volume {
    path = "/data/$HOME"
  }
}
`)
	s := p.Services["api"]
	checks := map[string][2]string{
		"image":   {s.Image, "ghcr.io/acme/api:${TAG:-evil}"},
		"command": {strings.Join(s.Command, " "), "sh -c echo $HOME ${HOME} $$"},
		"label":   {fmt.Sprint(s.Labels), "map[archform.component:service.api x.$$HOME:$HOME]"},
		"env":     {deref(s.Environment["GREETING"]), "hi $USER"},
	}
	if s.HealthCheck != nil {
		checks["healthcheck"] = [2]string{strings.Join(s.HealthCheck.Test, " "), strings.Join(s.HealthCheck.Test, " ")}
		if !strings.Contains(strings.Join(s.HealthCheck.Test, " "), "/health?x=$HOME") {
			t.Errorf("healthcheck %q lost the path's $", s.HealthCheck.Test)
		}
	}
	if len(s.Volumes) == 0 || s.Volumes[0].Target != "/data/$HOME" {
		t.Errorf("volumes %+v, want the target /data/$HOME", s.Volumes)
	}
	for what, c := range checks {
		if c[0] != c[1] {
			t.Errorf("%s = %q, want %q", what, c[0], c[1])
		}
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

// hostileStrings are strings built to break out of where they are written.
var hostileStrings = []string{
	"'; touch /tmp/pwned; '", `"; touch /tmp/pwned; "`, "$(touch /tmp/pwned)", "`touch /tmp/pwned`",
	"a\nserver evil 6.6.6.6:80", "x # comment", `back\slash`, "%s%n%x", "tab\there", "\x1b[31m", "ünï",
	"$HOME", "${HOME}", "$$", "\\'", "''", `\"`, "\r\n", "a\x00b",
}

// TestShellQuote: issue 15 item 3. A word quoted for a health check's
// CMD-SHELL is one argument, exactly as given, to a real shell.
func TestShellQuote(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh: cannot check shell quoting")
	}
	for _, s := range hostileStrings {
		if strings.ContainsRune(s, 0) {
			continue // no shell argument holds a NUL
		}
		out, err := exec.Command(sh, "-c", "printf '%s|' "+shellQuote(s)+"; printf '%s' \"$#\"", "sh").Output()
		if err != nil {
			t.Fatalf("sh on %q: %v", s, err)
		}
		if want := s + "|0"; string(out) != want {
			t.Errorf("shellQuote(%q) reads back as %q, want %q", s, out, want)
		}
	}
}

// TestHaproxyURI: issue 15 item 3. A health check path is one word of the
// HAProxy configuration, whatever it holds.
func TestHaproxyURI(t *testing.T) {
	for _, s := range append(hostileStrings, "/healthz?a=1&b=2") {
		got := haproxyURI(s)
		if strings.ContainsAny(got, " \t\r\n#'\"\\$") || !utf8.ValidString(got) {
			t.Errorf("haproxyURI(%q) = %q: not one plain word", s, got)
		}
	}
	if got := haproxyURI("/healthz?a=1&b=2"); got != "/healthz?a=1&b=2" {
		t.Errorf("haproxyURI changes a plain path: %q", got)
	}
}

// FuzzEmitHostile fuzzes the Compose emitter with hostile labels, commands,
// images and environment values: the output loads, and every value reads
// back exactly as the design gave it (the structure the design asks for, no
// more). Long runs: go test ./emit -run XXX -fuzz FuzzEmitHostile.
func FuzzEmitHostile(f *testing.F) {
	for _, s := range hostileStrings {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool {
			return r < 0x20 && r != '\t' && r != '\n' || r == 0x7f || r >= 0x80 && r <= 0x9f || r == 0xfeff || r == 0xfffe || r == 0xffff
		}) {
			return // the design refuses these values
		}
		src := `system "s" {}
service "api" {
  image   = "img:1` + hclString(s) + `"
  command = ["run", "` + hclString(s) + `"]
  labels  = { note = "` + hclString(s) + `" }
  env     = { NOTE = "` + hclString(s) + `" }
}
`
		d, diags := lang.LoadFiles(map[string][]byte{"f.arch.hcl": []byte(src)}, lang.Options{})
		if diags.HasErrors() {
			return
		}
		p, _ := composeProjectDesign(t, d)
		svc := p.Services["api"]
		if svc.Image != "img:1"+s || len(svc.Command) != 2 || svc.Command[1] != s || svc.Labels["note"] != s {
			t.Fatalf("hostile %q: image %q command %q labels %v", s, svc.Image, svc.Command, svc.Labels)
		}
		if v := svc.Environment["NOTE"]; v != nil && *v != s {
			t.Fatalf("hostile %q: env %q", s, *v)
		}
	})
}

// hclString writes s inside an HCL quoted string: escapes, and $${ and %%{
// so that no template runs.
func hclString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`, "\t", `\t`, "${", "$${", "%{", "%%{")
	return r.Replace(s)
}
