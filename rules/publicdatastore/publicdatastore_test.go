package publicdatastore_test

import (
	"testing"

	"github.com/archform/archform/analyze/analysistest"
	"github.com/archform/archform/rules/publicdatastore"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), publicdatastore.Analyzer)
}
