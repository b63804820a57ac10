package zoneauth_test

import (
	"testing"

	"github.com/archform/archform/analyze/analysistest"
	"github.com/archform/archform/rules/zoneauth"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), zoneauth.Analyzer)
}
