package plainsecret_test

import (
	"testing"

	"github.com/archform/archform/analyze/analysistest"
	"github.com/archform/archform/rules/plainsecret"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), plainsecret.Analyzer)
}
