// Package recipe is what `flow fit` does, as a library: the defaults that turn a table of rows
// into a fitted flow (Fit), and the plan they make for a data set (Options.Plan).
//
// The recipe, for n training rows of width D (Options' zero value, `flow fit` with no flags):
//   - the training mean and standard deviation become the flow's first, frozen layer
//     (layers.StandardizeFrom; its log-det is counted, so NLLs stay in the data's units);
//   - every conditioner has distributions.DefaultHidden(D) units (128×2 up to D = 16, 512×2
//     beyond);
//   - below distributions.SelectRows (10,000) rows, MAF-5, MAF-10, five block-triangular layers
//     and the spline MAF-5 are fitted alike and the best on the validation split is kept
//     (distributions.DefaultCandidates, trainer.Select); from 10,000 rows on one model: the
//     spline MAF-5 up to 16 columns (distributions.AutoMixtureDim), MAF-5 beyond;
//   - the base is a Student-t of ν = 10 below 10,000 rows; from there on MADE MoG with 10
//     components up to 16 columns and N(0, I) beyond (distributions.AutoBase);
//   - Adam at lr 1e-3 on batches of 256 for at most trainer.AutoEpochs(n, 256) epochs (40,000
//     steps, at most 2,000 epochs), stopping early after trainer.AutoPatience(n, 256) epochs
//     without a better validation NLL (30, or fewer on large data).
//
// Every rule can be overridden in Options, field by field; each field names its `flow fit` flag.
// Rows are data units in, a flow from data to noise out; NLLs are nats per row.
package recipe
