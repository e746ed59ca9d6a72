package trainer

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progress reports training: a bar on a terminal, one plain line per epoch otherwise, e.g.
//
//	epoch 12/339 train_nll=1.2345 val_nll=1.3456 lr=0.001 grad_norm=2.1 time=0.4s * eta 2m11s
//
// against the budget of epochs, "*" marking a new best validation NLL, and the time left at the
// mean epoch time so far if training runs to the budget (early stopping ends most runs sooner).
type progress struct {
	w      io.Writer
	bar    *progressbar.ProgressBar
	epochs int
	seen   int     // epochs reported
	secs   float64 // their time
}

func newProgress(w io.Writer, epochs, stepsPerEpoch int) *progress {
	p := &progress{w: w, epochs: epochs}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.bar = progressbar.NewOptions(epochs*stepsPerEpoch,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetWidth(30),
			progressbar.OptionShowCount(),
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionClearOnFinish(),
		)
	}
	return p
}

func (p *progress) step(epoch int, loss float64) {
	if p == nil || p.bar == nil {
		return
	}
	p.bar.Describe(fmt.Sprintf("epoch %d/%d loss %.4f", epoch, p.epochs, loss))
	_ = p.bar.Add(1)
}

func (p *progress) epoch(e EpochStats) {
	if p == nil || p.w == nil {
		return
	}
	p.seen++
	p.secs += e.Seconds
	line := progressLine(e, p.epochs, p.secs/float64(p.seen))
	if p.bar != nil {
		p.bar.Describe(line)
		return
	}
	fmt.Fprintln(p.w, line)
}

func (p *progress) finish() {
	if p != nil && p.bar != nil {
		_ = p.bar.Finish()
	}
}

// progressLine is e's line (EpochStats.String) with the epoch counted against the budget of
// epochs and, before the last, the time left at perEpoch seconds an epoch.
func progressLine(e EpochStats, epochs int, perEpoch float64) string {
	line := strings.Replace(e.String(), fmt.Sprintf("epoch %d ", e.Epoch), fmt.Sprintf("epoch %d/%d ", e.Epoch, epochs), 1)
	if left := epochs - e.Epoch; left > 0 {
		eta := time.Duration(float64(left) * perEpoch * float64(time.Second)).Round(time.Second)
		line += " eta " + eta.String()
	}
	return line
}
