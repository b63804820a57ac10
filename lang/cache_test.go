package lang

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/archform/archform/internal/hclpos"
	"github.com/archform/archform/lang/designgen"
	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
)

// TestDecodeCacheEqualsDecode decodes designs whose every top-level block
// is a file of its own, through one DecodeCache, after random edits: a
// block's text changed (parsed again), a block moved (its syntax shifted in
// place, as the language server moves a piece an edit above moved), a
// variable or the system defaults changed (which every component reads).
// After each edit the design and diagnostics must equal a decode of the
// same files without the cache; the cache must have reused blocks.
func TestDecodeCacheEqualsDecode(t *testing.T) {
	sources := map[string]string{"generated": string(designgen.Generate(300, 3))}
	for _, ex := range []string{"shop", "chat", "payments", "ratelimiter"} {
		matches, _ := filepath.Glob(filepath.Join("..", "testdata", ex, "*.arch.hcl"))
		var all strings.Builder
		for _, m := range matches {
			b, err := os.ReadFile(m)
			if err != nil {
				t.Fatal(err)
			}
			all.Write(b)
			all.WriteString("\n")
		}
		sources[ex] = all.String()
	}
	edits := 40
	if testing.Short() {
		edits = 10
	}
	rng := rand.New(rand.NewPCG(5, 22))
	number := regexp.MustCompile(`= [1-9][0-9]*\b`)
	for name, src := range sources {
		t.Run(name, func(t *testing.T) {
			pieces := topLevelPieces(src)
			names := make([]string, len(pieces))
			files := make([]*hcl.File, len(pieces))
			parse := func(i int) {
				f, _ := ParseFile([]byte(pieces[i]), names[i])
				files[i] = f
			}
			for i := range pieces {
				names[i] = fmt.Sprintf("p%04d.arch.hcl", i)
				parse(i)
			}
			cache := &DecodeCache{}
			check := func(when string) int {
				got, gotDiags := DecodeFiles(names, files, Options{Cache: cache})
				want, wantDiags := DecodeFiles(names, files, Options{})
				if g, w := diagLines(gotDiags), diagLines(wantDiags); g != w {
					t.Fatalf("%s: diagnostics with the cache:\n%s\nwithout:\n%s", when, g, w)
				}
				if !sameDesign(got, want) {
					x, y := *got, *want
					x.incoming, x.consumed, y.incoming, y.consumed = nil, nil, nil, nil
					t.Fatalf("%s: the design decoded with the cache differs from the one without: %s", when, cmp.Diff(x, y, cmp.Exporter(func(reflect.Type) bool { return true })))
				}
				reused, _ := cache.Stats()
				return reused
			}
			check("first decode")
			reusedAny := false
			for e := range edits {
				i := rng.IntN(len(pieces))
				var what string
				switch rng.IntN(4) {
				case 0, 1:
					m := number.FindAllStringIndex(pieces[i], -1)
					if len(m) == 0 {
						pieces[i] += "\n"
						what = "a line added"
					} else {
						r := m[rng.IntN(len(m))]
						pieces[i] = pieces[i][:r[0]] + fmt.Sprintf("= %d", 1+rng.IntN(500)) + pieces[i][r[1]:]
						what = "a number changed"
					}
					parse(i)
				case 2:
					if files[i] == nil {
						continue
					}
					dl := 1 + rng.IntN(3)
					hclpos.Shift(files[i].Body, dl, dl+rng.IntN(40))
					what = "a block moved"
				case 3:
					if strings.HasPrefix(pieces[i], "system") {
						pieces[i] = strings.Replace(pieces[i], "{", "{\n  defaults {\n    availability = 0.995\n  }", 1)
						what = "system defaults set"
					} else {
						pieces[i] = pieces[i][:len(pieces[i])/2] + "\n"
						what = "a block cut in half"
					}
					parse(i)
				}
				if check(fmt.Sprintf("after edit %d (%s in %s)", e+1, what, names[i])) > 0 {
					reusedAny = true
				}
			}
			if !reusedAny {
				t.Error("the cache reused no block")
			}
		})
	}
}

// topLevelPieces cuts a file at each line that starts a top-level block.
func topLevelPieces(src string) []string {
	var out []string
	start := 0
	lines := strings.SplitAfter(src, "\n")
	off := 0
	for _, l := range lines {
		if off > start && len(l) > 0 && l[0] >= 'a' && l[0] <= 'z' {
			out = append(out, src[start:off])
			start = off
		}
		off += len(l)
	}
	return append(out, src[start:])
}

func diagLines(diags hcl.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		fmt.Fprintf(&b, "%v %v %s: %s\n", d.Subject, d.Context, d.Summary, d.Detail)
	}
	return b.String()
}

// sameDesign compares two designs deeply, but for the maps keyed by
// component pointers (each design has its own components).
func sameDesign(a, b *Design) bool {
	if a == nil || b == nil {
		return a == b
	}
	x, y := *a, *b
	x.incoming, x.consumed, y.incoming, y.consumed = nil, nil, nil, nil
	if !reflect.DeepEqual(x, y) {
		return false
	}
	for _, c := range a.Components {
		if len(a.Incoming(c)) != len(b.Incoming(b.Component(c.Addr))) || len(a.Consumers(c)) != len(b.Consumers(b.Component(c.Addr))) {
			return false
		}
	}
	return true
}
