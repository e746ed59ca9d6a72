// Package plots draws the pictures a normalizing-flow experiment needs, with gonum/plot: the
// density of a 2-D model as a heat map (Density2D), a 2-D sample as a point cloud (Scatter), a
// layer's D×D dependency matrix (Matrix), and a grid of such plots written to one PNG file
// (SavePNG).
//
// Shapes and units: points are the rows of N×2 gonum matrices (column 0 is x, column 1 is y);
// log-densities are in nats. Density2D colours each grid cell by exp(log p) relative to the
// largest value on the grid (the colour scale runs linearly from 0 to that maximum), so the
// picture does not depend on whether the density is normalized, and cells whose log p is NaN or
// ±Inf are drawn as density 0.
//
// The functions return ordinary *plot.Plot values, so callers can still change axis ranges,
// labels or add plotters before saving. SavePNG renders in memory and replaces its target file
// atomically: after an error nothing is left at the path.
package plots
