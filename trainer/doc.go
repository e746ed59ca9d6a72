// Package trainer fits a density model by maximum likelihood with gorgonia's symbolic gradients
// and TapeMachine, and a hand-written Adam step (so that learning-rate schedules, decoupled weight
// decay and gradient-norm clipping work; gorgonia's AdamW does not update weights).
//
// Shapes and units: data are N×D gonum matrices, rows are samples. The loss is the mean negative
// log-likelihood per row in nats (plus any penalty the model adds). Validation NLL is the mean over
// all validation rows, computed on separate forward-only graphs bound to the same weight memory.
//
// Determinism: with the same Settings.Seed, data and initial weights, Fit performs the same
// arithmetic in the same order and returns the same weights, bit for bit. Minibatches are drawn by
// shuffling with a source seeded from (Seed, epoch), so a run resumed from a checkpoint continues
// exactly as the uninterrupted run would.
//
// Interruption: FitContext and SelectContext check their context before every optimizer step. A
// cancelled fit stops there, writes its checkpoint of that step (if it has one), restores the best
// weights so far and returns an error wrapping ErrInterrupted, so that a caller (the flow tool on
// Ctrl-C) can save the best model; resuming continues the run bit for bit.
//
// Model selection: Select fits several candidate models with the same settings and keeps the one
// with the lowest best validation NLL (what `flow fit` does by default on small data).
package trainer
