package cli

import (
	"bytes"
	"os"
	"testing"
)

func TestInitExampleIsTheShop(t *testing.T) {
	shop, err := os.ReadFile("../../../testdata/shop/shop.arch.hcl")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(shop, shopExample) {
		t.Fatal("cmd/internal/cli/shop.arch.hcl differs from testdata/shop/shop.arch.hcl: copy it over")
	}
}
