//go:build mpi

package mpi

/*
#cgo pkg-config: ompi
#include <mpi.h>
#include <stdlib.h>

static int flow_init(void) {
	int done = 0;
	MPI_Initialized(&done);
	if (done) return MPI_SUCCESS;
	int err = MPI_Init(NULL, NULL);
	if (err != MPI_SUCCESS) return err;
	return MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
}
static int flow_rank(int *r) { return MPI_Comm_rank(MPI_COMM_WORLD, r); }
static int flow_size(int *n) { return MPI_Comm_size(MPI_COMM_WORLD, n); }
static int flow_allreduce(double *buf, int n) {
	return MPI_Allreduce(MPI_IN_PLACE, buf, n, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
}
static int flow_finalize(void) { return MPI_Finalize(); }
static void flow_error_string(int code, char *buf) {
	int n = 0;
	MPI_Error_string(code, buf, &n);
}
*/
import "C"

import (
	"fmt"
	"unsafe"
)

// Comm is MPI_COMM_WORLD.
type Comm struct{ rank, size int }

// World initializes MPI (once) and returns MPI_COMM_WORLD.
func World() (*Comm, error) {
	if err := check("MPI_Init", C.flow_init()); err != nil {
		return nil, err
	}
	var r, n C.int
	if err := check("MPI_Comm_rank", C.flow_rank(&r)); err != nil {
		return nil, err
	}
	if err := check("MPI_Comm_size", C.flow_size(&n)); err != nil {
		return nil, err
	}
	return &Comm{rank: int(r), size: int(n)}, nil
}

// Rank returns this process's rank.
func (c *Comm) Rank() int { return c.rank }

// Size returns the number of ranks.
func (c *Comm) Size() int { return c.size }

// Sum replaces buf on every rank by the sum of every rank's buf (MPI_Allreduce in place: every
// rank gets the same bits; the order of the additions is MPI's, fixed for a given number of ranks
// and length in Open MPI's algorithms).
func (c *Comm) Sum(buf []float64) error {
	if len(buf) == 0 {
		return nil
	}
	return check("MPI_Allreduce", C.flow_allreduce((*C.double)(unsafe.Pointer(&buf[0])), C.int(len(buf))))
}

// Finalize ends MPI; call it once, before the program exits.
func (c *Comm) Finalize() error { return check("MPI_Finalize", C.flow_finalize()) }

func check(what string, code C.int) error {
	if code == C.MPI_SUCCESS {
		return nil
	}
	buf := (*C.char)(C.malloc(C.MPI_MAX_ERROR_STRING))
	defer C.free(unsafe.Pointer(buf))
	C.flow_error_string(code, buf)
	return fmt.Errorf("mpi: %s: %s", what, C.GoString(buf))
}
