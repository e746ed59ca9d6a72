package distributions

import (
	"fmt"
	"math/rand"
	"sort"
	"strings"

	"github.com/affineflow/flow/layers"
)

// MaskKind is a registered mask kind: its name in Spec.Mask (and `flow fit -mask`), an example, a
// line of help, whether its layers read a context, and how it builds the layer of each step.
// RegisterMask adds one; the registry test (modelfile/maskkinds_test.go) builds every registered
// kind from its Example and runs the conformance suite on each of its layers, round-trips the
// model file and checks the density against the independent reference evaluator, so a new kind
// is one file.
type MaskKind struct {
	// Name is the text before the colon in Spec.Mask: "banded" in "banded:2".
	Name string
	// Example is a Spec.Mask that builds the kind on data of 4 dimensions, e.g. "banded:2".
	Example string
	// Help is one line for `flow fit -h`, e.g. "injection layers, each dimension seeing the W before it".
	Help string
	// TakesContext: its layers read a context (layers.Conditional) when Spec.Context > 0; the
	// layers of other kinds are refused with a context.
	TakesContext bool
	// Build returns the layer of step k (0-based) of a stack for data of width d (or a
	// layers.Sequence of layers for that step); arg is the text after the colon of the Spec's
	// mask ("2,3" in "block:2,3"). Use Spec.OrderFor for the step's order.
	Build MaskFunc
}

// MaskFunc builds the k-th (0-based) step of a stack for data of width d: MaskKind.Build.
type MaskFunc func(d, k int, arg string, s Spec, rng *rand.Rand) (layers.Layer, error)

var maskKinds = map[string]MaskKind{}

// RegisterMask adds a mask kind to Build (and so to `flow fit -mask`), usually from the init of the
// kind's file. It panics on a duplicate or an incomplete kind.
func RegisterMask(k MaskKind) {
	switch _, dup := maskKinds[k.Name]; {
	case dup:
		panic("distributions: mask kind " + k.Name + " registered twice")
	case k.Name == "" || strings.Contains(k.Name, ":") || k.Example == "" || k.Build == nil:
		panic(fmt.Sprintf("distributions: mask kind %q needs a Name without a colon, an Example and Build", k.Name))
	}
	maskKinds[k.Name] = k
}

// MaskKinds lists the names of the registered mask kinds, sorted.
func MaskKinds() []string {
	var names []string
	for _, k := range Kinds() {
		names = append(names, k.Name)
	}
	return names
}

// Kinds returns the registered mask kinds, sorted by name.
func Kinds() []MaskKind {
	out := make([]MaskKind, 0, len(maskKinds))
	for _, k := range maskKinds {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// MaskHelp describes the registered kinds for a -mask flag, one per line: the example and the help.
func MaskHelp() string {
	var b strings.Builder
	for _, k := range Kinds() {
		ctx := ""
		if k.TakesContext {
			ctx = " (takes a context)"
		}
		fmt.Fprintf(&b, "\n  %-12s %s%s", k.Example, k.Help, ctx)
	}
	return b.String()
}
