package queuewiring_test

import (
	"testing"

	"github.com/archform/archform/analyze/analysistest"
	"github.com/archform/archform/rules/queuewiring"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), queuewiring.Analyzer)
}
