package confusable

import (
	"slices"
	"testing"
)

func TestSkeleton(t *testing.T) {
	for _, c := range []struct {
		x, y string
		want bool
	}{
		{"аpi", "api", true},       // Cyrillic а
		{"payраl", "paypal", true}, // Cyrillic р, а
		{"rn", "m", true},          // TR39 maps "rn" to "m"
		{"0rders", "Orders", true},
		{"api", "apl", false},
		{"api", "api", false}, // the same string is not "confusable"
		{"orders", "order", false},
	} {
		if got := Confusable(c.x, c.y); got != c.want {
			t.Errorf("Confusable(%q, %q) = %v, want %v (skeletons %q, %q)", c.x, c.y, got, c.want, Skeleton(c.x), Skeleton(c.y))
		}
	}
}

func TestMixedScript(t *testing.T) {
	for s, want := range map[string]bool{"аpi": true, "api": false, "заказы": false, "api-заказы": true, "注文-api": false, "api_2": false} {
		if _, got := MixedScript(s); got != want {
			t.Errorf("MixedScript(%q) = %v, want %v (scripts %v)", s, got, want, Scripts(s))
		}
	}
	if got := Scripts("аpi"); !slices.Equal(got, []string{"Cyrillic", "Latin"}) {
		t.Errorf("Scripts(аpi) = %v", got)
	}
}
