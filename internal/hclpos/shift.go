// Package hclpos moves the source positions held in a value: every hcl.Pos
// reachable from it, by a number of lines and bytes. The language server
// reuses the parse of a top-level block whose text did not change when an
// edit above it moved it, and lang reuses what it decoded from such a block;
// both move their positions with Shift rather than parse or decode again. A
// block starts at the start of a line, so its columns never change.
package hclpos

import (
	"reflect"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
)

// Shift adds dl to the line and db to the byte offset of every hcl.Pos
// (but unset ones, of line 0) reachable from v (a pointer) through exported fields, pointers,
// interfaces, slices, arrays and maps. Each pointer and map is followed
// once, so v must hold only what is its own: nothing it points to may be
// moved by anything else. cty values hold no positions and are not walked.
// (A pointer is known by its address alone: v should not hold both a
// pointer to a struct and one to that struct's first field.)
func Shift(v any, dl, db int) {
	seen := seenPool.Get().(map[uintptr]bool)
	shiftValue(reflect.ValueOf(v), dl, db, seen)
	clear(seen)
	seenPool.Put(seen)
}

// seenPool keeps the walks' maps of followed pointers: the language server
// moves hundreds of blocks on a keystroke.
var seenPool = sync.Pool{New: func() any { return map[uintptr]bool{} }}

// Range moves one range (unless it is unset: of line 0).
func Range(r *hcl.Range, dl, db int) {
	if r.Start.Line > 0 {
		r.Start.Line += dl
		r.Start.Byte += db
	}
	if r.End.Line > 0 {
		r.End.Line += dl
		r.End.Byte += db
	}
}

var posType = reflect.TypeFor[hcl.Pos]()

func shiftValue(v reflect.Value, dl, db int, seen map[uintptr]bool) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() || seen[v.Pointer()] {
			return
		}
		seen[v.Pointer()] = true
		shiftValue(v.Elem(), dl, db, seen)
	case reflect.Interface:
		if v.IsNil() {
			return
		}
		e := v.Elem()
		if e.Kind() == reflect.Pointer {
			shiftValue(e, dl, db, seen)
			return
		}
		if !v.CanSet() || !planOf(e.Type()).holds {
			return
		}
		// A value in an interface (hcl.TraverseAttr in a traversal) is
		// not addressable: move a copy and put it back.
		cp := reflect.New(e.Type()).Elem()
		cp.Set(e)
		shiftValue(cp, dl, db, seen)
		v.Set(cp)
	case reflect.Struct:
		if v.Type() == posType {
			// A position of line 0 is no position (a range left unset).
			if v.CanAddr() {
				if p := v.Addr().Interface().(*hcl.Pos); p.Line > 0 {
					p.Line += dl
					p.Byte += db
				}
			}
			return
		}
		for _, i := range planOf(v.Type()).fields {
			shiftValue(v.Field(i), dl, db, seen)
		}
	case reflect.Slice, reflect.Array:
		if !planOf(v.Type().Elem()).holds {
			return
		}
		for i := range v.Len() {
			shiftValue(v.Index(i), dl, db, seen)
		}
	case reflect.Map:
		if v.IsNil() || !planOf(v.Type().Elem()).holds || seen[v.Pointer()] {
			return
		}
		seen[v.Pointer()] = true
		// A map's values are not addressable: a pointer is followed, any
		// other value is moved in a copy that replaces it.
		var cp reflect.Value
		it := v.MapRange()
		for it.Next() {
			e := it.Value()
			if e.Kind() == reflect.Pointer {
				shiftValue(e, dl, db, seen)
				continue
			}
			if !cp.IsValid() {
				cp = reflect.New(e.Type()).Elem()
			}
			cp.Set(e)
			shiftValue(cp, dl, db, seen)
			v.SetMapIndex(it.Key(), cp)
		}
	}
}

// typePlan says whether values of a type can hold an hcl.Pos that
// shiftValue reaches (interfaces: maybe), and for a struct which of its
// fields can.
type typePlan struct {
	holds  bool
	fields []int
}

var (
	plans   sync.Map // reflect.Type -> *typePlan
	plansMu sync.Mutex
)

func planOf(t reflect.Type) *typePlan {
	if p, ok := plans.Load(t); ok {
		return p.(*typePlan)
	}
	plansMu.Lock()
	defer plansMu.Unlock()
	building := map[reflect.Type]*typePlan{}
	p := buildPlan(t, building)
	for bt, bp := range building {
		plans.LoadOrStore(bt, bp)
	}
	return p
}

func buildPlan(t reflect.Type, building map[reflect.Type]*typePlan) *typePlan {
	if p, ok := plans.Load(t); ok {
		return p.(*typePlan)
	}
	if p, ok := building[t]; ok {
		return p // a recursive type, being planned: assumed to hold some
	}
	p := &typePlan{holds: true}
	building[t] = p
	switch t.Kind() {
	case reflect.Interface:
	case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
		p.holds = buildPlan(t.Elem(), building).holds
	case reflect.Struct:
		if t == posType {
			break
		}
		if strings.HasPrefix(t.PkgPath(), "github.com/zclconf/go-cty") {
			p.holds = false
			break
		}
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() && buildPlan(f.Type, building).holds {
				p.fields = append(p.fields, i)
			}
		}
		p.holds = len(p.fields) > 0
	default:
		p.holds = false
	}
	return p
}
