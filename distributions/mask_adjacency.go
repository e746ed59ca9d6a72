package distributions

// The mask kinds "adjacency:EDGES" and "adjacency-soft:EDGES": a dependency structure given by
// the user, a directed acyclic graph over the columns.

import (
	"fmt"
	"math/rand"
	"os"
	"strconv"
	"strings"

	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/masks"
	"gonum.org/v1/gonum/mat"
)

func init() {
	RegisterMask(MaskKind{Name: "adjacency", Example: "adjacency:1>2,2>3,1>4", TakesContext: true,
		Help: "adjacency:EDGES (1>2,2>3: column 1 is a parent of 2 ...) or adjacency:@FILE (a D×D 0/1 CSV, row i the parents of column i): injection layers in which each column sees exactly its parents, in a topological order; with context columns D+1..D+C as parents (or a D×(D+C) file; none given: every column sees every context column)",
		Build: func(d, k int, arg string, s Spec, rng *rand.Rand) (layers.Layer, error) {
			return adjacencyLayer(d, arg, s, false, rng)
		}})
	RegisterMask(MaskKind{Name: "adjacency-made", Example: "adjacency-made:1>2,2>3,1>4", TakesContext: true,
		Help: "as adjacency, with one MADE-shaped conditioner per layer whose hidden units are split among the children (masks.ParentsMADE)",
		Build: func(d, k int, arg string, s Spec, rng *rand.Rand) (layers.Layer, error) {
			adj, order, err := adjacencyOrder(arg, d, s.Context)
			if err != nil {
				return nil, err
			}
			hidden := s.Hidden
			if len(hidden) == 0 {
				hidden = []int{64, 64}
			}
			return layers.NewAffineInjectionMasks(order, masks.ParentsMADE(adj, hidden, s.Transform.PerDim()), s.affine(), rng)
		}})
	RegisterMask(MaskKind{Name: "adjacency-soft", Example: "adjacency-soft:1>2,2>3,1>4", TakesContext: true,
		Help: "as adjacency, with a learned soft mask on the given edges (which of them matter), context edges too",
		Build: func(d, k int, arg string, s Spec, rng *rand.Rand) (layers.Layer, error) {
			return adjacencyLayer(d, arg, s, true, rng)
		}})
}

// adjacencyLayer builds an injection layer whose mask is the adjacency (every layer alike, in the
// graph's topological order, so that the flow's composed dependency stays within the graph's
// ancestral closure; Spec.Order does not apply).
func adjacencyLayer(d int, arg string, s Spec, soft bool, rng *rand.Rand) (layers.Layer, error) {
	adj, order, err := adjacencyOrder(arg, d, s.Context)
	if err != nil {
		return nil, err
	}
	return layers.NewInjection(order, s.injection(adj, soft), rng)
}

// adjacencyOrder parses the D×(D+C) adjacency of arg (c context columns) and the topological order
// of its data part. When no context column has an edge, every column sees every context column.
func adjacencyOrder(arg string, d, c int) (*mat.Dense, masks.Degrees, error) {
	adj, err := ParseAdjacency(arg, d, c)
	if err != nil {
		return nil, nil, err
	}
	order, err := masks.TopologicalOrder(adj.Slice(0, d, 0, d))
	if err != nil {
		return nil, nil, fmt.Errorf("distributions: %w", err)
	}
	if c > 0 && mat.Sum(adj.Slice(0, d, d, d+c)) == 0 {
		for i := range d {
			for j := d; j < d+c; j++ {
				adj.Set(i, j, 1)
			}
		}
	}
	return adj, order, nil
}

// ParseAdjacency reads the D×(D+C) adjacency of "adjacency:ARG" for D data and C context columns:
// edges "p>c,p>c" (1-based columns, p a parent of c; a parent may be a context column D+1..D+C) or
// "@FILE", a CSV of D rows of D or D+C values 0 or 1 (row i: the parents of column i), without a
// header. A[i][j] = 1: j is a parent of i.
func ParseAdjacency(arg string, d, ctx int) (*mat.Dense, error) {
	adj := mat.NewDense(d, d+ctx, nil)
	if path, ok := strings.CutPrefix(arg, "@"); ok {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("distributions: adjacency: %w", err)
		}
		lines := strings.Split(strings.TrimSpace(string(data)), "\n")
		if len(lines) != d {
			return nil, fmt.Errorf("distributions: adjacency %s: %d rows, the data have %d columns", path, len(lines), d)
		}
		for i, line := range lines {
			fields := strings.Split(strings.TrimSpace(line), ",")
			if len(fields) != d && len(fields) != d+ctx {
				return nil, fmt.Errorf("distributions: adjacency %s: line %d has %d values, want %d (or %d with the context)", path, i+1, len(fields), d, d+ctx)
			}
			for j, f := range fields {
				switch strings.TrimSpace(f) {
				case "0":
				case "1":
					adj.Set(i, j, 1)
				default:
					return nil, fmt.Errorf("distributions: adjacency %s: line %d, column %d: %q, want 0 or 1", path, i+1, j+1, f)
				}
			}
		}
		return adj, nil
	}
	if arg == "" {
		return nil, fmt.Errorf("distributions: adjacency: no edges (want e.g. adjacency:1>2,2>3 or adjacency:@FILE)")
	}
	for _, e := range strings.Split(arg, ",") {
		ps, cs, ok := strings.Cut(e, ">")
		p, err1 := strconv.Atoi(strings.TrimSpace(ps))
		c, err2 := strconv.Atoi(strings.TrimSpace(cs))
		if !ok || err1 != nil || err2 != nil || p < 1 || c < 1 || p > d+ctx || c > d {
			return nil, fmt.Errorf("distributions: adjacency edge %q: want PARENT>CHILD with a parent among columns 1 to %d and a child among 1 to %d", e, d+ctx, d)
		}
		adj.Set(c-1, p-1, 1)
	}
	return adj, nil
}
