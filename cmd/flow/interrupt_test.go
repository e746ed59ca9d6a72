package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/affineflow/flow/modelfile"
	"github.com/stretchr/testify/require"
)

// cancelOn is a stderr that cancels its context, as SIGINT would, once it has seen text.
type cancelOn struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	text   string
	cancel context.CancelCauseFunc
}

func (c *cancelOn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.buf.Write(p)
	if strings.Contains(c.buf.String(), c.text) {
		c.cancel(signalError{syscall.SIGINT})
	}
	return len(p), nil
}

// TestFitInterrupted: a fit interrupted after its second epoch writes the best model so far and
// its checkpoint, says so, and exits 130; resuming finishes the run with the same weights as an
// uninterrupted one.
func TestFitInterrupted(t *testing.T) {
	dir := t.TempDir()
	train := writeData(t, dir, "train.csv", 400, 2, 1)
	val := writeData(t, dir, "val.csv", 80, 2, 2)
	args := func(out string, extra ...string) []string {
		return append([]string{"fit", "-train", train, "-val", val, "-out", out, "-epochs", "6", "-hidden", "8,8", "-layers", "2", "-batch", "32"}, extra...)
	}
	full := filepath.Join(dir, "full.json")
	code, _, errs := flow(args(full)...)
	require.Equal(t, 0, code, errs)

	ctx, cancel := context.WithCancelCause(context.Background())
	stderr := &cancelOn{text: "epoch 2/", cancel: cancel}
	var stdout bytes.Buffer
	part, ck := filepath.Join(dir, "part.json"), filepath.Join(dir, "ck")
	code = runContext(ctx, args(part, "-checkpoint", ck), &stdout, stderr)
	require.Equal(t, 130, code, stderr.buf.String())
	require.Contains(t, stderr.buf.String(), "flow: trainer: interrupted at epoch 3 step 1 (interrupted by SIGINT); the model holds the weights of epoch")
	require.Contains(t, stderr.buf.String(), "wrote it to "+part+"; run the same command with -resume to continue from the checkpoint")
	require.Contains(t, stdout.String(), "(interrupted)")
	_, meta, err := modelfile.Load(part)
	require.NoError(t, err)
	require.Equal(t, "interrupted", meta["stopped"])
	require.FileExists(t, ck)

	code, _, errs = flow(args(part, "-checkpoint", ck, "-resume")...)
	require.Equal(t, 0, code, errs)
	a, _, err := modelfile.Load(full)
	require.NoError(t, err)
	b, _, err := modelfile.Load(part)
	require.NoError(t, err)
	for k, p := range a.Params() {
		require.Equal(t, p.Data(), b.Params()[k].Data(), p.Name)
	}
}

// TestSignals sends real signals to a built flow: SIGINT or SIGTERM saves the best model so far and
// exits 130 or 143, never with a Go trace.
func TestSignals(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "flow")
	build := exec.Command("go", "build", "-o", bin, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, string(out))
	train := writeData(t, dir, "train.csv", 3000, 4, 1)
	for _, c := range []struct {
		name   string
		sigs   []syscall.Signal
		status int
	}{
		{"SIGINT", []syscall.Signal{syscall.SIGINT}, 130},
		{"SIGTERM", []syscall.Signal{syscall.SIGTERM}, 143},
	} {
		t.Run(c.name, func(t *testing.T) {
			model := filepath.Join(dir, c.name+".json")
			cmd := exec.Command(bin, "fit", "-train", train, "-out", model, "-epochs", "1000", "-hidden", "64,64", "-layers", "5", "-batch", "16")
			var stdout, stderr syncBuffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			require.NoError(t, cmd.Start())
			deadline := time.Now().Add(60 * time.Second)
			for !strings.Contains(stderr.String(), "epoch 1/") && time.Now().Before(deadline) {
				time.Sleep(20 * time.Millisecond)
			}
			for _, s := range c.sigs {
				require.NoError(t, cmd.Process.Signal(s))
			}
			err := cmd.Wait()
			var ee *exec.ExitError
			require.ErrorAs(t, err, &ee, stderr.String())
			require.Equal(t, c.status, ee.ExitCode(), stderr.String())
			require.NotContains(t, stderr.String(), "goroutine")
			require.NotContains(t, stderr.String(), "panic")
			require.Contains(t, stderr.String(), "wrote it to "+model)
			_, meta, err := modelfile.Load(model)
			require.NoError(t, err)
			require.Equal(t, "interrupted", meta["stopped"])
		})
	}
}

// syncBuffer is a bytes.Buffer safe for a process writing while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestSecondSignal: the first signal cancels the context and lets the command save; a second one,
// or SIGQUIT, exits at once with 128 + its number (and says so).
func TestSecondSignal(t *testing.T) {
	codes := make(chan int, 4)
	exit = func(code int) { codes <- code }
	defer func() { exit = os.Exit }()
	for _, c := range []struct {
		sigs []syscall.Signal
		want int
		says string
	}{
		{[]syscall.Signal{syscall.SIGINT, syscall.SIGINT}, 130, "SIGINT: exiting at once"},
		{[]syscall.Signal{syscall.SIGTERM, syscall.SIGINT}, 130, "SIGINT: exiting at once"},
		{[]syscall.Signal{syscall.SIGQUIT}, 131, "SIGQUIT: exiting at once"},
	} {
		var stderr syncBuffer
		ctx, stop := withSignals(context.Background(), &stderr)
		for i, s := range c.sigs {
			require.NoError(t, syscall.Kill(os.Getpid(), s))
			if i == 0 && len(c.sigs) > 1 {
				<-ctx.Done()
				require.Equal(t, signalError{s}, context.Cause(ctx))
				require.Contains(t, stderr.String(), "stopping at the next step")
			}
		}
		select {
		case code := <-codes:
			require.Equal(t, c.want, code)
		case <-time.After(10 * time.Second):
			t.Fatal("no exit after the second signal")
		}
		require.Contains(t, stderr.String(), c.says)
		stop()
	}
}

// TestNohup: a fit started with SIGHUP ignored (nohup) goes on when it gets SIGHUP; Notify would
// otherwise have installed a handler over the ignored signal.
func TestNohup(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "flow")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, string(out))
	train := writeData(t, dir, "train.csv", 400, 2, 1)
	model := filepath.Join(dir, "m.json")
	cmd := exec.Command("nohup", bin, "fit", "-train", train, "-out", model, "-epochs", "40", "-patience", "0", "-hidden", "16", "-layers", "2", "-batch", "16")
	var stderr syncBuffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	require.NoError(t, cmd.Start())
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(stderr.String(), "epoch 2/") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	require.NoError(t, cmd.Process.Signal(syscall.SIGHUP))
	require.NoError(t, cmd.Wait(), stderr.String())
	require.Contains(t, stderr.String(), "epoch 40/")
	require.NotContains(t, stderr.String(), "SIGHUP")
}

// cancelAfter is a stdout that cancels its context, as SIGINT would, after n bytes.
type cancelAfter struct {
	bytes.Buffer
	n      int
	cancel context.CancelCauseFunc
}

func (c *cancelAfter) Write(p []byte) (int, error) {
	if c.Len()+len(p) >= c.n {
		c.cancel(signalError{syscall.SIGINT})
	}
	return c.Buffer.Write(p)
}

// TestSampleInterrupted: an interrupted `flow sample` keeps the samples drawn so far (whole rows:
// they are samples too), says how many, and exits 130.
func TestSampleInterrupted(t *testing.T) {
	dir := t.TempDir()
	train := writeData(t, dir, "train.csv", 200, 2, 1)
	model := filepath.Join(dir, "m.json")
	code, _, errs := flow("fit", "-train", train, "-out", model, "-epochs", "1", "-hidden", "8", "-layers", "2")
	require.Equal(t, 0, code, errs)
	ctx, cancel := context.WithCancelCause(context.Background())
	stdout := &cancelAfter{n: 1, cancel: cancel}
	var stderr bytes.Buffer
	code = runContext(ctx, []string{"sample", "-model", model, "-n", "100000"}, stdout, &stderr)
	require.Equal(t, 130, code, stderr.String())
	rows := strings.Count(stdout.String(), "\n") - 1
	require.Equal(t, 0, rows%sampleBlock(2), "whole blocks")
	require.Less(t, rows, 100000)
	require.Contains(t, stderr.String(), "flow: interrupted by SIGINT after "+strconv.Itoa(rows)+" of 100000 samples; wrote them to standard output")
}

// TestInternalError: a panic in a command (a bug) is one "flow: internal error" line and exit
// status 1, not a Go trace.
func TestInternalError(t *testing.T) {
	commands = append(commands, command{name: "boom", run: func(context.Context, []string, io.Writer, io.Writer) error {
		var m map[string]int
		m["x"] = 1 // assignment to a nil map
		return nil
	}})
	defer func() { commands = commands[:len(commands)-1] }()
	code, _, errs := flow("boom")
	require.Equal(t, 1, code)
	require.Equal(t, "flow: internal error: assignment to entry in nil map (please report it with the command line; FLOW_DEBUG=1 prints the stack)\n", errs)
}
