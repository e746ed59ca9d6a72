package trainer

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// A progress line counts the epoch against the budget, marks a new best and tells the time left
// at the mean epoch time so far; the last epoch has none.
func TestProgressLines(t *testing.T) {
	var b strings.Builder
	p := newProgress(&b, 40, 10)
	p.epoch(EpochStats{Epoch: 1, TrainNLL: 2, ValNLL: 2.5, LR: 1e-3, GradNorm: 1, Seconds: 2, Best: true})
	p.epoch(EpochStats{Epoch: 2, TrainNLL: 1.5, ValNLL: 2.6, LR: 1e-3, GradNorm: 1, Seconds: 4})
	p.epoch(EpochStats{Epoch: 40, TrainNLL: 1, ValNLL: 2.4, LR: 1e-3, GradNorm: 1, Seconds: 3, Best: true})
	require.Equal(t, `epoch 1/40 train_nll=2.0000 val_nll=2.5000 lr=0.001 grad_norm=1 time=2.0s * eta 1m18s
epoch 2/40 train_nll=1.5000 val_nll=2.6000 lr=0.001 grad_norm=1 time=4.0s eta 1m54s
epoch 40/40 train_nll=1.0000 val_nll=2.4000 lr=0.001 grad_norm=1 time=3.0s *
`, b.String())
}
