package main

import (
	"strconv"
	"strings"

	"github.com/affineflow/flow/distributions"
)

// parseBase reads -base: "normal" (ν = 0) or "student-t:NU"; "auto" is also accepted, as ν = 0
// until the number of training rows is known (resolveBase).
func parseBase(text string) (nu float64, err error) {
	if text == "normal" || text == "auto" {
		return 0, nil
	}
	arg, ok := strings.CutPrefix(text, "student-t:")
	if ok {
		if nu, err = strconv.ParseFloat(arg, 64); err == nil {
			_, err = distributions.NewStudentT(1, nu) // its rule for ν
		}
	}
	if !ok || err != nil {
		return 0, usagef("-base %q: want auto, normal or student-t:NU with 0 < NU <= %g degrees of freedom (e.g. student-t:10)", text, distributions.MaxNu)
	}
	return nu, nil
}

// resolveBase returns spec with -base auto resolved for rows training rows:
// distributions.AutoStudentT, a Student-t base of ν = 10 below 10,000 rows, N(0, I) from there on.
func (f fitFlags) resolveBase(spec distributions.Spec, rows int) distributions.Spec {
	if f.base == "auto" {
		spec.StudentT = distributions.AutoStudentT(rows)
	}
	return spec
}

// baseFlag names the base of spec as -base would: normal or student-t:NU.
func baseFlag(spec distributions.Spec) string {
	if spec.StudentT == 0 {
		return "normal"
	}
	return "student-t:" + strconv.FormatFloat(spec.StudentT, 'g', -1, 64)
}
