package distributions

// BlockRows and BlockSize expose the row blocks to the external tests.
const BlockRows = blockRows

var BlockSize = blockSize
