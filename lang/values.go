package lang

import (
	"fmt"
	"github.com/archform/archform/internal/didyoumean"
	"math"
	"math/big"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// This file turns attribute expressions into Go values: each helper
// evaluates the expression, checks its type, range or form, and reports a
// diagnostic on the expression's range when it is wrong. A helper returns
// ok = false when the value is unusable (an error was reported) or null
// (which, as in Terraform, means "not set").

// eval evaluates an attribute in the design's evaluation context.
func (dc *decoder) eval(attr *hcl.Attribute) (cty.Value, bool) {
	if v, ok := literal(attr.Expr); ok {
		return v, !v.IsNull()
	}
	v, diags := attr.Expr.Value(dc.ctx)
	if diags.HasErrors() {
		diags = dc.explainUndeclared(dc.ctx, attr.Expr, diags)
	}
	dc.diags = append(dc.diags, diags...)
	if diags.HasErrors() || v.IsNull() || !v.IsWhollyKnown() {
		return cty.NilVal, false
	}
	v, _ = v.UnmarkDeep()
	return v, true
}

// literal returns the value of a literal number, bool, null or plain
// string without going through evaluation, which for a template builds a
// buffer and a set of marks: most attributes of a design are literals.
func literal(expr hcl.Expression) (cty.Value, bool) {
	switch e := expr.(type) {
	case *hclsyntax.LiteralValueExpr:
		return e.Val, true
	case *hclsyntax.TemplateExpr:
		if len(e.Parts) == 1 {
			if lit, ok := e.Parts[0].(*hclsyntax.LiteralValueExpr); ok && lit.Val.Type() == cty.String && !lit.Val.IsNull() {
				return lit.Val, true
			}
		}
	}
	return cty.NilVal, false
}

// typed evaluates an attribute and converts it to ty.
func (dc *decoder) typed(attr *hcl.Attribute, ty cty.Type) (cty.Value, bool) {
	v, ok := dc.eval(attr)
	if !ok {
		return v, false
	}
	cv, err := convert.Convert(v, ty)
	if err != nil {
		dc.errorf(attr.Expr.Range(), "Incorrect attribute value type",
			"Inappropriate value for attribute %q: %s.", attr.Name, convertMessage(err, ty))
		return cty.NilVal, false
	}
	if cv.IsNull() || !cv.IsWhollyKnown() {
		return cty.NilVal, false
	}
	return cv, true
}

// convertMessage words a conversion failure the way Terraform does.
func convertMessage(err error, ty cty.Type) string {
	msg := err.Error()
	if pe, ok := err.(cty.PathError); ok && len(pe.Path) > 0 {
		if idx, ok := pe.Path[len(pe.Path)-1].(cty.IndexStep); ok {
			switch idx.Key.Type() {
			case cty.Number:
				bf := idx.Key.AsBigFloat()
				i, _ := bf.Int64()
				return fmt.Sprintf("element %d: %s", i, msg)
			case cty.String:
				return fmt.Sprintf("element %q: %s", idx.Key.AsString(), msg)
			}
		}
	}
	if msg == "" {
		return fmt.Sprintf("%s required", ty.FriendlyName())
	}
	return msg
}

func (dc *decoder) errorf(rng hcl.Range, summary, format string, args ...any) {
	r := rng
	dc.diags = append(dc.diags, &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  summary,
		Detail:   fmt.Sprintf(format, args...),
		Subject:  &r,
	})
}

func (dc *decoder) warnf(rng hcl.Range, summary, format string, args ...any) {
	r := rng
	dc.diags = append(dc.diags, &hcl.Diagnostic{
		Severity: hcl.DiagWarning,
		Summary:  summary,
		Detail:   fmt.Sprintf(format, args...),
		Subject:  &r,
	})
}

func (dc *decoder) str(attr *hcl.Attribute) (string, bool) {
	v, ok := dc.typed(attr, cty.String)
	if !ok {
		return "", false
	}
	return v.AsString(), dc.printable(attr, v.AsString())
}

// printable reports whether s holds only characters a text file can carry:
// no control characters other than tab, line feed and carriage return, no
// DEL, no C1 controls, no byte-order mark or noncharacters. Design strings
// end up in YAML manifests, HAProxy configurations and diagrams, which cannot
// hold them (YAML refuses them outright), so they are errors here, where the
// range is known, rather than failures of a later stage.
func (dc *decoder) printable(attr *hcl.Attribute, s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c >= 0x7f {
			return dc.printableSlow(attr, s)
		}
	}
	return true
}

func (dc *decoder) printableSlow(attr *hcl.Attribute, s string) bool {
	for _, r := range s {
		bad := (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f ||
			(r >= 0x80 && r <= 0x9f && r != 0x85) || r == 0xfeff || r == 0xfffe || r == 0xffff
		if bad {
			dc.errorf(attr.Expr.Range(), "Invalid character",
				"The value of %q contains the control character U+%04X, which no generated manifest, configuration or diagram can carry. Remove it.", attr.Name, r)
			return false
		}
	}
	return true
}

// labelText reports whether a name that is not an identifier (the system's
// name, a zone's) holds only characters a name can show: no control
// character at all (tab and line feed included), no bidirectional or other
// invisible format character. Names are printed to terminals, written into
// manifests and drawn; "a\x1b[31m" would be each of those differently.
func (dc *decoder) labelText(rng hcl.Range, what, s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == 0xfffe || r == 0xffff {
			dc.errorf(rng, "Invalid character in name",
				"The %s name contains the character U+%04X, a control or invisible format character, which no terminal, manifest or diagram shows as it is. Remove it.", what, r)
			return false
		}
	}
	return true
}

func (dc *decoder) boolean(attr *hcl.Attribute) (bool, bool) {
	v, ok := dc.typed(attr, cty.Bool)
	if !ok {
		return false, false
	}
	return v.True(), true
}

// float reads a finite number and checks it with inRange; want words the
// range for the message ("must be at least 1").
func (dc *decoder) float(attr *hcl.Attribute, inRange func(float64) bool, want string) (float64, bool) {
	v, ok := dc.typed(attr, cty.Number)
	if !ok {
		return 0, false
	}
	f, _ := v.AsBigFloat().Float64()
	if math.IsInf(f, 0) || math.IsNaN(f) {
		dc.errorf(attr.Expr.Range(), "Invalid value", "The value of %q must be a finite number.", attr.Name)
		return 0, false
	}
	if !inRange(f) {
		dc.errorf(attr.Expr.Range(), "Value out of range", "The value of %q %s; it is %s.", attr.Name, want, fmtNum(f))
		return 0, false
	}
	return f, true
}

// MaxNumber bounds rates, fan-outs, skews and weights: a trillion per second
// is far past any real system, and a bound keeps every load the analysis
// propagates finite in practice (1e300 rps overflowed to +Inf).
const MaxNumber = 1e12

// number reads a number no smaller than min and at most MaxNumber.
func (dc *decoder) number(attr *hcl.Attribute, min float64) (float64, bool) {
	f, ok := dc.float(attr, func(f float64) bool { return f >= min }, "must be at least "+fmtNum(min))
	return f, ok && dc.notHuge(attr, f)
}

// positive reads a number greater than zero and at most MaxNumber.
func (dc *decoder) positive(attr *hcl.Attribute) (float64, bool) {
	f, ok := dc.float(attr, func(f float64) bool { return f > 0 }, "must be greater than 0")
	return f, ok && dc.notHuge(attr, f)
}

func (dc *decoder) notHuge(attr *hcl.Attribute, f float64) bool {
	if f <= MaxNumber {
		return true
	}
	dc.errorf(attr.Expr.Range(), "Value out of range", "The value of %q must be at most %s (a trillion); it is %s.", attr.Name, fmtNum(MaxNumber), fmtNum(f))
	return false
}

// ratio reads a number in [0, 1].
func (dc *decoder) ratio(attr *hcl.Attribute) (float64, bool) {
	return dc.float(attr, func(f float64) bool { return f >= 0 && f <= 1 }, "is a ratio and must be between 0 and 1")
}

// integer reads a whole number in [min, max].
func (dc *decoder) integer(attr *hcl.Attribute, min, max int) (int, bool) {
	v, ok := dc.typed(attr, cty.Number)
	if !ok {
		return 0, false
	}
	return dc.wholeNumber(attr.Name, attr.Expr.Range(), v.AsBigFloat(), min, max)
}

func (dc *decoder) wholeNumber(name string, rng hcl.Range, bf *big.Float, min, max int) (int, bool) {
	if !bf.IsInt() {
		dc.errorf(rng, "Invalid value", "The value of %q must be a whole number; it is %s.", name, bf.Text('g', -1))
		return 0, false
	}
	i, acc := bf.Int64()
	if acc != big.Exact || i < int64(min) || i > int64(max) {
		if max == math.MaxInt32 {
			dc.errorf(rng, "Value out of range", "The value of %q must be at least %d; it is %s.", name, min, bf.Text('g', -1))
		} else {
			dc.errorf(rng, "Value out of range", "The value of %q must be between %d and %d; it is %s.", name, min, max, bf.Text('g', -1))
		}
		return 0, false
	}
	return int(i), true
}

// enum reads a string that must be one of allowed.
func (dc *decoder) enum(attr *hcl.Attribute, allowed []string) (string, bool) {
	s, ok := dc.str(attr)
	if !ok {
		return "", false
	}
	for _, a := range allowed {
		if s == a {
			return s, true
		}
	}
	dc.errorf(attr.Expr.Range(), "Invalid value for "+attr.Name,
		"%q is not a valid %s.%s The allowed values are %s.", s, attr.Name, didyoumean.Suffix(s, allowed), quoteList(allowed))
	return "", false
}

// openEnum reads a string from an open list (engines): any non-empty value is
// accepted, with a warning when it is a near miss of a known one.
func (dc *decoder) openEnum(attr *hcl.Attribute, known []string) (string, bool) {
	s, ok := dc.str(attr)
	if !ok {
		return "", false
	}
	if s == "" {
		dc.errorf(attr.Expr.Range(), "Invalid value for "+attr.Name, "The value of %q must not be empty.", attr.Name)
		return "", false
	}
	for _, k := range known {
		if s == k {
			return s, true
		}
	}
	if sugg := didyoumean.Nearest(s, known); sugg != "" {
		dc.warnf(attr.Expr.Range(), "Unknown "+attr.Name,
			"%q is not an %s archform knows. Did you mean %q? Known values are %s.", s, attr.Name, sugg, quoteList(known))
	}
	return s, true
}

// durationUnits are the language's duration units, longest first where one
// is a prefix of another.
var durationUnits = []struct {
	name string
	d    float64
}{
	{"ms", float64(time.Millisecond)}, {"s", float64(time.Second)}, {"m", float64(time.Minute)},
	{"h", float64(time.Hour)}, {"d", 24 * float64(time.Hour)},
}

// FormatDuration writes a duration the way designs write it, so that
// ParseDuration reads it back: "60s", "250ms", "5m", "2h" (seconds up to two
// minutes), a fraction of a millisecond as "0.25ms". It is archform's one
// duration writer: messages, imported designs and HAProxy configurations
// (whose units ms, s, m and h it also uses) all call it.
func FormatDuration(d time.Duration) string {
	switch {
	case d == 0:
		return "0s"
	case d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d > 2*time.Minute && d%time.Minute == 0:
		return fmt.Sprintf("%dm", d/time.Minute)
	case d%time.Second == 0:
		return fmt.Sprintf("%ds", d/time.Second)
	case d%time.Millisecond == 0:
		return fmt.Sprintf("%dms", d/time.Millisecond)
	}
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', -1, 64) + "ms"
}

// ParseDuration reads a duration of the language: a number with a unit ms,
// s, m, h or d ("250ms", "5s", "7d"), or several ("1h30m").
func ParseDuration(s string) (time.Duration, error) {
	bad := fmt.Errorf("%q is not a duration: write a number with a unit ms, s, m, h or d, such as \"250ms\", \"5s\" or \"7d\"", s)
	if s == "" {
		return 0, bad
	}
	var total float64
	for rest := s; rest != ""; {
		n := decimal(rest, false)
		if n == 0 {
			return 0, bad
		}
		f, _ := strconv.ParseFloat(rest[:n], 64)
		rest = rest[n:]
		unit := -1
		for i, u := range durationUnits {
			if strings.HasPrefix(rest, u.name) {
				unit = i
				break
			}
		}
		if unit < 0 {
			return 0, bad
		}
		total += f * durationUnits[unit].d
		rest = rest[len(durationUnits[unit].name):]
	}
	if total > math.MaxInt64/2 {
		return 0, fmt.Errorf("%q is too long a duration", s)
	}
	return time.Duration(math.Round(total)), nil
}

// decimal returns the length of the decimal number at the start of s:
// digits, then optionally a point and digits (digits after the point may be
// absent only when bareFraction allows "1." and ".5"). It is 0 when s does
// not start with one.
func decimal(s string, bareFraction bool) int {
	digits := func(i int) int {
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i
	}
	i := digits(0)
	if i == 0 && !bareFraction {
		return 0
	}
	if i < len(s) && s[i] == '.' {
		j := digits(i + 1)
		switch {
		case j > i+1:
			return j
		case bareFraction && i > 0:
			return i + 1
		}
	}
	return i
}

func (dc *decoder) duration(attr *hcl.Attribute) (time.Duration, bool) {
	v, ok := dc.eval(attr)
	if !ok {
		return 0, false
	}
	if v.Type() == cty.Number {
		dc.errorf(attr.Expr.Range(), "Invalid duration",
			"The value of %q is a duration: a string with a unit ms, s, m, h or d, such as \"250ms\"; a bare number has no unit.", attr.Name)
		return 0, false
	}
	s, ok := dc.str(attr)
	if !ok {
		return 0, false
	}
	d, err := ParseDuration(s)
	if err != nil {
		dc.errorf(attr.Expr.Range(), "Invalid duration", "The value of %q must be a duration: %s.", attr.Name, strings.TrimPrefix(err.Error(), fmt.Sprintf("%q is not a duration: ", s)))
		return 0, false
	}
	return d, true
}

// quantitySuffixes are the suffixes of a Kubernetes quantity.
var quantitySuffixes = []string{"Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "n", "u", "m", "k", "M", "G", "T", "P", "E"}

// ValidQuantity reports whether s is a non-negative Kubernetes quantity
// ("500m", "256Mi", "20Gi", "1.5", "1e3").
func ValidQuantity(s string) bool {
	n := decimal(s, true)
	if n == 0 {
		return false
	}
	rest := s[n:]
	if rest == "" || slices.Contains(quantitySuffixes, rest) {
		return true
	}
	if rest[0] != 'e' && rest[0] != 'E' {
		return false
	}
	rest = rest[1:]
	if rest != "" && (rest[0] == '+' || rest[0] == '-') {
		rest = rest[1:]
	}
	return rest != "" && strings.Trim(rest, "0123456789") == ""
}

// quantityFactors are the multipliers of the suffixes of a Kubernetes
// quantity.
var quantityFactors = map[string]float64{
	"": 1, "Ki": 1 << 10, "Mi": 1 << 20, "Gi": 1 << 30, "Ti": 1 << 40, "Pi": 1 << 50, "Ei": 1 << 60,
	"n": 1e-9, "u": 1e-6, "m": 1e-3, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18,
}

// QuantityValue is the value of a valid Kubernetes quantity ("2Ki" is
// 2048, "500m" 0.5, "1e3" 1000); 0 for an invalid one.
func QuantityValue(s string) float64 {
	if !ValidQuantity(s) {
		return 0
	}
	n := decimal(s, true)
	v, err := strconv.ParseFloat(s[:n], 64)
	if err != nil {
		return 0
	}
	rest := s[n:]
	if f, ok := quantityFactors[rest]; ok {
		return v * f
	}
	e, err := strconv.Atoi(strings.TrimPrefix(rest[1:], "+"))
	if err != nil {
		return 0
	}
	return v * math.Pow(10, float64(e))
}

func (dc *decoder) size(attr *hcl.Attribute) (string, bool) {
	v, ok := dc.eval(attr)
	if !ok {
		return "", false
	}
	if v.Type() == cty.Number {
		dc.errorf(attr.Expr.Range(), "Invalid size",
			"The value of %q is a Kubernetes quantity string with its unit, such as \"256Mi\", \"20Gi\" or, for cpu, \"500m\".", attr.Name)
		return "", false
	}
	s, ok := dc.str(attr)
	if !ok {
		return "", false
	}
	if !ValidQuantity(s) {
		dc.errorf(attr.Expr.Range(), "Invalid size",
			"%q is not a Kubernetes quantity: write a number with an optional suffix (Ki, Mi, Gi, Ti, m, k, M, G, T), such as \"256Mi\", \"20Gi\" or, for cpu, \"500m\".", s)
		return "", false
	}
	return s, true
}

// literalStrings reads a list written as literal strings without
// evaluating it (the usual zones = ["a", "b"]).
func literalStrings(expr hcl.Expression) ([]string, bool) {
	tup, ok := expr.(*hclsyntax.TupleConsExpr)
	if !ok {
		return nil, false
	}
	out := make([]string, len(tup.Exprs))
	for i, e := range tup.Exprs {
		v, ok := literal(e)
		if !ok || v.IsNull() || v.Type() != cty.String {
			return nil, false
		}
		out[i] = v.AsString()
	}
	return out, true
}

// literalStringMap reads an object of literal keys and strings without
// evaluating it (labels = { team = "x" }).
func literalStringMap(expr hcl.Expression) (map[string]string, bool) {
	obj, ok := expr.(*hclsyntax.ObjectConsExpr)
	if !ok {
		return nil, false
	}
	out := make(map[string]string, len(obj.Items))
	for _, item := range obj.Items {
		kx, ok := item.KeyExpr.(*hclsyntax.ObjectConsKeyExpr)
		if !ok || kx.ForceNonLiteral {
			return nil, false
		}
		key := hcl.ExprAsKeyword(kx.Wrapped)
		if key == "" {
			kv, ok := literal(kx.Wrapped)
			if !ok || kv.IsNull() || kv.Type() != cty.String {
				return nil, false
			}
			key = kv.AsString()
		}
		v, ok := literal(item.ValueExpr)
		if !ok || v.IsNull() || v.Type() != cty.String {
			return nil, false
		}
		if _, dup := out[key]; dup {
			return nil, false // let evaluation report it
		}
		out[key] = v.AsString()
	}
	return out, true
}

// enumList reads a list of strings each of which must be one of allowed,
// without repeats.
func (dc *decoder) enumList(attr *hcl.Attribute, allowed []string) ([]string, bool) {
	vs, ok := dc.strList(attr)
	if !ok {
		return nil, false
	}
	seen := map[string]bool{}
	for _, s := range vs {
		if !slices.Contains(allowed, s) {
			dc.errorf(attr.Expr.Range(), "Invalid value for "+attr.Name,
				"%q is not a valid %s.%s The allowed values are %s.", s, attr.Name, didyoumean.Suffix(s, allowed), quoteList(allowed))
			return nil, false
		}
		if seen[s] {
			dc.errorf(attr.Expr.Range(), "Duplicate value in "+attr.Name, "%q is listed twice.", s)
			return nil, false
		}
		seen[s] = true
	}
	return vs, true
}

func (dc *decoder) strList(attr *hcl.Attribute) ([]string, bool) {
	if out, ok := literalStrings(attr.Expr); ok {
		for _, e := range out {
			if !dc.printable(attr, e) {
				return nil, false
			}
		}
		return out, true
	}
	v, ok := dc.typed(attr, cty.List(cty.String))
	if !ok {
		return nil, false
	}
	out := make([]string, 0, v.LengthInt())
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if e.IsNull() {
			dc.errorf(attr.Expr.Range(), "Invalid value", "The elements of %q must not be null.", attr.Name)
			return nil, false
		}
		if !dc.printable(attr, e.AsString()) {
			return nil, false
		}
		out = append(out, e.AsString())
	}
	return out, true
}

func (dc *decoder) intList(attr *hcl.Attribute, min, max int) ([]int, bool) {
	v, ok := dc.typed(attr, cty.List(cty.Number))
	if !ok {
		return nil, false
	}
	out := make([]int, 0, v.LengthInt())
	ranges := elementRanges(attr, v.LengthInt())
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if e.IsNull() {
			dc.errorf(attr.Expr.Range(), "Invalid value", "The elements of %q must not be null.", attr.Name)
			return nil, false
		}
		i, ok := dc.wholeNumber(attr.Name, ranges[len(out)], e.AsBigFloat(), min, max)
		if !ok {
			return nil, false
		}
		out = append(out, i)
	}
	return out, true
}

func (dc *decoder) strMap(attr *hcl.Attribute) (map[string]string, bool) {
	if out, ok := literalStringMap(attr.Expr); ok {
		for k, v := range out {
			if !dc.printable(attr, k) || !dc.printable(attr, v) {
				return nil, false
			}
		}
		return out, true
	}
	v, ok := dc.typed(attr, cty.Map(cty.String))
	if !ok {
		return nil, false
	}
	out := make(map[string]string, v.LengthInt())
	for it := v.ElementIterator(); it.Next(); {
		k, e := it.Element()
		if e.IsNull() {
			dc.errorf(attr.Expr.Range(), "Invalid value", "The value of %q for key %q must not be null.", attr.Name, k.AsString())
			return nil, false
		}
		if !dc.printable(attr, k.AsString()) || !dc.printable(attr, e.AsString()) {
			return nil, false
		}
		out[k.AsString()] = e.AsString()
	}
	return out, true
}

// mapValueRange returns the range of the value written for key in a map
// attribute, or the whole expression's range.
func mapValueRange(attr *hcl.Attribute, key string) hcl.Range {
	pairs, diags := hcl.ExprMap(attr.Expr)
	if !diags.HasErrors() {
		for _, p := range pairs {
			if k, d := p.Key.Value(nil); !d.HasErrors() && k.Type() == cty.String && k.IsKnown() && !k.IsNull() && k.AsString() == key {
				return p.Value.Range()
			}
		}
	}
	return attr.Expr.Range()
}

// lookupVariable finds a root variable in ctx or its parents.
func lookupVariable(ctx *hcl.EvalContext, name string) cty.Value {
	for ; ctx != nil; ctx = ctx.Parent() {
		if v, ok := ctx.Variables[name]; ok {
			return v
		}
	}
	return cty.NilVal
}

// explainUndeclared replaces HCL's generic messages for a reference to an
// undeclared variable or local value, or to a component outside a reference
// attribute, with Terraform's more precise ones.
func (dc *decoder) explainUndeclared(ctx *hcl.EvalContext, expr hcl.Expression, diags hcl.Diagnostics) hcl.Diagnostics {
	replaced := map[int]bool{}
	var extra hcl.Diagnostics
	for _, t := range expr.Variables() {
		root := t.RootName()
		rng := t.SourceRange()
		var msg *hcl.Diagnostic
		switch {
		case (root == "var" || root == "local") && len(t) >= 2:
			step, ok := t[1].(hcl.TraverseAttr)
			if !ok {
				continue
			}
			obj := lookupVariable(ctx, root)
			if obj.Type().IsObjectType() && obj.Type().HasAttribute(step.Name) {
				continue
			}
			var names []string
			if obj.Type().IsObjectType() {
				names = sortedKeys(obj.Type().AttributeTypes())
			}
			if root == "var" {
				msg = &hcl.Diagnostic{Summary: "Reference to undeclared variable",
					Detail: fmt.Sprintf("No variable named %q is declared.%s Declare it with variable %q { default = ... }.", step.Name, didyoumean.Suffix(step.Name, names), step.Name)}
			} else {
				msg = &hcl.Diagnostic{Summary: "Reference to undeclared local value",
					Detail: fmt.Sprintf("No local value named %q is defined.%s", step.Name, didyoumean.Suffix(step.Name, names))}
			}
		case Kind(root).valid():
			msg = &hcl.Diagnostic{Summary: "Component reference in a value",
				Detail: fmt.Sprintf("%s refers to a component; such references are written only in to, fallback, origin, dead_letter, from and entry.", traversalString(t))}
		default:
			continue
		}
		msg.Severity, msg.Subject = hcl.DiagError, &rng
		for i, d := range diags {
			if d.Subject != nil && d.Subject.Overlaps(rng) {
				replaced[i] = true
			}
		}
		extra = append(extra, msg)
	}
	if len(extra) == 0 {
		return diags
	}
	var out hcl.Diagnostics
	for i, d := range diags {
		if !replaced[i] {
			out = append(out, d)
		}
	}
	return append(out, extra...)
}

// ref is a reference to a component, KIND.NAME, waiting to be resolved once
// every component is known.
type ref struct {
	Kind  Kind
	Name  string
	Range hcl.Range
	Attr  string
}

func (r ref) addr() string { return string(r.Kind) + "." + r.Name }

// reference reads an attribute that must be a traversal KIND.NAME.
func (dc *decoder) reference(attr *hcl.Attribute) (ref, bool) {
	trav, diags := hcl.AbsTraversalForExpr(attr.Expr)
	if diags.HasErrors() {
		// A quoted reference is the usual mistake: say so.
		if v, vd := attr.Expr.Value(nil); !vd.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
			dc.errorf(attr.Expr.Range(), "Invalid reference",
				"The value of %q must be a reference KIND.NAME without quotes, such as %s = %s.", attr.Name, attr.Name, unquoteRefHint(v.AsString()))
			return ref{}, false
		}
		dc.errorf(attr.Expr.Range(), "Invalid reference",
			"The value of %q must be a reference to a component, KIND.NAME, such as %s = service.api.", attr.Name, attr.Name)
		return ref{}, false
	}
	return dc.traversalRef(attr.Name, trav)
}

func unquoteRefHint(s string) string {
	if strings.Count(s, ".") == 1 && !strings.ContainsAny(s, " \t\n\"") {
		return s
	}
	return "service.api"
}

func (dc *decoder) traversalRef(name string, trav hcl.Traversal) (ref, bool) {
	rng := trav.SourceRange()
	root := trav.RootName()
	kind := Kind(root)
	if !kind.valid() {
		dc.errorf(trav[0].SourceRange(), "Invalid reference",
			"%q is not a component kind.%s The value of %q must be a reference KIND.NAME, where KIND is one of %s.",
			root, didyoumean.Suffix(root, kindNames()), name, strings.Join(kindNames(), ", "))
		return ref{}, false
	}
	if len(trav) != 2 {
		dc.errorf(rng, "Invalid reference",
			"The value of %q must be a reference KIND.NAME with exactly two parts, such as %s.api.", name, root)
		return ref{}, false
	}
	step, ok := trav[1].(hcl.TraverseAttr)
	if !ok {
		dc.errorf(rng, "Invalid reference",
			"The value of %q must be a reference KIND.NAME, such as %s.api; index brackets are not allowed.", name, root)
		return ref{}, false
	}
	return ref{Kind: kind, Name: step.Name, Range: rng, Attr: name}, true
}

func (k Kind) valid() bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

func kindNames() []string {
	out := make([]string, len(Kinds))
	for i, k := range Kinds {
		out[i] = string(k)
	}
	return out
}

func quoteList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = strconv.Quote(x)
	}
	if len(q) <= 1 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}

func fmtNum(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// sortedKeys returns a map's keys in lexical order.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
