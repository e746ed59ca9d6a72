package graph

import (
	"errors"
	"fmt"
)

// Try runs f and turns a panic inside it (gorgonia's G.Must, shape errors) into an error. Exported
// functions that build graphs call it once at the package boundary.
func Try(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			switch e := r.(type) {
			case error:
				err = fmt.Errorf("graph: %w", e)
			default:
				err = errors.New(fmt.Sprint("graph: ", e))
			}
		}
	}()
	f()
	return nil
}
