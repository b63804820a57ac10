package analyze

import "github.com/hashicorp/hcl/v2"

// Config is a lint configuration: which rules run, at what severity, with
// which parameters, and the severity from which lint fails. A nil *Config is
// the default configuration (DefaultConfig): every rule enabled at its
// default severity, failing on errors.
type Config struct {
	// Path is the file the configuration came from ("" for the defaults).
	Path string
	// RequiredVersion is the archform block's required_version, as written.
	RequiredVersion string
	// FailOn is the lowest severity that fails lint (SeverityNone: nothing
	// fails). DefaultConfig and ParseConfig start it at Error; SetFailOn
	// changes it and records where the value came from.
	FailOn Severity
	// FailOnOrigin is where FailOn came from when not the file or default
	// ("--fail-on").
	FailOnOrigin string
	// Rules holds each rule block by rule ID.
	Rules map[string]*RuleConfig
	// Ranges records where the archform and defaults attributes were written
	// ("archform.required_version", "defaults.fail_on").
	Ranges map[string]hcl.Range
}

// RuleConfig is one `rule "ID" { }` block.
type RuleConfig struct {
	ID       string
	Enabled  *bool     // nil: the default (enabled)
	Severity *Severity // nil: the rule's default
	Params   map[string]float64
	// Ranges records where each attribute was written, by name; "" is the
	// block's header.
	Ranges map[string]hcl.Range
}

// DefaultConfig returns the default configuration.
func DefaultConfig() *Config { return &Config{FailOn: Error} }

// Rule returns the rule block of id (nil when none).
func (c *Config) Rule(id string) *RuleConfig {
	if c == nil {
		return nil
	}
	return c.Rules[id]
}

// Enabled reports whether the rule runs.
func (c *Config) Enabled(id string) bool {
	if rc := c.Rule(id); rc != nil && rc.Enabled != nil {
		return *rc.Enabled
	}
	return true
}

// Severity returns the severity of a's findings: the configured override, or
// a's default.
func (c *Config) Severity(a *Analyzer) Severity {
	if rc := c.Rule(a.ID); rc != nil && rc.Severity != nil {
		return *rc.Severity
	}
	return a.Severity
}

// Params returns the configured parameters of a rule (nil when none).
func (c *Config) Params(id string) map[string]float64 {
	if rc := c.Rule(id); rc != nil {
		return rc.Params
	}
	return nil
}

// FailOnSeverity returns the lowest severity that fails lint.
func (c *Config) FailOnSeverity() Severity {
	if c == nil {
		return Error
	}
	return c.FailOn
}

// SetFailOn overrides fail_on (for a command-line flag); origin names the
// source for ShowConfig ("--fail-on").
func (c *Config) SetFailOn(s Severity, origin string) {
	c.FailOn, c.FailOnOrigin = s, origin
}
