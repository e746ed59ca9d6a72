package dataset_test

import (
	"fmt"
	"strings"

	"github.com/affineflow/flow/dataset"
	"gonum.org/v1/gonum/mat"
)

func ExampleReadCSV() {
	in := "Voltage,Current,Hour\r\n230.5, 1.25,7\r\n229.0,0.5,8\r\n"
	tab, err := dataset.ReadCSV(strings.NewReader(in), "power.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(tab.Columns)
	fmt.Printf("%v\n", mat.Formatted(tab.X))

	data, context, _ := tab.Split([]string{"Voltage", "Current"})
	mean, std := dataset.MeanStd(data.X)
	fmt.Println(data.Columns, context.Columns, mean, std)
	// Output:
	// [Voltage Current Hour]
	// ⎡230.5   1.25      7⎤
	// ⎣  229    0.5      8⎦
	// [Voltage Current] [Hour] [229.75 0.875] [1.0606601717798212 0.5303300858899106]
}

func ExampleParseError() {
	in := "Voltage,Current\n230.5,1.25\n229.0,abc\n"
	_, err := dataset.ReadCSV(strings.NewReader(in), "power.csv")
	fmt.Println(err)
	// Output:
	// power.csv: line 3 (row 2), column 2 ("Current"): "abc" is not a number
}
