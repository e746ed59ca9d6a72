package main

import (
	"math"
	"math/rand"
	"strconv"
	"strings"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/recipe"
	"github.com/affineflow/flow/trainer"
)

// check validates the flags, before any data is read, and returns the recipe they describe.
func (f fitFlags) check() (recipe.Options, error) {
	var o recipe.Options
	if err := f.checkTarget(); err != nil {
		return o, err
	}
	var hidden []int // nil: distributions.DefaultHidden once the width is known
	if f.hidden != "auto" {
		var err error
		if hidden, err = distributions.ParseInts(f.hidden); err != nil {
			return o, usagef("-hidden %q: %v", f.hidden, err)
		}
	}
	act, err := layers.ParseActivation(f.act)
	if err != nil {
		return o, usagef("-activation: %v", err)
	}
	switch {
	case f.layers < 1:
		return o, usagef("-layers %d: want >= 1", f.layers)
	case f.epochs < 0:
		return o, usagef("-epochs %d: want >= 1, or 0 for the automatic budget", f.epochs)
	case f.batch < 1:
		return o, usagef("-batch %d: want >= 1", f.batch)
	case !(f.lr > 0):
		return o, usagef("-lr %g: want > 0", f.lr)
	case f.clamp == 0 || math.IsNaN(f.clamp):
		return o, usagef("-scale-clamp %g: want a bound > 0, or a negative value for none", f.clamp)
	case f.decay < 0:
		return o, usagef("-weight-decay %g: want >= 0", f.decay)
	case f.resume && f.checkpoint == "":
		return o, usagef("-resume needs -checkpoint")
	}
	patience := 0 // auto: trainer.AutoPatience once the number of rows is known
	if f.patience != "auto" {
		if patience, err = strconv.Atoi(f.patience); err != nil {
			return o, usagef("-patience %q: want auto or a whole number of epochs (0 or negative: never stop early)", f.patience)
		}
		if patience == 0 {
			patience = -1 // the Settings' "never"
		}
	}
	if _, err := recipe.ParseBase(f.base); err != nil {
		return o, usagef("-%v", err)
	}
	tr, err := layers.ParseTransform(f.transform)
	if err != nil {
		return o, usagef("-%v", err)
	}
	o.Spec = distributions.Spec{Hidden: hidden, Activation: act,
		ScaleClamp: f.clamp, Residual: f.residual, Between: f.between, Order: f.order, Transform: tr}
	if f.explicit["layers"] || f.explicit["mask"] || f.selection == "none" {
		o.Spec.Layers, o.Spec.Mask = f.layers, f.mask
	}
	switch f.direction {
	case "auto", "maf":
		o.Spec.Inverse = f.direction == "auto" && f.target != ""
	case "iaf":
		o.Spec.Inverse = true
	default:
		return o, usagef("-direction %q: want auto, maf or iaf", f.direction)
	}
	o.Base, o.Select, o.NoStandardize = f.base, f.selection, !f.standardize
	o.Train = trainer.Settings{Epochs: f.epochs, BatchSize: f.batch, LearningRate: f.lr, Schedule: f.schedule,
		WeightDecay: f.decay, ClipNorm: f.clip, Patience: patience, Seed: f.seed,
		Checkpoint: f.checkpoint, Resume: f.resume, Float32: f.dtype == "float32", Shards: f.shards}
	if f.dtype != "float64" && f.dtype != "float32" {
		return o, usagef("-dtype %q: want float64 or float32", f.dtype)
	}
	if f.shards < 1 || f.shards > f.batch {
		return o, usagef("-shards %d: want 1 to -batch (%d)", f.shards, f.batch)
	}
	if err := f.soft.apply(&o, f.mask); err != nil {
		return o, err
	}
	// the trainer and the builder know their own rules: ask them now, before reading any data
	if _, err := distributions.Build(1, distributions.Spec{Mask: "made", Between: f.between}, rand.New(rand.NewSource(1))); err != nil {
		return o, usagef("-between: %v", err)
	}
	if f.order != "alternate" && f.order != "random" {
		return o, usagef("-order %q: want alternate or random", f.order)
	}
	if f.contextCols != "" {
		names := splitNames(f.contextCols)
		for _, n := range names {
			if n == "" {
				return o, usagef("-context-cols %q: empty column name", f.contextCols)
			}
		}
	}
	if name, _, _ := strings.Cut(f.mask, ":"); !contains(distributions.MaskKinds(), name) {
		return o, usagef("-mask %q: unknown mask kind (known: %s)", f.mask, strings.Join(distributions.MaskKinds(), ", "))
	}
	if f.bounds != "" {
		if _, err := parseBounds(f.bounds); err != nil {
			return o, err
		}
	}
	if f.schedule != "constant" && f.schedule != "cosine" && f.schedule != "step" {
		return o, usagef("-schedule %q: want constant, cosine or step", f.schedule)
	}
	return o, f.checkSelect()
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
