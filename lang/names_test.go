package lang

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// TestNameCollisions: issue 15 item 1. Names that the outputs map to one
// deployed name are errors naming both places; names that only look alike
// are warnings.
func TestNameCollisions(t *testing.T) {
	for _, c := range []struct {
		name, src string
		want      []string // "Error: SUMMARY: DETAIL-SUBSTRING" or "Warning: ..."
	}{
		{"case", `service "api" { image = "a:1" }
service "API" { image = "b:1" }`, []string{`Error: Duplicate deployed name: service.API and service.api (declared at d.arch.hcl:2,1) are both deployed as "service-api"`}},
		{"punctuation", `service "a_b" { image = "a:1" }
service "a-b" { image = "b:1" }`, []string{`Error: Duplicate deployed name: service.a-b and service.a_b (declared at d.arch.hcl:2,1)`}},
		{"kinds", `service "db" { image = "a:1" }
cache "db" { engine = "redis" }
database "service-db" { engine = "postgres" }`, []string{`Error: Duplicate deployed name: database.service-db and service.db`}},
		{"etcd member", `database "db" {
  engine = "etcd"
  quorum {
    n = 3
    r = 2
    w = 2
  }
}
service "db-1" { image = "a:1" }`, []string{`Error: Duplicate deployed name: member 1 of database.db and service.db-1 (declared at d.arch.hcl:10,1) are both deployed as "db-1"`}},
		{"homoglyph", `service "api" { image = "a:1" }
service "аpi" { image = "b:1" }`, []string{
			"Warning: Mixed-script name: The name of service.аpi mixes the scripts Cyrillic and Latin",
			"Warning: Confusable names: The name of service.аpi looks like the name of service.api (declared at d.arch.hcl:2,9)"}},
		{"control character", `system "a\u001b[31m" {}`, []string{"Error: Invalid character in name: The system name contains the character U+001B"}},
		{"bidi override", `system "a\u202eb" {}`, []string{"Error: Invalid character in name: The system name contains the character U+202E"}},
		{"newline in a zone", `region "r" { zones = ["a\nb"] }`, []string{"Error: Invalid character in name: The zone name contains the character U+000A"}},
		{"distinct", `service "api" { image = "a:1" }
service "api-v2" { image = "b:1" }
database "db" {
  engine = "etcd"
  quorum {
    n = 3
    r = 2
    w = 2
  }
}
service "db-3" { image = "a:1" }`, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := c.src
			if !strings.HasPrefix(src, "system") {
				src = "system \"s\" {}\n" + src
			}
			_, diags := LoadFiles(map[string][]byte{"d.arch.hcl": []byte(src)}, Options{})
			var got []string
			for _, d := range diags {
				sev := "Error"
				if d.Severity == hcl.DiagWarning {
					sev = "Warning"
				}
				got = append(got, sev+": "+d.Summary+": "+d.Detail)
			}
			if len(got) != len(c.want) {
				t.Fatalf("diagnostics:\n%s\nwant %d", strings.Join(got, "\n"), len(c.want))
			}
			for i, w := range c.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("diagnostic %d:\n%s\nwant it to contain\n%s", i, got[i], w)
				}
			}
			checkSubjects(t, diags)
		})
	}
}

func TestTerminalSafe(t *testing.T) {
	for in, want := range map[string]string{
		"plain\tand\nlines": "plain\tand\nlines",
		"a\x1b[31mred":      `a\x1b[31mred`,
		"bell\x07":          `bell\x07`,
		"rtl\u202eevil":     `rtl\u202eevil`,
		"nul\x00":           `nul\x00`,
		"café":              "café",
	} {
		if got := TerminalSafe(in); got != want {
			t.Errorf("TerminalSafe(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestHealthPathInjection: issue 15 item 3. A health check path that would
// add a line to the HAProxy configuration or a word to a shell command is
// an error at the path.
func TestHealthPathInjection(t *testing.T) {
	for _, path := range []string{`/x\nserver evil 6.6.6.6:80`, `/x'; touch /tmp/pwned; '`, `/x y`, `/x#frag`, `/\"q`, `/é`} {
		src := "system \"s\" {}\nload_balancer \"lb\" {\n  health_check {\n    path = \"" + path + "\"\n  }\n}\n"
		_, diags := LoadFiles(map[string][]byte{"d.arch.hcl": []byte(src)}, Options{})
		if !diags.HasErrors() || !strings.Contains(diags.Error(), "A health check path is a URL path") {
			t.Errorf("path %s: %v, want an invalid-path error", path, diags)
		}
		checkSubjects(t, diags)
	}
	_, diags := LoadFiles(map[string][]byte{"d.arch.hcl": []byte("system \"s\" {}\nload_balancer \"lb\" {\n  health_check {\n    path = \"/health?a=1&b=%20x\"\n  }\n}\n")}, Options{})
	if diags.HasErrors() {
		t.Errorf("a plain path with a query is refused: %v", diags)
	}
}
