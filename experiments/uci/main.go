// Command uci fits MADE, MAF-5, MAF-10, block-triangular and soft-mask flows to the real data sets
// of ../shared/data with the MAF paper's protocol (orders reversed between layers, early stopping
// on the validation split, test log-likelihood on the test split) and prints a markdown table:
// test log-likelihood in nats with ± 2 standard errors, training time and parameter count, and the
// command that reproduces each row. -folds K cross-validates instead: the pooled rows of a data
// set are cut into K folds, each tested once, so that small data sets are scored on all their rows.
//
//	go run ./experiments/uci -data power_subset,miniboone -models maf5
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
)

func main() {
	root := flag.String("root", "../shared/data", "folder of the data sets")
	data := flag.String("data", "all", "comma-separated data sets (folders of -root); all: every folder")
	models := flag.String("models", "made,maf5,maf10,block,soft,defaults", "models: "+strings.Join(modelNames(), ", ")+"; NAME+tNU: with a Student-t base of NU degrees of freedom, NAME+normal: with N(0, I)")
	epochs := flag.Int("epochs", 0, "maximum epochs (0: trainer.AutoEpochs, the 40,000-step budget of flow fit)")
	patience := flag.Int("patience", 30, "early-stopping patience (epochs)")
	fitEpochs := flag.Int("fit-epochs", 0, "maximum epochs of the models trained under flow fit's protocol (defaults…), as flow fit -epochs (0: trainer.AutoEpochs); write their scores to a folder of their own")
	maxTrain := flag.Int("max-train", 0, "use at most this many training rows (0: all)")
	seedList := flag.String("seed", "1", "seed of the weights and the shuffling, or a comma-separated list (every model with every seed)")
	shardFlag := flag.String("shard", "", "I/N: run task I of N of the sweep (data set × model × seed), for a scheduler's job array; default: SLURM_ARRAY_TASK_ID/COUNT or JOB_COMPLETION_INDEX/UCI_SHARDS when set, else everything. With -scores, a cell whose score file exists is skipped")
	scores := flag.String("scores", "", "folder to write every test row's log-likelihood to (SET--MODEL.csv; for a selection also every candidate's, SET--MODEL@CAND.csv, and their validation NLLs and costs, SET--MODEL.candidates.csv; -gap and -seeds read a sub-selection as MODEL@A/B/C)")
	gap := flag.String("gap", "", "print the defaults-to-best gap table (best of -models) from the scores in this folder and exit")
	folds := flag.Int("folds", 0, "K-fold cross-validation over the pooled train, val and test rows instead of the fixed splits (0: the fixed splits)")
	defaults := flag.String("defaults", "defaults", "with -gap: the model compared with the best of -models (e.g. defaults+normal)")
	seeds := flag.String("seeds", "", "print every model's test log-likelihood per seed from the scores in this folder and exit")
	costs := flag.String("costs", "", "print the cost of every candidate of the selections -models (parameters, epochs, seconds per epoch, samples/s) from the scores in this folder and exit")
	bounds := flag.String("bounds", "", "auto: every model gets the supports recipe.DetectBounds finds in the training rows ((0, 1) and (0, ∞) columns), as flow fit -bounds auto")
	modelsDir := flag.String("save-models", "", "folder to write every fitted model file to (SET--MODEL.json, with flow fit's meta)")
	dtype := flag.String("dtype", "float64", "precision of the training graphs: float64 or float32 (mixed precision, trainer.Settings.Float32)")
	flag.Parse()
	if *dtype != "float64" && *dtype != "float32" {
		fmt.Fprintf(os.Stderr, "uci: -dtype %q: want float64 or float32\n", *dtype)
		os.Exit(2)
	}
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "uci: unexpected argument %q\n", flag.Arg(0))
		os.Exit(2)
	}
	if *fitEpochs < 0 {
		fmt.Fprintf(os.Stderr, "uci: -fit-epochs %d: want 0 (trainer.AutoEpochs) or more\n", *fitEpochs)
		os.Exit(2)
	}
	if *folds != 0 && (*folds < 3 || *maxTrain > 0) {
		fmt.Fprintf(os.Stderr, "uci: -folds %d: want 0 or at least 3, and no -max-train\n", *folds)
		os.Exit(2)
	}
	if *gap != "" {
		fail(gapTable(*gap, *defaults, strings.Split(*models, ","), os.Stdout))
		return
	}
	if *costs != "" {
		for _, m := range strings.Split(*models, ",") {
			fail(costTable(*costs, m, os.Stdout))
		}
		return
	}
	if *seeds != "" {
		fail(seedTable(*seeds, strings.Split(*models, ","), os.Stdout))
		return
	}
	if *scores != "" {
		if err := os.MkdirAll(*scores, 0o755); err != nil {
			fail(fmt.Errorf("-scores: %w", err))
		}
	}
	seedValues, err := parseSeeds(*seedList)
	fail(err)
	sh, err := parseShard(*shardFlag, os.Getenv)
	fail(err)
	cfg := config{root: *root, epochs: *epochs, patience: *patience, fitEpochs: *fitEpochs, maxTrain: *maxTrain, scores: *scores, folds: *folds, float32: *dtype == "float32", models: *modelsDir, bounds: *bounds == "auto"}
	sets := strings.Split(*data, ",")
	if *data == "all" {
		sets, err = dataSets(*root)
		fail(err)
	}
	fail(cfg.sweep(cells(sets, strings.Split(*models, ","), seedValues), sh, os.Stdout, os.Stderr))
}

// fail ends the program with status 1 when err is not nil.
func fail(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "uci:", err)
		os.Exit(1)
	}
}
