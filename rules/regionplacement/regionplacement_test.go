package regionplacement_test

import (
	"testing"

	"github.com/archform/archform/analyze/analysistest"
	"github.com/archform/archform/rules/regionplacement"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), regionplacement.Analyzer)
}
