package snippet

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

func parse(t *testing.T, src string) map[string]*hcl.File {
	t.Helper()
	f, diags := hclsyntax.ParseConfig([]byte(src), "a.arch.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return map[string]*hcl.File{"a.arch.hcl": f}
}

// rangeOf is the range of the first occurrence of sub in src.
func rangeOf(src, sub string) hcl.Range {
	at := strings.Index(src, sub)
	pos := func(off int) hcl.Pos {
		line := strings.Count(src[:off], "\n") + 1
		col := off - strings.LastIndex(src[:off], "\n")
		return hcl.Pos{Line: line, Column: col, Byte: off}
	}
	return hcl.Range{Filename: "a.arch.hcl", Start: pos(at), End: pos(at + len(sub))}
}

func TestWrite(t *testing.T) {
	src := "service \"api\" {\n\treplicas = 3\n  env = {\n    A = 1\n    B = 2\n    C = 3\n  }\n}\n"
	s := New(parse(t, src))
	for _, c := range []struct{ sub, want string }{
		{"replicas", "  2: \treplicas = 3\n     \t^^^^^^^^\n"},
		// Continuation lines are underlined from their first non-blank; past
		// MaxLines the rest is counted.
		{"env = {\n    A = 1\n    B = 2\n    C = 3\n  }", "  3:   env = {\n       ^^^^^^^\n  4:     A = 1\n         ^^^^^\n  5:     B = 2\n         ^^^^^\n     (2 more lines)\n"},
		// An empty range gets one caret.
		{"", "  1: service \"api\" {\n     ^\n"},
	} {
		var b bytes.Buffer
		if err := s.Write(&b, rangeOf(src, c.sub), ""); err != nil {
			t.Fatal(err)
		}
		if b.String() != c.want {
			t.Errorf("%q:\ngot\n%s\nwant\n%s", c.sub, b.String(), c.want)
		}
	}
	if got := s.Context(rangeOf(src, "B = 2")); got != `service "api"` {
		t.Errorf("Context = %q", got)
	}
	// A range that does not fit the source prints nothing.
	var b bytes.Buffer
	s.Write(&b, hcl.Range{Filename: "a.arch.hcl", Start: hcl.Pos{Line: 1, Byte: 5}, End: hcl.Pos{Line: 1, Byte: 500}}, "")
	if b.Len() != 0 {
		t.Errorf("printed %q", b.String())
	}
}

// BenchmarkContext shows that finding the block of each of n ranges takes
// time linear in n (HCL's own navigation walks every block each time):
// compare ns/op across the sizes.
func BenchmarkContext(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		var src strings.Builder
		for i := range n {
			fmt.Fprintf(&src, "service \"s%d\" {\n  x = 1\n}\n", i)
		}
		f, _ := hclsyntax.ParseConfig([]byte(src.String()), "a", hcl.InitialPos)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for range b.N {
				s := New(map[string]*hcl.File{"a": f})
				for i := range n {
					s.Context(hcl.Range{Filename: "a", Start: hcl.Pos{Byte: i*30 + 20}, End: hcl.Pos{Byte: i*30 + 21}})
				}
			}
		})
	}
}
