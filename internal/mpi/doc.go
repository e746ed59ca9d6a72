// Package mpi is a thin cgo binding over the system's MPI (Open MPI: Debian's libopenmpi-dev),
// built only with -tags mpi, so that the default build stays pure Go: World returns the
// communicator of an `mpirun -np N` job as a trainer.Comm, whose Sum is MPI_Allreduce in place
// (a ring or tree of 2(N−1)/N times the buffer per rank, not N times as a gather would be; every
// rank gets the same bits). Errors of MPI calls are returned, not fatal (MPI_ERRORS_RETURN); a rank that exits early
// makes mpirun end the job.
package mpi
