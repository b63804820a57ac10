package cacheinvalidation_test

import (
	"testing"

	"github.com/archform/archform/analyze/analysistest"
	"github.com/archform/archform/rules/cacheinvalidation"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), cacheinvalidation.Analyzer)
}
