package publicauth_test

import (
	"testing"

	"github.com/archform/archform/analyze/analysistest"
	"github.com/archform/archform/rules/publicauth"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), publicauth.Analyzer)
}
