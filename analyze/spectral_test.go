package analyze

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// TestDenseSpectralRadiusIsMatEigen: calling LAPACK's Geev directly gives
// bit for bit the spectral radius of gonum's mat.Eigen, which analyze used
// before (and no longer imports, for start-up's sake), on sparse nonnegative
// matrices like the transfer matrices of call cycles.
func TestDenseSpectralRadiusIsMatEigen(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 300 {
		n := 1 + rng.IntN(96)
		data := make([]float64, n*n)
		for i := range data {
			if rng.Float64() < 0.2 {
				data[i] = rng.Float64() * 2
			}
		}
		var e mat.Eigen
		want := math.Inf(1)
		if e.Factorize(mat.NewDense(n, n, append([]float64(nil), data...)), mat.EigenNone) {
			want = 0
			for _, v := range e.Values(nil) {
				want = math.Max(want, math.Hypot(real(v), imag(v)))
			}
		}
		got := denseSpectralRadius(blas64.General{Rows: n, Cols: n, Stride: n, Data: data})
		if math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("trial %d (%d×%d): %v, mat.Eigen gives %v", trial, n, n, got, want)
		}
	}
}
