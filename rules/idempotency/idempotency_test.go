package idempotency_test

import (
	"testing"

	"github.com/archform/archform/analyze/analysistest"
	"github.com/archform/archform/rules/idempotency"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), idempotency.Analyzer)
}
