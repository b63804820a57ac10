// Package config is lint's configuration file, .archform.hcl: finding it
// next to the design or above it, decoding it into the analyze.Config the
// engine reads (rules enabled, severities, parameters, fail_on), checking
// its required_version, and --show-config. It is part of the lint driver.
package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/internal/didyoumean"
	"github.com/archform/archform/lang"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// Version is archform's version, checked against a configuration file's
// archform { required_version = "..." } and reported as the SARIF tool version.
const Version = "1.0.0"

// FileName is the name Find looks for.
const FileName = ".archform.hcl"

// Find looks for .archform.hcl next to the design (in the design
// directory, or a design file's directory) and then in each parent directory,
// stopping after the repository root (a directory holding .git) or at the
// filesystem root. It returns "" and no error when there is none.
func Find(designPath string) (string, error) {
	abs, err := filepath.Abs(designPath)
	if err != nil {
		return "", err
	}
	dir := abs
	if fi, err := os.Stat(abs); err != nil {
		return "", err
	} else if !fi.IsDir() {
		dir = filepath.Dir(abs)
	}
	for {
		p := filepath.Join(dir, FileName)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p, nil
		} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
			return "", nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", nil
		}
		dir = parent
	}
}

// Load reads and checks a configuration file against the suite (the
// rules it may configure; the suppression rule is always known). Every
// problem is a diagnostic with its range; the Config is nil when any is an
// error.
func Load(path string, suite []*analyze.Analyzer) (*analyze.Config, hcl.Diagnostics) {
	src, err := lang.ReadInput(path, lang.MaxFileSize)
	if err != nil {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Cannot read configuration file",
			Detail:   err.Error(),
		}}
	}
	return Parse(src, path, suite)
}

var configSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "archform"},
		{Type: "defaults"},
		{Type: "rule", LabelNames: []string{"id"}},
	},
}

var archformBlockSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "required_version"}},
}

var defaultsBlockSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "fail_on"}},
}

// Parse decodes configuration source; filename names it in ranges.
func Parse(src []byte, filename string, suite []*analyze.Analyzer) (*analyze.Config, hcl.Diagnostics) {
	f, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, diags
	}
	cfg := &analyze.Config{Path: filename, FailOn: analyze.Error, Rules: map[string]*analyze.RuleConfig{}, Ranges: map[string]hcl.Range{}}
	content, more := f.Body.Content(configSchema)
	diags = append(diags, more...)
	seen := map[string]hcl.Range{}
	for _, b := range content.Blocks {
		key := b.Type
		if b.Type == "rule" {
			key = "rule." + b.Labels[0]
		}
		if prev, ok := seen[key]; ok {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Duplicate " + b.Type + " block",
				Detail:   fmt.Sprintf("This configuration already has this block at %s.", prev),
				Subject:  b.DefRange.Ptr(),
			})
			continue
		}
		seen[key] = b.DefRange
		switch b.Type {
		case "archform":
			diags = append(diags, decodeArchform(cfg, b)...)
		case "defaults":
			diags = append(diags, decodeDefaults(cfg, b)...)
		case "rule":
			diags = append(diags, decodeRule(cfg, b, suite)...)
		}
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return cfg, diags
}

func decodeArchform(cfg *analyze.Config, b *hcl.Block) hcl.Diagnostics {
	content, diags := b.Body.Content(archformBlockSchema)
	attr, ok := content.Attributes["required_version"]
	if !ok {
		return diags
	}
	s, more := stringAttr(attr)
	diags = append(diags, more...)
	if more.HasErrors() {
		return diags
	}
	cons, err := parseConstraints(s)
	if err != nil {
		return append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid required_version",
			Detail:   err.Error() + `. Write a constraint such as ">= 1.0" or "~> 1.2, != 1.3.1".`,
			Subject:  attr.Expr.Range().Ptr(),
		})
	}
	cfg.RequiredVersion = s
	cfg.Ranges["archform.required_version"] = attr.Range
	if !cons.allow(mustParseVersion(Version)) {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Unsupported archform version",
			Detail:   fmt.Sprintf("This configuration requires archform %s; this is archform %s.", s, Version),
			Subject:  attr.Expr.Range().Ptr(),
		})
	}
	return diags
}

func decodeDefaults(cfg *analyze.Config, b *hcl.Block) hcl.Diagnostics {
	content, diags := b.Body.Content(defaultsBlockSchema)
	if attr, ok := content.Attributes["fail_on"]; ok {
		s, more := stringAttr(attr)
		diags = append(diags, more...)
		if !more.HasErrors() {
			sev, err := analyze.ParseSeverity(s)
			if err != nil {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid fail_on",
					Detail:   err.Error() + ".",
					Subject:  attr.Expr.Range().Ptr(),
				})
			} else {
				cfg.FailOn = sev
				cfg.Ranges["defaults.fail_on"] = attr.Range
			}
		}
	}
	return diags
}

func decodeRule(cfg *analyze.Config, b *hcl.Block, suite []*analyze.Analyzer) hcl.Diagnostics {
	id := b.Labels[0]
	a := findAnalyzer(suite, id)
	if a == nil {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Unknown rule",
			Detail:   fmt.Sprintf("There is no rule %q.%s Run 'archform rules' for the list.", id, didyoumean.Suffix(id, ruleIDs(suite))),
			Subject:  b.LabelRanges[0].Ptr(),
		}}
	}
	attrs, diags := b.Body.JustAttributes()
	rc := &analyze.RuleConfig{ID: id, Params: map[string]float64{}, Ranges: map[string]hcl.Range{"": b.DefRange}}
	names := make([]string, 0, len(attrs))
	for n := range attrs {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		return attrs[names[i]].Range.Start.Byte < attrs[names[j]].Range.Start.Byte
	})
	for _, name := range names {
		attr := attrs[name]
		switch name {
		case "enabled":
			v, more := attrValue(attr, cty.Bool)
			diags = append(diags, more...)
			if !more.HasErrors() {
				on := v.True()
				rc.Enabled = &on
				rc.Ranges[name] = attr.Range
			}
		case "severity":
			s, more := stringAttr(attr)
			diags = append(diags, more...)
			if more.HasErrors() {
				continue
			}
			sev, err := analyze.ParseSeverity(s)
			if err != nil || sev == analyze.SeverityNone {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid severity",
					Detail:   fmt.Sprintf("Severity %q is not one of error, warning or info (disable a rule with enabled = false).", s),
					Subject:  attr.Expr.Range().Ptr(),
				})
				continue
			}
			rc.Severity = &sev
			rc.Ranges[name] = attr.Range
		default:
			param := findParam(a, name)
			if param == nil {
				known := []string{"enabled", "severity"}
				for _, p := range a.Params {
					known = append(known, p.Name)
				}
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Unsupported argument",
					Detail:   fmt.Sprintf("Rule %q has no setting %q.%s It takes: %s.", id, name, didyoumean.Suffix(name, known), strings.Join(known, ", ")),
					Subject:  attr.NameRange.Ptr(),
				})
				continue
			}
			v, more := attrValue(attr, cty.Number)
			diags = append(diags, more...)
			if more.HasErrors() {
				continue
			}
			f, _ := v.AsBigFloat().Float64()
			if math.IsNaN(f) || math.IsInf(f, 0) {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid rule parameter",
					Detail:   fmt.Sprintf("%s must be a finite number.", name),
					Subject:  attr.Expr.Range().Ptr(),
				})
				continue
			}
			if (param.Min != 0 || param.Max != 0) && (f < param.Min || f > param.Max) {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid rule parameter",
					Detail:   fmt.Sprintf("%s must be between %g and %g; got %g.", name, param.Min, param.Max, f),
					Subject:  attr.Expr.Range().Ptr(),
				})
				continue
			}
			rc.Params[name] = f
			rc.Ranges[name] = attr.Range
		}
	}
	cfg.Rules[id] = rc
	return diags
}

func findParam(a *analyze.Analyzer, name string) *analyze.Param {
	for i := range a.Params {
		if a.Params[i].Name == name {
			return &a.Params[i]
		}
	}
	return nil
}

// attrValue evaluates a constant attribute and converts it to want.
func attrValue(attr *hcl.Attribute, want cty.Type) (cty.Value, hcl.Diagnostics) {
	v, diags := attr.Expr.Value(nil)
	if diags.HasErrors() {
		return cty.NilVal, diags
	}
	if !v.IsKnown() || v.IsNull() {
		return cty.NilVal, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid value",
			Detail:   fmt.Sprintf("%s must be a %s.", attr.Name, want.FriendlyName()),
			Subject:  attr.Expr.Range().Ptr(),
		}}
	}
	if !v.Type().Equals(want) {
		return cty.NilVal, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid value",
			Detail:   fmt.Sprintf("%s must be a %s, not a %s.", attr.Name, want.FriendlyName(), v.Type().FriendlyName()),
			Subject:  attr.Expr.Range().Ptr(),
		}}
	}
	return v, nil
}

func stringAttr(attr *hcl.Attribute) (string, hcl.Diagnostics) {
	v, diags := attrValue(attr, cty.String)
	if diags.HasErrors() {
		return "", diags
	}
	return v.AsString(), nil
}

func findAnalyzer(suite []*analyze.Analyzer, id string) *analyze.Analyzer {
	if id == analyze.SuppressionAnalyzer.ID {
		return analyze.SuppressionAnalyzer
	}
	for _, a := range suite {
		if a.ID == id {
			return a
		}
	}
	return nil
}

func ruleIDs(suite []*analyze.Analyzer) []string {
	ids := []string{analyze.SuppressionAnalyzer.ID}
	for _, a := range suite {
		ids = append(ids, a.ID)
	}
	return ids
}

// Show writes the effective configuration for the suite as a valid
// configuration file, each value followed by where it came from ("default"
// or FILE:LINE).
func Show(w io.Writer, cfg *analyze.Config, suite []*analyze.Analyzer) error {
	if cfg == nil {
		cfg = analyze.DefaultConfig()
	}
	var ew strings.Builder
	if cfg.Path == "" {
		fmt.Fprintf(&ew, "# Effective configuration: defaults (no %s found)\n\n", FileName)
	} else {
		fmt.Fprintf(&ew, "# Effective configuration from %s\n\n", filepath.ToSlash(cfg.Path))
	}
	origin := func(r hcl.Range, ok bool) string {
		if !ok {
			return "default"
		}
		return fmt.Sprintf("%s:%d", filepath.ToSlash(r.Filename), r.Start.Line)
	}
	if cfg.RequiredVersion != "" {
		r, ok := cfg.Ranges["archform.required_version"]
		fmt.Fprintf(&ew, "archform {\n  required_version = %q # %s\n}\n\n", cfg.RequiredVersion, origin(r, ok))
	}
	r, ok := cfg.Ranges["defaults.fail_on"]
	failOrigin := origin(r, ok)
	if cfg.FailOnOrigin != "" {
		failOrigin = cfg.FailOnOrigin
	}
	fmt.Fprintf(&ew, "defaults {\n  fail_on = %q # %s\n}\n", cfg.FailOnSeverity(), failOrigin)
	all := append([]*analyze.Analyzer{analyze.SuppressionAnalyzer}, suite...)
	sort.SliceStable(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	for _, a := range all {
		rc := cfg.Rule(a.ID)
		get := func(name string) (hcl.Range, bool) {
			if rc == nil {
				return hcl.Range{}, false
			}
			r, ok := rc.Ranges[name]
			return r, ok
		}
		type line struct{ name, value, origin string }
		var lines []line
		r, ok := get("enabled")
		lines = append(lines, line{"enabled", fmt.Sprint(cfg.Enabled(a.ID)), origin(r, ok)})
		r, ok = get("severity")
		lines = append(lines, line{"severity", fmt.Sprintf("%q", cfg.Severity(a).String()), origin(r, ok)})
		for _, p := range a.Params {
			v := p.Default
			if pv, set := cfg.Params(a.ID)[p.Name]; set {
				v = pv
			}
			r, ok = get(p.Name)
			lines = append(lines, line{p.Name, formatNumber(v), origin(r, ok)})
		}
		nameW, valW := 0, 0
		for _, l := range lines {
			nameW = max(nameW, len(l.name))
			valW = max(valW, len(l.value))
		}
		fmt.Fprintf(&ew, "\nrule %q {\n", a.ID)
		for _, l := range lines {
			fmt.Fprintf(&ew, "  %-*s = %-*s # %s\n", nameW, l.name, valW, l.value, l.origin)
		}
		fmt.Fprintf(&ew, "}\n")
	}
	_, err := io.WriteString(w, ew.String())
	return err
}

func formatNumber(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
