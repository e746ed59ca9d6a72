// Command flow fits, scores, samples and inspects normalizing flows of affine injection layers.
//
//	flow fit     -train F [-val F] [-test F] -out model.json [options]
//	flow score   -model M -data F [-out F]
//	flow sample  -model M -n N [-seed S] [-out F] [-context F]
//	flow inspect -model M [-png F]
//
// Data files are CSV with a header row or 2-D NumPy .npy (float32/float64). Models are
// affine-injection-flow/v1 JSON files (see package modelfile). Exit status: 0 on success, 2 for
// usage errors, 1 otherwise; errors go to stderr prefixed "flow:". The first SIGINT, SIGTERM or
// SIGHUP stops fit and sample at their next step; they save what they have and exit with 128 + the
// signal's number (130, 143, 129); a second signal exits at once.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
)

// usageError marks errors in the command line (exit status 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

type command struct {
	name, args, help string
	examples         []string
	run              func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

// commands is set in init: its run functions print commandUsage, which reads it.
var commands []command

func init() {
	commands = []command{
		{"fit", "-train F [-val F] [-test F] -out model.json [flags]", "fit a flow by maximum likelihood (flow fit's recipe: package recipe)", []string{
			"flow fit -train train.csv -out out/m.json                       # the defaults; 10% of the rows held out for validation",
			"flow fit -train train.csv -val val.csv -test test.csv -out out/m.json   # last line: test_nll=<nats>",
			"flow fit -train train.csv -out out/m.json -mask block:2,2 -layers 8     # a given model: no selection",
			"flow fit -train train.csv -out out/m.json -context-cols a,b             # p(x | a, b)",
		}, runFit},
		{"score", "-model M -data F [-out F]", "write log p(x) of every data row as CSV", []string{
			"flow score -model out/m.json -data test.csv -out out/scores.csv",
			"flow score -model out/m.json -data test.csv | head",
		}, runScore},
		{"sample", "-model M -n N [-seed S] [-out F] [-context F]", "draw samples as CSV (a conditional model: per context row)", []string{
			"flow sample -model out/m.json -n 1000 -seed 1 -out out/samples.csv",
			"flow sample -model out/m.json -context ctx.csv -n 5 -out out/samples.csv   # 5 per context row",
		}, runSample},
		{"inspect", "-model M [-png F]", "summarize a model; draw its dependency matrices", []string{
			"flow inspect -model out/m.json",
			"flow inspect -model out/m.json -png out/m.png",
		}, runInspect},
		{"distill", "-teacher M -out model.json [flags]", "fit a fast-sampling IAF student to a model by reverse KL (probability-density distillation)", []string{
			"flow distill -teacher out/maf.json -out out/iaf.json   # prints KL(teacher ‖ student) and both sampling speeds",
		}, runDistill},
		{"version", "", "print the module version, the VCS revision and the Go version", []string{"flow version"}, runVersion},
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: flow <command> [flags]\n\ncommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n           %s\n", c.name, c.args, c.help)
	}
	fmt.Fprintln(w, "\n'flow <command> -h' lists a command's flags and examples.")
}

// commandUsage prints a command's usage line, its examples and its flags (fs).
func commandUsage(w io.Writer, name string, fs *flag.FlagSet) {
	for _, c := range commands {
		if c.name != name {
			continue
		}
		fmt.Fprintf(w, "usage: flow %s %s\n\n%s\n\nexamples:\n", c.name, c.args, c.help)
		for _, e := range c.examples {
			fmt.Fprintf(w, "  %s\n", e)
		}
	}
	fmt.Fprintln(w, "\nflags:")
	fs.SetOutput(w)
	fs.PrintDefaults()
}

// run executes the command line and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	return runContext(context.Background(), args, stdout, stderr)
}

// runContext is run with a context whose cancellation (by a signal) interrupts the command. A
// panic (a bug: inputs are checked) ends it with one "flow: internal error" line and status 1;
// FLOW_DEBUG=1 adds the stack.
func runContext(ctx context.Context, args []string, stdout, stderr io.Writer) (status int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "flow: internal error: %v (please report it with the command line; FLOW_DEBUG=1 prints the stack)\n", r)
			if os.Getenv("FLOW_DEBUG") != "" {
				stderr.Write(debug.Stack())
			}
			status = 1
		}
	}()
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		return 0
	}
	for _, c := range commands {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, args[1:], stdout, stderr)
		var ue usageError
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.As(err, &ue):
			fmt.Fprintf(stderr, "flow %s: %v\n", c.name, err)
			fmt.Fprintf(stderr, "usage: flow %s %s ('flow %s -h' lists the flags)\n", c.name, c.args, c.name)
			return 2
		default:
			fmt.Fprintf(stderr, "flow: %v\n", err)
			if status := interruptStatus(err); status != 0 {
				return status
			}
			return 1
		}
	}
	fmt.Fprintf(stderr, "flow: unknown command %q\n", args[0])
	usage(stderr)
	return 2
}

func main() {
	ctx, stop := withSignals(context.Background(), os.Stderr)
	code := runContext(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// newFlags returns a flag set whose parse errors become usage errors.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("flow "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parse parses args; a stray positional argument is a usage error.
func parse(fs *flag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		commandUsage(os.Stdout, strings.TrimPrefix(fs.Name(), "flow "), fs)
		return err
	}
	if err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	return nil
}

func required(name, v string) error {
	if v == "" {
		return usagef("-%s is required", name)
	}
	return nil
}
