package distributions_test

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/layers"
	"github.com/stretchr/testify/require"
)

func TestBlockMask(t *testing.T) {
	for d, want := range map[int]string{1: "block:1", 2: "block:1,1", 3: "block:2,1", 5: "block:3,2",
		6: "block:2,2,2", 8: "block:2,2,2,2", 9: "block:3,2,2,2", 63: "block:16,16,16,15"} {
		require.Equal(t, want, distributions.BlockMask(d), "d=%d", d)
	}
}

func TestDefaultCandidates(t *testing.T) {
	base := distributions.Spec{Hidden: []int{8}, Between: "actnorm", Context: 2}
	names := func(cs []distributions.Candidate) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Name)
			require.Equal(t, base.Hidden, c.Spec.Hidden, c.Name)
			require.Equal(t, base.Between, c.Spec.Between, c.Name)
			require.Equal(t, base.Context, c.Spec.Context, c.Name)
		}
		return out
	}
	// from SelectRows rows on one model: the spline MAF-5 up to AutoMixtureDim columns, MAF-5 beyond
	require.Equal(t, []string{"nsf5"}, names(distributions.DefaultCandidates(9, distributions.SelectRows, base)))
	require.True(t, distributions.DefaultCandidates(distributions.AutoMixtureDim, distributions.SelectRows, base)[0].Spec.Transform.IsSpline())
	require.Equal(t, []string{"maf5"}, names(distributions.DefaultCandidates(distributions.AutoMixtureDim+1, distributions.SelectRows, base)))
	require.Equal(t, []string{"maf5", "maf10", "block", "nsf5"}, names(distributions.DefaultCandidates(9, distributions.SelectRows-1, base)))
	require.Equal(t, []string{"maf5", "maf10", "nsf5"}, names(distributions.DefaultCandidates(2, 100, base)))
	spline := base
	spline.Transform = layers.Spline(4, 2) // -transform spline: every candidate is a spline flow already
	require.Equal(t, []string{"maf5", "maf10", "block"}, names(distributions.DefaultCandidates(9, 100, spline)))
	require.Equal(t, []string{"maf5"}, names(distributions.DefaultCandidates(9, distributions.SelectRows, spline)))
	iaf := base
	iaf.Inverse = true // only candidates whose layers invert
	require.Equal(t, []string{"maf5", "maf10"}, names(distributions.DefaultCandidates(9, 100, iaf)))
	require.Equal(t, []string{"maf5"}, names(distributions.DefaultCandidates(9, distributions.SelectRows, iaf)))
	for _, c := range distributions.DefaultCandidates(9, 100, iaf) {
		_, err := distributions.Build(9, c.Spec, rand.New(rand.NewSource(1)))
		require.NoError(t, err, c.Name)
	}
	nsf := distributions.DefaultCandidates(9, 100, base)[3]
	require.Equal(t, layers.Spline(layers.DefaultSplineBins, 0), nsf.Spec.Transform)
	for d := 1; d <= 12; d++ {
		for _, c := range distributions.DefaultCandidates(d, 100, base) {
			f, err := distributions.Build(d, c.Spec, rand.New(rand.NewSource(1)))
			require.NoError(t, err, "d=%d %s", d, c.Name)
			require.Equal(t, d, f.Dim())
		}
	}
}

// On fewer than SelectRows training rows, `flow fit` chooses between four models.
func ExampleDefaultCandidates() {
	for _, c := range distributions.DefaultCandidates(9, 824, distributions.Spec{}) {
		fmt.Println(c.Name, c.Spec.Layers, c.Spec.Mask, c.Spec.Transform)
	}
	// Output:
	// maf5 5 made affine
	// maf10 10 made affine
	// block 5 block:3,2,2,2 affine
	// nsf5 5 made spline:8,3
}

// The automatic base switches at SelectRows, the same boundary as the selection: a Student-t base
// below it, MADE MoG from it on up to AutoMixtureDim columns, N(0, I) beyond.
func TestAutoBase(t *testing.T) {
	for _, c := range []struct {
		n, d int
		want string
	}{
		{1, 3, "distributions.StudentT"}, {distributions.SelectRows - 1, 3, "distributions.StudentT"},
		{distributions.SelectRows, 3, "*distributions.MADEMixture"},
		{distributions.SelectRows, distributions.AutoMixtureDim, "*distributions.MADEMixture"},
		{distributions.SelectRows, distributions.AutoMixtureDim + 1, "distributions.StandardNormal"},
		{distributions.SelectRows - 1, 40, "distributions.StudentT"},
	} {
		nu, k := distributions.AutoBase(c.n, c.d)
		f, err := distributions.Build(c.d, distributions.Spec{Layers: 1, Hidden: []int{4}, StudentT: nu, Mixture: k, MixtureMADE: k > 0}, rand.New(rand.NewSource(1)))
		require.NoError(t, err, "n=%d d=%d", c.n, c.d)
		require.Equal(t, c.want, fmt.Sprintf("%T", f.Base), "n=%d d=%d", c.n, c.d)
		if m, ok := f.Base.(*distributions.MADEMixture); ok {
			require.Equal(t, distributions.DefaultMixture, m.K)
		}
	}
}
