// Package targets holds unnormalized densities p̃ on R^D to fit flows to by reverse KL
// (trainer.FitVariational, `flow fit -target NAME`): the four 2-D energies U1–U4 of Rezende &
// Mohamed (2015, Table 1), a banana, Neal's funnel (D = 10) and a ring of eight Gaussians.
//
// Each log-density is written once, over a small algebra of column operations, and evaluated two
// ways: as gorgonia nodes (LogDensity, for training; rows N×D in, one value per row out) and
// numerically (LogDensities, for grids and tests). Where they are known a target also has exact
// samples (Sample) and its log-normalizer log Z = log ∫ p̃ (LogZ); for the energies, GridLogZ
// integrates p̃ on a grid. Densities are in nats, points in the units of the formulas.
package targets
