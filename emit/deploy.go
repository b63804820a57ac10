package emit

import (
	"github.com/archform/archform/lang"
	"github.com/compose-spec/compose-go/v2/types"
	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// rollingUpdate is a component's rolling update as Kubernetes reads it:
// max_unavailable and max_surge of its deploy block, or 0 and 1 (new
// instances start first) when it has none, or when its strategy is
// blue_green or canary (which neither target expresses: a finding says so).
func rollingUpdate(c *lang.Component) (maxUnavailable, maxSurge int) {
	if dp := c.Deploy; dp != nil && dp.Strategy == "rolling" {
		return dp.MaxUnavailable, dp.MaxSurge
	}
	return 0, 1
}

// deploymentStrategy is the Deployment's strategy: RollingUpdate with the
// design's max_unavailable and max_surge; Recreate when the update stops
// every instance and starts none beforehand (max_unavailable ≥ replicas,
// max_surge = 0), which is what Recreate does.
func deploymentStrategy(c *lang.Component, replicas int) appsv1.DeploymentStrategy {
	mu, surge := rollingUpdate(c)
	if c.Deploy != nil && mu >= replicas && surge == 0 {
		return appsv1.DeploymentStrategy{Type: appsv1.RecreateDeploymentStrategyType}
	}
	return appsv1.DeploymentStrategy{
		Type: appsv1.RollingUpdateDeploymentStrategyType,
		RollingUpdate: &appsv1.RollingUpdateDeployment{
			MaxUnavailable: ptr(intstr.FromInt32(int32(mu))), MaxSurge: ptr(intstr.FromInt32(int32(surge))),
		},
	}
}

// updateConfig is the Compose update_config of a component with a rolling
// deploy block: with max_unavailable = 0, start-first, max_surge
// containers at a time (new ones start before old ones stop); otherwise
// stop-first, max_unavailable at a time. nil without a deploy block.
func updateConfig(c *lang.Component) *types.UpdateConfig {
	if c.Deploy == nil || c.Deploy.Strategy != "rolling" {
		return nil
	}
	mu, surge := rollingUpdate(c)
	if mu == 0 {
		p := uint64(surge)
		return &types.UpdateConfig{Parallelism: &p, Order: "start-first"}
	}
	p := uint64(mu)
	return &types.UpdateConfig{Parallelism: &p, Order: "stop-first"}
}

// rolloutAttr is the attribute that sets c's strategy, for a finding's
// range: deploy.strategy or rollout.
func rolloutAttr(c *lang.Component) string {
	if c.Has("deploy.strategy") {
		return "deploy.strategy"
	}
	return "rollout"
}
