// Package benchmarks holds the speed benchmarks of the project's reference configuration, a MAF-5:
// five affine injection layers with MADE conditioners of hidden sizes [H, H] (ReLU, order reversed
// between layers), a standard normal base, float64:
//
//	D=8:  H=128      D=63: H=512
//
// BenchmarkTrainStep times one training step (forward, backward, Adam) on a batch of 256,
// BenchmarkLogProb the numeric log-density of 4096 rows and BenchmarkSample drawing 512 samples;
// each reports samples/s. See README.md for the figures, the PyTorch reference and the commands:
//
//	go test -run '^$' -bench . ./benchmarks
//	go test -tags openblas -run '^$' -bench . ./benchmarks   # cgo, libopenblas-dev
package benchmarks
