// Package chart draws the few charts earlywarn writes to files, as SVG, with gonum/plot.
package chart

import (
	"bytes"
	"fmt"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// Series is one named line of daily values.
type Series struct {
	Name   string
	Days   []time.Time
	Values []float64
}

// DailyLines renders series as a line chart over days and returns the SVG document.
func DailyLines(title, yLabel string, series []Series) ([]byte, error) {
	p := plot.New()
	p.Title.Text = title
	p.Y.Label.Text = yLabel
	p.Y.Min = 0
	p.X.Tick.Marker = plot.TimeTicks{Format: "2006-01-02"}
	p.Legend.Top = true
	p.Add(plotter.NewGrid())
	for i, s := range series {
		if len(s.Days) != len(s.Values) {
			return nil, fmt.Errorf("chart: series %s has %d days and %d values", s.Name, len(s.Days), len(s.Values))
		}
		xys := make(plotter.XYs, len(s.Days))
		for j, d := range s.Days {
			xys[j].X = float64(d.Unix())
			xys[j].Y = s.Values[j]
		}
		line, err := plotter.NewLine(xys)
		if err != nil {
			return nil, fmt.Errorf("chart: series %s: %w", s.Name, err)
		}
		line.Color = plotutil.Color(i)
		line.Width = vg.Points(1.2)
		p.Add(line)
		p.Legend.Add(s.Name, line)
	}
	w, err := p.WriterTo(24*vg.Centimeter, 12*vg.Centimeter, "svg")
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if _, err := w.WriteTo(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
