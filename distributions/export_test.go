package distributions

// BlockRows and BlockSize expose the row blocks to the external tests.
const BlockRows = blockRows

var BlockSize = blockSize

// LogProbBlock is the row block of log-prob on an n-row batch through f.
func LogProbBlock(f *Flow, n int) int { return blockSize(n, f.width()) }
