package diff

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/archform/archform/lang"
	"github.com/hashicorp/hcl/v2"
)

// designChanges lists what was added, removed and changed between two
// designs: regions and zones, components (and each of their settings),
// calls, consumes, flows and the system's settings. Settings are compared
// on the typed design (after variables and defaults are resolved), field by
// field, so that every attribute the language decodes is compared without
// a list to keep up to date.
func designChanges(base, head *lang.Design) []Change {
	var out []Change
	out = append(out, settingChanges("system", "system", base.System, head.System)...)

	regions := func(d *lang.Design) map[string]string {
		m := map[string]string{}
		for _, r := range d.Regions {
			var zs []string
			for _, z := range r.Zones {
				zs = append(zs, z.Name)
			}
			m[r.Name] = strings.Join(zs, ", ")
		}
		return m
	}
	out = append(out, keyedChanges("region", regions(base), regions(head), "zones")...)

	comps := func(d *lang.Design) (map[string]*lang.Component, []string) {
		m := map[string]*lang.Component{}
		var order []string
		for _, c := range d.Components {
			m[c.Addr] = c
			order = append(order, c.Addr)
		}
		return m, order
	}
	bc, bo := comps(base)
	hc, ho := comps(head)
	for _, addr := range union(bo, ho) {
		b, h := bc[addr], hc[addr]
		switch {
		case b == nil:
			out = append(out, Change{Element: "component", Op: Added, Subject: addr})
		case h == nil:
			out = append(out, Change{Element: "component", Op: Removed, Subject: addr})
		default:
			out = append(out, settingChanges("component", addr, b, h)...)
		}
	}

	calls := func(d *lang.Design) (map[string]*lang.Call, []string) {
		m := map[string]*lang.Call{}
		var order []string
		for _, c := range d.Components {
			n := map[string]int{}
			for _, call := range c.Calls {
				if call.To == nil {
					continue
				}
				k := c.Addr + " -> " + call.To.Addr
				n[k]++
				if n[k] > 1 {
					k += fmt.Sprintf(" #%d", n[k])
				}
				m[k] = call
				order = append(order, k)
			}
		}
		return m, order
	}
	bk, bko := calls(base)
	hk, hko := calls(head)
	for _, k := range union(bko, hko) {
		b, h := bk[k], hk[k]
		switch {
		case b == nil:
			out = append(out, Change{Element: "call", Op: Added, Subject: k})
		case h == nil:
			out = append(out, Change{Element: "call", Op: Removed, Subject: k})
		default:
			out = append(out, settingChanges("call", k, b, h)...)
		}
	}

	consumes := func(d *lang.Design) (map[string]*lang.Consume, []string) {
		m := map[string]*lang.Consume{}
		var order []string
		for _, c := range d.Components {
			for _, cs := range c.Consumes {
				if cs.Queue == nil {
					continue
				}
				k := c.Addr + " <- " + cs.Queue.Addr
				if _, dup := m[k]; dup {
					continue
				}
				m[k] = cs
				order = append(order, k)
			}
		}
		return m, order
	}
	bq, bqo := consumes(base)
	hq, hqo := consumes(head)
	for _, k := range union(bqo, hqo) {
		b, h := bq[k], hq[k]
		switch {
		case b == nil:
			out = append(out, Change{Element: "consume", Op: Added, Subject: k})
		case h == nil:
			out = append(out, Change{Element: "consume", Op: Removed, Subject: k})
		default:
			out = append(out, settingChanges("consume", k, b, h)...)
		}
	}

	flows := func(d *lang.Design) (map[string]*lang.Flow, []string) {
		m := map[string]*lang.Flow{}
		var order []string
		for _, f := range d.Flows {
			m[f.Name] = f
			order = append(order, f.Name)
		}
		return m, order
	}
	bf, bfo := flows(base)
	hf, hfo := flows(head)
	for _, k := range union(bfo, hfo) {
		b, h := bf[k], hf[k]
		switch {
		case b == nil:
			out = append(out, Change{Element: "flow", Op: Added, Subject: k})
		case h == nil:
			out = append(out, Change{Element: "flow", Op: Removed, Subject: k})
		default:
			out = append(out, settingChanges("flow", k, b, h)...)
		}
	}
	return out
}

// keyedChanges compares two maps of name -> value.
func keyedChanges(element string, base, head map[string]string, setting string) []Change {
	keys := make([]string, 0, len(base)+len(head))
	for k := range base {
		keys = append(keys, k)
	}
	for k := range head {
		if _, ok := base[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var out []Change
	for _, k := range keys {
		b, inB := base[k]
		h, inH := head[k]
		switch {
		case !inB:
			out = append(out, Change{Element: element, Op: Added, Subject: k, Head: h})
		case !inH:
			out = append(out, Change{Element: element, Op: Removed, Subject: k, Base: b})
		case b != h:
			out = append(out, Change{Element: element, Op: Changed, Subject: k, Setting: setting, Base: b, Head: h})
		}
	}
	return out
}

// settingChanges compares the settings of two values of one type.
func settingChanges(element, subject string, base, head any) []Change {
	bm, hm := map[string]string{}, map[string]string{}
	flatten(reflect.Indirect(reflect.ValueOf(base)), "", bm)
	flatten(reflect.Indirect(reflect.ValueOf(head)), "", hm)
	keys := make([]string, 0, len(bm)+len(hm))
	for k := range bm {
		keys = append(keys, k)
	}
	for k := range hm {
		if _, ok := bm[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var out []Change
	for _, k := range keys {
		if bm[k] != hm[k] {
			out = append(out, Change{Element: element, Op: Changed, Subject: subject, Setting: k, Base: bm[k], Head: hm[k]})
		}
	}
	return out
}

var (
	rangeType     = reflect.TypeOf(hcl.Range{})
	rangesType    = reflect.TypeOf(lang.Ranges{})
	componentType = reflect.TypeOf(&lang.Component{})
	durationType  = reflect.TypeOf(time.Duration(0))
)

// skipped fields: identity, graph edges compared elsewhere, derived
// placement, and source positions.
var skipped = map[string]bool{
	"Kind": true, "Name": true, "Addr": true, "Calls": true, "Consumes": true,
	"Instances": true, "From": true, "To": true, "Index": true, "Consumer": true, "Queue": true,
}

// flatten writes v's settings into out as attribute path -> printed value.
func flatten(v reflect.Value, prefix string, out map[string]string) {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return
		}
		if v.Type() == componentType {
			out[strings.TrimSuffix(prefix, ".")] = v.Interface().(*lang.Component).Addr
			return
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		if s, ok := printValue(v); ok {
			out[strings.TrimSuffix(prefix, ".")] = s
		}
		return
	}
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() || f.Type == rangeType || f.Type == rangesType || (prefix == "" && skipped[f.Name]) {
			continue
		}
		fv := v.Field(i)
		name := prefix + snake(f.Name)
		if f.Type == componentType {
			if !fv.IsNil() {
				out[name] = fv.Interface().(*lang.Component).Addr
			}
			continue
		}
		switch fv.Kind() {
		case reflect.Struct, reflect.Pointer:
			if fv.Kind() == reflect.Pointer && fv.Type().Elem().Kind() != reflect.Struct {
				if !fv.IsNil() {
					if s, ok := printValue(fv.Elem()); ok {
						out[name] = s
					}
				}
				continue
			}
			flatten(fv, name+".", out)
		default:
			if s, ok := printValue(fv); ok {
				out[name] = s
			}
		}
	}
}

// printValue prints a setting; zero values print as nothing (unset).
func printValue(v reflect.Value) (string, bool) {
	if v.Type() == durationType {
		d := time.Duration(v.Int())
		if d == 0 {
			return "", false
		}
		return d.String(), true
	}
	switch v.Kind() {
	case reflect.String:
		if v.String() == "" {
			return "", false
		}
		return strconv.Quote(v.String()), true
	case reflect.Bool:
		if !v.Bool() {
			return "", false
		}
		return "true", true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if v.Int() == 0 {
			return "", false
		}
		return strconv.FormatInt(v.Int(), 10), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if v.Uint() == 0 {
			return "", false
		}
		return strconv.FormatUint(v.Uint(), 10), true
	case reflect.Float32, reflect.Float64:
		if v.Float() == 0 {
			return "", false
		}
		return strconv.FormatFloat(v.Float(), 'g', -1, 64), true
	case reflect.Slice, reflect.Array:
		if v.Len() == 0 {
			return "", false
		}
		parts := make([]string, 0, v.Len())
		for i := 0; i < v.Len(); i++ {
			e := v.Index(i)
			if e.Kind() == reflect.Pointer && e.Type() == componentType {
				if !e.IsNil() {
					parts = append(parts, e.Interface().(*lang.Component).Addr)
				}
				continue
			}
			if e.Kind() == reflect.Struct || e.Kind() == reflect.Pointer {
				m := map[string]string{}
				flatten(e, "", m)
				parts = append(parts, "{"+joinSorted(m)+"}")
				continue
			}
			s, ok := printValue(e)
			if !ok {
				s = fmt.Sprint(e.Interface())
			}
			parts = append(parts, s)
		}
		return "[" + strings.Join(parts, ", ") + "]", true
	case reflect.Map:
		if v.Len() == 0 {
			return "", false
		}
		m := map[string]string{}
		iter := v.MapRange()
		for iter.Next() {
			val := iter.Value()
			s, ok := printValue(val)
			if !ok {
				if val.Kind() == reflect.Struct {
					sub := map[string]string{}
					flatten(val, "", sub)
					s = "{" + joinSorted(sub) + "}"
				} else {
					s = fmt.Sprint(val.Interface())
				}
			}
			m[fmt.Sprint(iter.Key().Interface())] = s
		}
		return "{" + joinSorted(m) + "}", true
	}
	return "", false
}

func joinSorted(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + " = " + m[k]
	}
	return strings.Join(parts, ", ")
}

// snake turns a Go field name into the language's attribute spelling:
// CapacityRPS -> capacity_rps, MaxUtilization -> max_utilization.
func snake(s string) string {
	r := []rune(s)
	var b strings.Builder
	for i, c := range r {
		if unicode.IsUpper(c) && i > 0 {
			prevLower := unicode.IsLower(r[i-1]) || unicode.IsDigit(r[i-1])
			nextLower := i+1 < len(r) && unicode.IsLower(r[i+1])
			if prevLower || (unicode.IsUpper(r[i-1]) && nextLower) {
				b.WriteByte('_')
			}
		}
		b.WriteRune(unicode.ToLower(c))
	}
	return b.String()
}
