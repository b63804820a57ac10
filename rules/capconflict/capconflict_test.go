package capconflict_test

import (
	"testing"

	"github.com/archform/archform/analyze/analysistest"
	"github.com/archform/archform/rules/capconflict"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), capconflict.Analyzer)
}
