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
