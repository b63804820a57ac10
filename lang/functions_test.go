package lang

import (
	"strings"
	"testing"
)

// TestFunctionPanicIsADiagnostic: a function that panics inside go-cty
// (log of a negative number: NaN) is an error on the call's range, never a
// stack trace.
func TestFunctionPanicIsADiagnostic(t *testing.T) {
	_, diags := LoadFiles(map[string][]byte{"d.arch.hcl": []byte("system \"s\" {}\nclient \"web\" {\n  rps = log(-1, 10)\n}\n")}, Options{})
	if !diags.HasErrors() {
		t.Fatal("log(-1, 10) loaded")
	}
	for _, d := range diags {
		text := d.Summary + d.Detail
		if strings.Contains(text, "goroutine") || strings.Contains(text, "panic") || strings.Contains(text, ".go:") {
			t.Errorf("a stack trace reaches the user: %s", text)
		}
		if d.Subject == nil || d.Subject.Start.Line != 3 {
			t.Errorf("not on the call's line: %v", d.Subject)
		}
	}
}

// TestExpressionBudget: what would take the machine's memory is refused
// with one error on its expression; what a design really does still works.
func TestExpressionBudget(t *testing.T) {
	for _, c := range []struct{ expr, want string }{
		{"length(setproduct(range(1024), range(1024), range(64)))", "setproduct's 67108864 combinations"},
		{"length(flatten([for a in range(1024) : [for b in range(1024) : [for c in range(64) : c]]]))", "past 262144 values"},
		{`length(format("%0900000000d", 1))`, "a width or precision of 900000000"},
	} {
		src := "system \"s\" {}\nlocals {\n  n = " + c.expr + "\n}\nclient \"web\" {\n  rps = local.n\n}\n"
		_, diags := LoadFiles(map[string][]byte{"d.arch.hcl": []byte(src)}, Options{})
		if !diags.HasErrors() || !strings.Contains(diags.Error(), c.want) {
			t.Errorf("%s: want an error saying %q, got %v", c.expr, c.want, diags)
			continue
		}
		if n := len(diags.Errs()); n != 1 {
			t.Errorf("%s: %d errors, want the one", c.expr, n)
		}
		if diags[0].Subject == nil || diags[0].Subject.Start.Line != 3 {
			t.Errorf("%s: not on the expression's line: %v", c.expr, diags[0].Subject)
		}
	}
	src := "system \"s\" {}\nlocals {\n  n = length(setproduct(range(10), range(10))) + length([for a in range(100) : a])\n}\nclient \"web\" {\n  rps = local.n\n}\n"
	d, diags := LoadFiles(map[string][]byte{"d.arch.hcl": []byte(src)}, Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if rps := d.Component("client.web").RPS; rps != 200 {
		t.Errorf("rps = %v, want 200", rps)
	}
}
