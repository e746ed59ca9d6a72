//go:build !mpi

package main

import "github.com/affineflow/flow/trainer"

// worldComm is nil without -tags mpi: one process.
func worldComm() (trainer.Comm, func(), error) { return nil, func() {}, nil }
