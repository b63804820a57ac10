package render

import (
	"bytes"
	"testing"
)

func TestDOTFixture(t *testing.T) {
	in := fixture()
	var b bytes.Buffer
	if err := DOT(&b, in, Options{}); err != nil {
		t.Fatal(err)
	}
	t.Log(b.String())
}
