package durability_test

import (
	"testing"

	"github.com/archform/archform/analyze/analysistest"
	"github.com/archform/archform/rules/durability"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), durability.Analyzer)
}
