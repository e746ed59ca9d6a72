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
// Cores: the graph's large products run on GOMAXPROCS goroutines; a small model's are too small
// to split, and Settings.Shards (flow fit -shards) runs every batch as shares of rows, each through
// its own copy of the training graph on its own goroutine, the gradient their row-weighted mean in
// shard order. The result then depends on the number of shards (in the last bits), never on
// GOMAXPROCS.
//
// Interruption: FitContext and SelectContext check their context before every optimizer step. A
// cancelled fit stops there, writes its checkpoint of that step (if it has one), restores the best
// weights so far and returns an error wrapping ErrInterrupted, so that a caller (the flow tool on
// Ctrl-C) can save the best model; resuming continues the run bit for bit.
//
// Model selection: Select fits several candidate models with the same settings and keeps the one
// with the lowest best validation NLL (what `flow fit` does by default on small data).
//
// Variational fitting: FitVariational fits a Sampler (a flow that samples in a graph,
// distributions.Flow.SampleGraph) to an unnormalized log-density by reverse KL, maximizing the
// ELBO E_q[log p̃ − log q] on fresh base draws every epoch, with the same machinery (its "NLL"s are
// −ELBO; EpochStats.ESS is the effective sample size of the importance weights p̃/q). FitDraws
// fits by maximum likelihood to fresh draws of a sampler every epoch: forward KL to a model that
// can sample (distillation, `flow distill -redraw`).
package trainer
