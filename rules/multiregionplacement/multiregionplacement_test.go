package multiregionplacement_test

import (
	"testing"

	"github.com/archform/archform/analyze/analysistest"
	"github.com/archform/archform/rules/multiregionplacement"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), multiregionplacement.Analyzer)
}
