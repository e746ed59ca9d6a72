package recipe

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/trainer"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// Plan is what the recipe will do for a data set: the models, the base and the budget, each with
// the reason when a rule chose it. Options.Plan makes it; Fit follows it.
type Plan struct {
	D, Rows    int                       // modelled columns and training rows
	Context    int                       // context columns
	Candidates []distributions.Candidate // the models to fit; one: no selection
	Why        string                    // why these models, e.g. "812 rows < 10,000: selection"
	Base       Base                      // the base, resolved (never Auto)
	BaseWhy    string                    // "auto: ..." when the rule chose it
	Epochs     int                       // maximum epochs
	Patience   int                       // early-stopping patience (negative: none)
	Batch      int                       // minibatch size
	float32    bool                      // the training graph's precision (trainer.Settings.Float32)
	shards     int                       // trainer.Settings.Shards
}

// Plan resolves o for rows training rows of width d (context columns excluded).
func (o Options) Plan(d, rows int) (Plan, error) {
	if o.Spec.StudentT != 0 {
		return Plan{}, errors.New("recipe: set the base with Options.Base, not Spec.StudentT")
	}
	base, err := ParseBase(o.Base)
	if err != nil {
		return Plan{}, fmt.Errorf("recipe: %w", err)
	}
	p := Plan{D: d, Rows: rows, Context: o.Context, Base: base, Batch: o.Train.BatchSize, float32: o.Train.Float32, shards: o.Train.Shards}
	if p.Batch == 0 {
		p.Batch = 256 // trainer.Settings' default
	}
	if base.Auto {
		nu, k := distributions.AutoBase(rows, d)
		p.Base = Base{Nu: nu, Mixture: k, MADE: k > 0}
		p.BaseWhy = fmt.Sprintf("auto: %s rows < %s", thousands(rows), thousands(distributions.SelectRows))
		if rows >= distributions.SelectRows {
			cmp := "≤"
			if k == 0 {
				cmp = ">"
			}
			p.BaseWhy = fmt.Sprintf("auto: %s rows ≥ %s, %d columns %s %d", thousands(rows), thousands(distributions.SelectRows), d, cmp, distributions.AutoMixtureDim)
		}
	}
	spec := o.Spec
	p.Base.apply(&spec, o.Context)
	if spec.Hidden == nil {
		spec.Hidden = distributions.DefaultHidden(d)
	}
	p.Candidates, p.Why, err = o.candidates(spec, d, rows)
	if err != nil {
		return Plan{}, err
	}
	for _, c := range o.More {
		p.Base.apply(&c.Spec, o.Context)
		p.Candidates = append(p.Candidates, c)
	}
	p.Epochs, p.Patience = o.Train.Epochs, o.Train.Patience
	if p.Epochs == 0 {
		p.Epochs = trainer.AutoEpochs(rows, p.Batch)
	}
	if p.Patience == 0 {
		p.Patience = trainer.AutoPatience(rows, p.Batch)
	}
	return p, nil
}

// candidates applies the selection rule to spec (Options.Select).
func (o Options) candidates(spec distributions.Spec, d, rows int) ([]distributions.Candidate, string, error) {
	given := o.Spec.Layers != 0 || o.Spec.Mask != ""
	single := func(why string) ([]distributions.Candidate, string, error) {
		if spec.Layers == 0 {
			spec.Layers = DefaultLayers
		}
		if spec.Mask == "" {
			spec.Mask = "made"
		}
		return []distributions.Candidate{{Name: "model", Spec: spec}}, why, nil
	}
	switch o.Select {
	case "none":
		return single("no selection asked")
	case "", "auto":
		if given {
			return single("the model is given")
		}
	case "always":
		if given {
			return nil, "", errors.New("recipe: Select \"always\" chooses the number of layers and the mask itself: leave Spec.Layers and Spec.Mask zero")
		}
		rows = 0
	default:
		return nil, "", fmt.Errorf("recipe: Select %q: want auto, always or none", o.Select)
	}
	cands := distributions.DefaultCandidates(d, rows, spec)
	switch {
	case o.Select == "always":
		return cands, "selection asked", nil
	case len(cands) == 1:
		return cands, fmt.Sprintf("%s rows ≥ %s: no selection", thousands(rows), thousands(distributions.SelectRows)), nil
	}
	return cands, fmt.Sprintf("%s rows < %s: the best on the validation rows is kept", thousands(rows), thousands(distributions.SelectRows)), nil
}

// Write prints the plan, one line per item, with params the parameters of each candidate.
func (p Plan) Write(w io.Writer, params []int) {
	data := fmt.Sprintf("%s rows of %d columns", thousands(p.Rows), p.D)
	if p.Context > 0 {
		data += fmt.Sprintf(" given %d context columns", p.Context)
	}
	fmt.Fprintf(w, "data: %s\n", data)
	var models []string
	for i, c := range p.Candidates {
		name := c.Name
		if name == "model" {
			name = fmt.Sprintf("%d layers, mask %s", c.Spec.Layers, c.Spec.Mask)
		}
		models = append(models, fmt.Sprintf("%s (%s parameters)", name, thousands(params[i])))
	}
	fmt.Fprintf(w, "model: %s; %s\n", strings.Join(models, ", "), p.Why)
	if t := p.Candidates[0].Spec.Transform; t.IsSpline() {
		fmt.Fprintf(w, "transform: %s (in every layer a monotone rational-quadratic spline of K bins on [−B, B], identity outside)\n", t)
	}
	base := p.Base.String()
	if p.BaseWhy != "" {
		base += " (" + p.BaseWhy + ")"
	}
	fmt.Fprintf(w, "base: %s\n", base)
	patience := "none"
	if p.Patience > 0 {
		patience = fmt.Sprintf("%d epochs", p.Patience)
	}
	steps := max(1, p.Rows/p.Batch)
	fmt.Fprintf(w, "training: at most %d epochs (%s optimizer steps each, batch %d), early-stopping patience %s; * marks a new best validation NLL\n",
		p.Epochs, thousands(steps), p.Batch, patience)
}

// thousands formats n with thousands separators: 30199 → "30,199".
func thousands(n int) string { return english.Sprintf("%d", n) }

// english formats numbers as the plan's lines show them.
var english = message.NewPrinter(language.English)
