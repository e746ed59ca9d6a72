package main

import (
	"flag"
	"math/rand"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/recipe"
	"github.com/affineflow/flow/trainer"
	"gonum.org/v1/gonum/mat"
)

// softFlags are the flags of learnable soft masks (-mask soft, made-soft): the sparsity penalty,
// hardening after training and fine-tuning with the hard masks (recipe.Options).
type softFlags struct {
	sparsity float64
	harden   float64
	topK     int
	epochs   int // fine-tuning epochs
}

func (s *softFlags) register(fs *flag.FlagSet) {
	fs.Float64Var(&s.sparsity, "sparsity", trainer.DefaultSparsity, "λ of the soft-mask sparsity penalty λ·Σ M (nats per row per open entry); 0: none")
	fs.Float64Var(&s.harden, "harden", 0, "after training, harden soft masks: keep entries >= this threshold, then fine-tune; 0: keep them soft")
	fs.IntVar(&s.topK, "harden-topk", 0, "after training, harden soft injection masks to the K largest entries of each row, then fine-tune; 0: off")
	fs.IntVar(&s.epochs, "finetune-epochs", recipe.DefaultFinetuneEpochs, "epochs of fine-tuning with the hardened masks")
}

// apply checks the flags (hardening needs a soft mask kind) and sets them in o.
func (s softFlags) apply(o *recipe.Options, mask string) error {
	switch {
	case !(s.sparsity >= 0):
		return usagef("-sparsity %g: want >= 0", s.sparsity)
	case !(s.harden >= 0 && s.harden <= 1):
		return usagef("-harden %g: want a threshold in (0, 1], or 0 for none", s.harden)
	case s.topK < 0:
		return usagef("-harden-topk %d: want >= 0", s.topK)
	case s.harden > 0 && s.topK > 0:
		return usagef("-harden and -harden-topk exclude each other")
	case s.epochs < 0:
		return usagef("-finetune-epochs %d: want >= 0", s.epochs)
	}
	if s.harden > 0 || s.topK > 0 {
		// a one-layer flow of the kind tells whether it has soft masks (kinds that cannot be
		// built at this width are left to the real build)
		f, err := distributions.Build(3, distributions.Spec{Layers: 1, Mask: mask, Hidden: []int{1}}, rand.New(rand.NewSource(1)))
		if err == nil && len(f.SoftLayers()) == 0 {
			return usagef("-harden/-harden-topk: -mask %s has no soft masks (use soft or made-soft)", mask)
		}
	}
	o.Train.Sparsity = s.sparsity
	if s.sparsity == 0 {
		o.Train.Sparsity = -1 // the Settings' "none"
	}
	o.Harden, o.HardenTopK, o.FinetuneEpochs = s.harden, s.topK, s.epochs
	if s.epochs == 0 {
		o.FinetuneEpochs = -1 // the Options' "none"
	}
	return nil
}

// madeDependency is what inspect draws for a MADE layer: the allowed dependencies, or for a
// layer with soft gates the normalized path strength (layers.AffineInjection.Strength).
func madeDependency(l *layers.AffineInjection) *mat.Dense {
	if l.Soft() {
		return l.Strength()
	}
	return l.Dependency()
}
