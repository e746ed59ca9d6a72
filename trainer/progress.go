package trainer

import (
	"fmt"
	"io"
	"os"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progress reports training: a bar on a terminal, one plain line per epoch otherwise.
type progress struct {
	w      io.Writer
	bar    *progressbar.ProgressBar
	epochs int
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
	line := e.String()
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
