package emit

import (
	"github.com/archform/archform/analyze"
	"github.com/archform/archform/emit/rule"
	"github.com/archform/archform/lang"
)

var (
	composeRuleID    = rule.Compose.ID
	kubernetesRuleID = rule.Kubernetes.ID
)

// ComposeRule is the emit-compose rule (rule.Compose) with a Run that emits
// Compose and reports what it could not express.
var ComposeRule = withRun(rule.Compose, Compose)

// KubernetesRule is the emit-kubernetes rule (rule.Kubernetes) with a Run
// that emits Kubernetes and reports what it could not express.
var KubernetesRule = withRun(rule.Kubernetes, Kubernetes)

// Rules lists the emit-* rules. Lint does not run them; emit and build
// report their findings.
var Rules = []*analyze.Analyzer{ComposeRule, KubernetesRule}

func withRun(a *analyze.Analyzer, emitter func(*lang.Design, Options) (*Result, error)) *analyze.Analyzer {
	r := *a
	r.Run = func(pass *analyze.Pass) error { return reportFrom(pass, emitter) }
	return &r
}

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
	a := *ComposeRule
	if r.Target == TargetKubernetes {
		a = *KubernetesRule
	}
	a.Run = func(pass *analyze.Pass) error {
		for _, f := range r.Findings {
			pass.Report(f)
		}
		return nil
	}
	return &a
}
