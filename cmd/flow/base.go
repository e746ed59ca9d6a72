package main

import (
	"math"
	"strconv"
	"strings"
)

// parseBase reads -base: "normal" (ν = 0) or "student-t:NU".
func parseBase(text string) (nu float64, err error) {
	if text == "normal" {
		return 0, nil
	}
	arg, ok := strings.CutPrefix(text, "student-t:")
	if ok {
		nu, err = strconv.ParseFloat(arg, 64)
	}
	if !ok || err != nil || !(nu > 0) || math.IsInf(nu, 0) {
		return 0, usagef("-base %q: want normal or student-t:NU with NU > 0 degrees of freedom (e.g. student-t:10)", text)
	}
	return nu, nil
}
