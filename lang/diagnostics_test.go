package lang

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func TestWriteDiagnosticsColourAndTabs(t *testing.T) {
	src := "system \"s\" {}\nservice \"api\" {\n\treplicas = 0\n}\n"
	d, diags := LoadFiles(map[string][]byte{"t.arch.hcl": []byte(src)}, Options{})
	var buf bytes.Buffer
	if err := WriteDiagnostics(&buf, d.Files, diags, false); err != nil {
		t.Fatal(err)
	}
	want := "Error: Value out of range\n\n" +
		"  on t.arch.hcl line 3, in service \"api\":\n" +
		"  3: \treplicas = 0\n" +
		"     \t           ^\n\n" +
		"The value of \"replicas\" must be at least 1; it is 0.\n"
	if buf.String() != want {
		t.Errorf("got\n%q\nwant\n%q", buf.String(), want)
	}
	buf.Reset()
	WriteDiagnostics(&buf, d.Files, diags, true)
	if out := buf.String(); !strings.Contains(out, ansiBold+ansiRed+"Error: Value out of range"+ansiReset) ||
		!strings.Contains(out, ansiRed+"^"+ansiReset) {
		t.Errorf("no colour in %q", out)
	}
}

func TestWriteDiagnosticsJSON(t *testing.T) {
	files := map[string][]byte{"j.arch.hcl": []byte("system \"s\" {}\nqueue \"q\" {\n  engine = \"kafkaa\"\n}\ndatabase \"d\" {\n  engine = \"postgress\"\n}\n")}
	_, diags := LoadFiles(files, Options{})
	var buf bytes.Buffer
	if err := WriteDiagnosticsJSON(&buf, diags); err != nil {
		t.Fatal(err)
	}
	var got JSONValidation
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Valid || got.ErrorCount != 1 || got.WarningCount != 1 || len(got.Diagnostics) != 2 {
		t.Fatalf("got %+v", got)
	}
	e, w := got.Diagnostics[0], got.Diagnostics[1]
	if e.Severity != "error" || e.Summary != "Invalid value for engine" || e.Range == nil ||
		*e.Range != (JSONRange{"j.arch.hcl", JSONPos{3, 12, 37}, JSONPos{3, 20, 45}}) {
		t.Errorf("error = %+v %+v", e, e.Range)
	}
	if w.Severity != "warning" || !strings.Contains(w.Detail, `Did you mean "postgres"?`) {
		t.Errorf("warning = %+v", w)
	}
}

// TestManyDiagnosticsCounted: past MaxPrinted, diagnostics are counted, not
// printed, so 40,000 mistakes print in a moment (issue: 16.8 s before).
func TestManyDiagnosticsCounted(t *testing.T) {
	var src strings.Builder
	for i := range 40000 {
		fmt.Fprintf(&src, "service \"s%d\" {\n  bogus = 1\n}\n", i)
	}
	d, diags := LoadFiles(map[string][]byte{"many.arch.hcl": []byte(src.String())}, Options{})
	if len(diags) < 40000 {
		t.Fatalf("%d diagnostics, want one per block at least", len(diags))
	}
	var buf bytes.Buffer
	if err := WriteDiagnostics(&buf, d.Files, diags, false); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if n := strings.Count(out, "\nError: ") + strings.Count(out, "\nWarning: "); n != MaxPrinted-1 {
		t.Errorf("%d diagnostics printed after the first, want %d", n, MaxPrinted-1)
	}
	want := fmt.Sprintf("... and %d more errors", len(diags)-MaxPrinted)
	if !strings.Contains(out, want) {
		t.Errorf("no %q in the output's end:\n%s", want, out[max(0, len(out)-400):])
	}
}
