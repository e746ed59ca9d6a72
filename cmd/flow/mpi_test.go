//go:build mpi

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/affineflow/flow/modelfile"
	"github.com/stretchr/testify/require"
)

// `mpirun -np 2 flow fit` (each rank half of every batch of 64, the gradients summed) writes the
// model of `flow fit` in one process, to 1e-9, after several steps; only rank 0 writes.
func TestMPIFitExact(t *testing.T) {
	if _, err := exec.LookPath("mpirun"); err != nil {
		t.Skip("mpirun is not installed (.ci/mpi.sh installs Open MPI)")
	}
	dir := t.TempDir()
	train := writeData(t, dir, "train.csv", 512, 3, 1)
	bin := filepath.Join(dir, "flow")
	out, err := exec.Command("go", "build", "-tags", "mpi", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "%s", out)
	args := func(model string) []string {
		return []string{"fit", "-train", train, "-out", model, "-epochs", "3", "-hidden", "8", "-select", "none", "-batch", "64"}
	}
	one, two := filepath.Join(dir, "one.json"), filepath.Join(dir, "two.json")
	out, err = exec.Command(bin, args(one)...).CombinedOutput()
	require.NoError(t, err, "%s", out)
	mpi := append([]string{"--allow-run-as-root", "--oversubscribe", "-np", "2", bin}, args(two)...)
	cmd := exec.Command("mpirun", mpi...)
	cmd.Env = append(os.Environ(), "OMPI_MCA_btl=self,vader") // one machine: shared memory only
	out, err = cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	a, _, err := modelfile.Load(one)
	require.NoError(t, err)
	b, _, err := modelfile.Load(two)
	require.NoError(t, err)
	pa, pb := a.Params(), b.Params()
	require.Equal(t, len(pa), len(pb))
	for k := range pa {
		require.InDeltaSlice(t, pa[k].Data(), pb[k].Data(), 1e-9, pa[k].Name)
	}
}
