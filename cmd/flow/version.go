package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// runVersion prints the module's version, the VCS revision the binary was built from (when the
// build recorded it) and the Go version.
func runVersion(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("version", stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintln(stdout, versionLine())
	return nil
}

func versionLine() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "flow (no build information) " + runtime.Version()
	}
	line := fmt.Sprintf("flow %s %s", info.Main.Path, info.Main.Version)
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	if rev := settings["vcs.revision"]; rev != "" {
		line += " revision " + rev
		if t := settings["vcs.time"]; t != "" {
			line += " (" + t + ")"
		}
		if settings["vcs.modified"] == "true" {
			line += " with local changes"
		}
	} else {
		line += " (no VCS revision recorded: built with -buildvcs=false or outside a repository)"
	}
	return line + " " + info.GoVersion
}
