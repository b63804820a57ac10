package retryamplification

import "github.com/archform/archform/lang"

// Chains returns the worst-case retry amplification at every component of
// d, by address.
func Chains(d *lang.Design) map[string]float64 {
	a := &amplifier{d: d, best: map[*lang.Component]chain{}, state: map[*lang.Component]int{}}
	out := map[string]float64{}
	for _, c := range d.Components {
		out[c.Addr] = a.of(c).amp
	}
	return out
}
