package dataprotection_test

import (
	"testing"

	"github.com/archform/archform/analyze/analysistest"
	"github.com/archform/archform/rules/dataprotection"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), dataprotection.Analyzer)
}
