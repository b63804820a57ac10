package plaintext_test

import (
	"testing"

	"github.com/archform/archform/analyze/analysistest"
	"github.com/archform/archform/rules/plaintext"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), plaintext.Analyzer)
}
