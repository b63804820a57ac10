package emit

import (
	_ "embed"

	"github.com/archform/archform/analyze"
	"github.com/archform/archform/lang"
)

const (
	composeRuleID    = "emit-compose"
	kubernetesRuleID = "emit-kubernetes"
)

//go:embed emit-compose.md
var composeDoc string

//go:embed emit-kubernetes.md
var kubernetesDoc string

// Rules lists the emit-* rules, for `archform rules` and `archform explain`.
// Lint does not run them; emit and build report their findings.
var Rules = []*analyze.Analyzer{ComposeRule, KubernetesRule}

// reportFrom runs an emitter and reports its findings through the pass.
func reportFrom(pass *analyze.Pass, emitter func(*lang.Design, Options) (*Result, error)) error {
	r, err := emitter(pass.Design, Options{})
	if err != nil {
		return err
	}
	for _, f := range r.Findings {
		pass.Report(f)
	}
	return nil
}

// Analyzer returns the result's emit-* rule with a Run that reports the
// findings already found, so that the lint engine can apply the
// configuration's severities and the design's suppressions to them without
// emitting again.
func (r *Result) Analyzer() *analyze.Analyzer {
	rule := *ComposeRule
	if r.Target == TargetKubernetes {
		rule = *KubernetesRule
	}
	rule.Run = func(pass *analyze.Pass) error {
		for _, f := range r.Findings {
			pass.Report(f)
		}
		return nil
	}
	return &rule
}
