package masks

import (
	"fmt"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// TopologicalOrder returns degrees for the D×D adjacency matrix of a directed acyclic graph
// (A[i][j] ≠ 0: j is a parent of i, the Jacobian convention of Dependency) in which every parent
// comes before its children: the order of Kahn's algorithm, the lowest index first among the
// ready nodes, so that an adjacency already in column order gives Natural(D). A cycle is an
// error naming one, e.g. "2 → 3 → 2" (1-based).
func TopologicalOrder(adj mat.Matrix) (Degrees, error) {
	d, c := adj.Dims()
	if d != c || d == 0 {
		return nil, fmt.Errorf("masks: adjacency is %d×%d, want square", d, c)
	}
	indeg := make([]int, d)
	for i := range d {
		for j := range d {
			if adj.At(i, j) != 0 {
				if i == j {
					return nil, fmt.Errorf("masks: adjacency: node %d is its own parent", i+1)
				}
				indeg[i]++
			}
		}
	}
	deg := make(Degrees, d)
	done := 0
	for done < d {
		next := -1
		for i := range d {
			if deg[i] == 0 && indeg[i] == 0 {
				next = i
				break
			}
		}
		if next < 0 {
			return nil, fmt.Errorf("masks: adjacency has a cycle: %s", cycle(adj, deg))
		}
		done++
		deg[next] = done
		for i := range d {
			if adj.At(i, next) != 0 {
				indeg[i]--
			}
		}
	}
	return deg, nil
}

// cycle finds a cycle among the nodes not yet ordered (deg 0), each of which has an unordered
// parent, and names it "a → b → a" (1-based, parents first).
func cycle(adj mat.Matrix, deg Degrees) string {
	d, _ := adj.Dims()
	start := 0
	for deg[start] != 0 {
		start++
	}
	seen := map[int]int{} // node → position in path
	var path []int
	for i := start; ; {
		if k, ok := seen[i]; ok {
			loop := append(append([]int(nil), path[k:]...), i)
			names := make([]string, len(loop))
			for n := range loop {
				names[len(loop)-1-n] = fmt.Sprint(loop[n] + 1) // parents first
			}
			return strings.Join(names, " → ")
		}
		seen[i] = len(path)
		path = append(path, i)
		for j := range d {
			if adj.At(i, j) != 0 && deg[j] == 0 {
				i = j
				break
			}
		}
	}
}

// ParentsMADE returns the masks of a MADE-shaped network, in → widths[0] → … → reps·D outputs,
// in which output i sees exactly its parents in the D×(D+C) adjacency adj (A[i][j] ≠ 0: input j,
// a data column or one of C context columns after them, is a parent of i) and nothing else: every hidden unit works for one child (the children, the nodes with a
// parent, in turn), reads that child's parents, and feeds only that child's outputs. A MADE's
// shared degrees cannot express an arbitrary graph; this block structure can, at the price of
// splitting the hidden units among the children. Output columns r·D + i belong to node i.
func ParentsMADE(adj mat.Matrix, widths []int, reps int) []*mat.Dense {
	d, in := adj.Dims()
	var children []int
	for i := range d {
		for j := range in {
			if adj.At(i, j) != 0 {
				children = append(children, i)
				break
			}
		}
	}
	owner := func(u int) int { // the child hidden unit u works for; −1: none
		if len(children) == 0 {
			return -1
		}
		return children[u%len(children)]
	}
	var ms []*mat.Dense
	prev := in
	for l, w := range widths {
		m := mat.NewDense(prev, w, nil)
		for u := range w {
			t := owner(u)
			for v := range prev {
				if t >= 0 && (l == 0 && adj.At(t, v) != 0 || l > 0 && owner(v) == t) {
					m.Set(v, u, 1)
				}
			}
		}
		ms, prev = append(ms, m), w
	}
	last := mat.NewDense(prev, reps*d, nil)
	for v := range prev {
		for r := range reps {
			for i := range d {
				if len(widths) == 0 && adj.At(i, v) != 0 || len(widths) > 0 && owner(v) == i {
					last.Set(v, r*d+i, 1)
				}
			}
		}
	}
	return append(ms, last)
}
