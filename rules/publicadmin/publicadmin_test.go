package publicadmin_test

import (
	"testing"

	"github.com/archform/archform/analyze/analysistest"
	"github.com/archform/archform/rules/publicadmin"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), publicadmin.Analyzer)
}
