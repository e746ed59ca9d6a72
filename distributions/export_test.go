package distributions

// BlockRows and BlockSize expose the row blocks to the external tests.
const BlockRows = blockRows

var BlockSize = blockSize

// BlockSizeOf is the row block of an n-row batch through f.
func BlockSizeOf(f *Flow, n int) int { return blockSize(n, f.width()) }
