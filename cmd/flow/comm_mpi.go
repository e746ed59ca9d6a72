//go:build mpi

package main

import (
	"os"

	"github.com/affineflow/flow/internal/mpi"
	"github.com/affineflow/flow/trainer"
)

// worldComm returns the MPI communicator when the tool runs under mpirun (a data-parallel fit:
// every rank fits, rank 0 writes), with the function that ends MPI; nil outside mpirun.
func worldComm() (trainer.Comm, func(), error) {
	if os.Getenv("OMPI_COMM_WORLD_SIZE") == "" && os.Getenv("PMI_SIZE") == "" {
		return nil, func() {}, nil
	}
	c, err := mpi.World()
	if err != nil {
		return nil, func() {}, err
	}
	return c, func() { c.Finalize() }, nil
}
