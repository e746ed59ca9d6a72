package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"maps"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/affineflow/flow/internal/atomicfile"
	"gonum.org/v1/gonum/stat"
)

// candidateHeader is the header of a selection's summary file (saveCandidates).
var candidateHeader = []string{"candidate", "val_nll", "best_epoch", "epochs", "seconds_per_epoch", "parameters", "samples_per_s"}

// sampleRows is how many rows saveCandidates draws to time a candidate's sampling.
const sampleRows = 2000

// saveCandidates writes what a selection (a flowFit model) learned of every candidate, so that
// one run answers questions about all of them:
//   - every candidate's test scores as the model NAME@CAND (SET--NAME@CAND[--seedN].csv), which
//     -gap and -seeds read like any model's;
//   - a summary SET--NAME[--seedN].candidates.csv with, per candidate, its best validation NLL,
//     epochs, seconds per epoch, parameters and sampling speed (rows drawn per second, one
//     draw of sampleRows rows). From it readScores rebuilds any sub-selection NAME@A/B/C: the
//     candidate of A, B, C with the lowest validation NLL, as the selection would have kept it.
func (c config) saveCandidates(set, name string, s splits, r fitted) error {
	rows := [][]string{candidateHeader}
	for i, o := range r.res.Outcomes {
		if o.Err != nil {
			continue
		}
		f, lp := r.res.Flows[i], r.lp // the kept candidate's test scores are the run's
		if i != r.res.Kept {
			lp = f.LogProbs(s.test)
		}
		if err := saveScores(c.scores, set, name+"@"+o.Name, c.seed, lp); err != nil {
			return err
		}
		start := time.Now()
		f.Sample(sampleRows, rand.New(rand.NewSource(c.seed)))
		rate := sampleRows / time.Since(start).Seconds()
		secs := 0.0
		for _, e := range o.Result.History {
			secs += e.Seconds
		}
		rows = append(rows, []string{o.Name, strconv.FormatFloat(o.Result.BestValNLL, 'g', -1, 64),
			strconv.Itoa(o.Result.BestEpoch), strconv.Itoa(len(o.Result.History)),
			strconv.FormatFloat(secs/float64(max(1, len(o.Result.History))), 'g', 6, 64),
			strconv.Itoa(f.NumParams()), strconv.FormatFloat(rate, 'g', 6, 64)})
	}
	path := filepath.Join(c.scores, runName(set, name, c.seed)+".candidates.csv")
	return atomicfile.WriteFileAtomic(path, func(w io.Writer) error { return csv.NewWriter(w).WriteAll(rows) })
}

// The numeric columns of a summary file, candidateHeader[1:], as indices of candidate.vals.
const (
	colValNLL = iota
	colBestEpoch
	colEpochs
	colSecsPerEpoch
	colParams
	colSamplesPerS
	numCols
)

// candidate is one row of a summary file.
type candidate struct {
	name string
	vals [numCols]float64
}

// readCandidates reads the summary files of selection sel in dir: set → seed → candidates.
func readCandidates(dir, sel string) (map[string]map[int64][]candidate, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*--"+sel+"*.candidates.csv"))
	if err != nil {
		return nil, err
	}
	out := map[string]map[int64][]candidate{}
	for _, f := range files {
		set, name, seed, err := parseRunName(strings.TrimSuffix(filepath.Base(f), ".candidates.csv"))
		if err != nil || name != sel {
			continue
		}
		cands, err := readCandidateFile(f)
		if err != nil {
			return nil, err
		}
		if out[set] == nil {
			out[set] = map[int64][]candidate{}
		}
		out[set][seed] = cands
	}
	return out, nil
}

func readCandidateFile(path string) ([]candidate, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(io.LimitReader(f, 1<<20)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(recs) == 0 || !slices.Equal(recs[0], candidateHeader) {
		return nil, fmt.Errorf("%s: want the header %s", path, strings.Join(candidateHeader, ","))
	}
	var out []candidate
	for i, rec := range recs[1:] {
		c := candidate{name: rec[0]}
		for j := range c.vals {
			if c.vals[j], err = strconv.ParseFloat(rec[j+1], 64); err != nil {
				return nil, fmt.Errorf("%s: row %d, column %s: %w", path, i+2, candidateHeader[j+1], err)
			}
		}
		out = append(out, c)
	}
	return out, nil
}

// subSelection splits a model name NAME@A/B/C into the selection NAME and its candidates A, B, C;
// ok is false for any other name.
func subSelection(model string) (sel string, names []string, ok bool) {
	sel, list, at := strings.Cut(model, "@")
	if !at || !strings.Contains(list, "/") {
		return "", nil, false
	}
	return sel, strings.Split(list, "/"), true
}

// pick returns the candidate of names with the lowest validation NLL ("" when none is there):
// the one the selection among names would have kept (ties to the earlier, as trainer.Select).
func pick(cands []candidate, names []string) string {
	best, bestNLL := "", math.Inf(1)
	for _, c := range cands {
		if slices.Contains(names, c.name) && c.vals[colValNLL] < bestNLL {
			best, bestNLL = c.name, c.vals[colValNLL]
		}
	}
	return best
}

// costTable prints, per data set and candidate of selection sel, the mean over seeds of its
// parameters, epochs, seconds per epoch and sampling speed, from the summary files in dir.
func costTable(dir, sel string, w io.Writer) error {
	all, err := readCandidates(dir, sel)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "| data set | candidate | seeds | kept | parameters | epochs (best/run) | s per epoch | samples/s |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|---:|---:|")
	for _, set := range slices.Sorted(maps.Keys(all)) {
		bySeed := all[set]
		var order []string
		costs, kept := map[string][][numCols]float64{}, map[string]int{}
		for _, seed := range slices.Sorted(maps.Keys(bySeed)) {
			var names []string
			for _, c := range bySeed[seed] {
				if !slices.Contains(order, c.name) {
					order = append(order, c.name)
				}
				costs[c.name] = append(costs[c.name], c.vals)
				names = append(names, c.name)
			}
			kept[pick(bySeed[seed], names)]++
		}
		for _, name := range order {
			var col [numCols][]float64 // over the seeds
			for _, c := range costs[name] {
				for j := range col {
					col[j] = append(col[j], c[j])
				}
			}
			mean := func(j int) float64 { return stat.Mean(col[j], nil) }
			fmt.Fprintf(w, "| %s | %s | %d | %d | %.0f | %.0f/%.0f | %.3g | %.3g |\n", set, name, len(costs[name]), kept[name],
				mean(colParams), mean(colBestEpoch), mean(colEpochs), mean(colSecsPerEpoch), mean(colSamplesPerS))
		}
	}
	return nil
}
