package main

import (
	"strconv"
	"strings"

	"github.com/affineflow/flow/distributions"
)

// parseBase reads -base: "normal" (ν = 0) or "student-t:NU".
func parseBase(text string) (nu float64, err error) {
	if text == "normal" {
		return 0, nil
	}
	arg, ok := strings.CutPrefix(text, "student-t:")
	if ok {
		if nu, err = strconv.ParseFloat(arg, 64); err == nil {
			_, err = distributions.NewStudentT(1, nu) // its rule for ν
		}
	}
	if !ok || err != nil {
		return 0, usagef("-base %q: want normal or student-t:NU with NU > 0 degrees of freedom (e.g. student-t:10)", text)
	}
	return nu, nil
}
