//go:build race

package trainer

// raceDetector: the race detector makes sync.Pool drop a share of what is put back, so the
// scratch pools refill on every step and allocation bounds do not hold.
const raceDetector = true
