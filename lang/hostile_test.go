package lang

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Input built to hurt the parser gets one clear diagnostic, never a crash.
func TestHostileInput(t *testing.T) {
	deep := 100000
	tests := []struct {
		name, file, src, summary string
	}{
		{"brackets", "a.arch.hcl", "locals {\n  x = " + strings.Repeat("[", deep) + strings.Repeat("]", deep) + "\n}\n", "Nesting too deep"},
		{"parens", "a.arch.hcl", "locals {\n  x = " + strings.Repeat("(", deep) + "1" + strings.Repeat(")", deep) + "\n}\n", "Nesting too deep"},
		{"unary minus", "a.arch.hcl", "locals {\n  x = " + strings.Repeat("-", deep) + "1\n}\n", "Nesting too deep"},
		{"negation", "a.arch.hcl", "locals {\n  x = " + strings.Repeat("!", deep) + "true\n}\n", "Nesting too deep"},
		{"conditionals", "a.arch.hcl", "locals {\n  x = " + strings.Repeat("true ? 1 : ", deep) + "2\n}\n", "Nesting too deep"},
		{"blocks", "a.arch.hcl", strings.Repeat("a {\n", deep) + strings.Repeat("}\n", deep), "Nesting too deep"},
		{"interpolation", "a.arch.hcl", "locals {\n  x = " + strings.Repeat("\"${", deep) + strings.Repeat("}\"", deep) + "\n}\n", "Nesting too deep"},
		{"directives", "a.arch.hcl", "locals {\n  x = \"" + strings.Repeat("%{if true}", deep) + strings.Repeat("%{endif}", deep) + "\"\n}\n", "Nesting too deep"},
		{"heredoc", "a.arch.hcl", "locals {\n  x = <<EOT\n" + strings.Repeat("${[", deep) + "\nEOT\n}\n", "Nesting too deep"},
		{"json", "a.arch.json", strings.Repeat("[", deep) + strings.Repeat("]", deep), "Nesting too deep"},
		{"json template", "a.arch.json", `{"locals": {"x": "` + strings.Repeat("${[", deep) + `"}}`, "Nesting too deep"},
		{"binary", "a.arch.hcl", "\x7fELF\x02\x01\x01\x00\x00\x00", "Not a text file"},
		{"latin-1", "a.arch.hcl", "system \"caf\xe9\" {}\n", "Invalid character encoding"},
		{"empty", "a.arch.hcl", "", "Missing system block"},
		{"comments only", "a.arch.hcl", "# nothing\n// here\n/* at all */\n", "Missing system block"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := LoadFiles(map[string][]byte{tt.file: []byte(tt.src)}, Options{})
			checkSubjects(t, diags)
			if len(diags) == 0 || diags[0].Summary != tt.summary {
				t.Errorf("got %v, want first %q", diags, tt.summary)
			}
		})
	}
}

// Ordinary nesting, comments and strings holding brackets are not "deep".
func TestNestingNotOverEstimated(t *testing.T) {
	src := `system "s" {
  description = "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
}
# ((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((
/* {{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{ */
locals {
  zones  = ["us-east-1a", "us-east-1b"]
  names  = [for z in local.zones : "${z}-${upper(z)}"]
  offset = -1 - -2 - -3
  doc    = <<EOT
  a "quoted [ heredoc" with ${local.offset} and [[[[[[[[
EOT
}
`
	_, diags := LoadFiles(map[string][]byte{"ok.arch.hcl": []byte(src)}, Options{})
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	// Many negative numbers in one list are not a chain of operators.
	list := "locals {\n  x = [" + strings.Repeat("-1, ", 5000) + "-1]\n}\nsystem \"s\" {}\n"
	if _, diags := LoadFiles(map[string][]byte{"ok.arch.hcl": []byte(list)}, Options{}); len(diags) > 0 {
		t.Fatal(diags)
	}
}

func TestFileTooLarge(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "huge.arch.hcl")
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	// A sparse 50 MB file: Load must refuse it before reading it.
	if err := f.Truncate(50 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, diags := Load(dir, Options{})
	if len(diags) != 1 || diags[0].Summary != "File too large" || !strings.Contains(diags[0].Detail, "50.0 MiB") {
		t.Errorf("got %v", diags)
	}
	checkSubjects(t, diags)
	if _, diags := LoadFiles(map[string][]byte{"big.arch.hcl": make([]byte, MaxFileSize+1)}, Options{}); len(diags) != 1 || diags[0].Summary != "File too large" {
		t.Errorf("LoadFiles: got %v", diags)
	}
}
