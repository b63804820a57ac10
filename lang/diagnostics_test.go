package lang

import (
	"bytes"
	"encoding/json"
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
