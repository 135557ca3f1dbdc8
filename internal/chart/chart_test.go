package chart

import (
	"bytes"
	"encoding/xml"
	"testing"
	"time"
)

func TestDailyLinesIsAnSVGWithEverySeries(t *testing.T) {
	day := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	s := []Series{
		{Name: "重复访", Days: []time.Time{day, day.AddDate(0, 0, 1)}, Values: []float64{3, 5}},
		{Name: "stalled", Days: []time.Time{day, day.AddDate(0, 0, 1)}, Values: []float64{1, 0}},
	}
	svg, err := DailyLines("每日预警事项", "事项数", s)
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(svg, new(struct{ XMLName xml.Name })); err != nil {
		t.Fatalf("not well-formed XML: %v", err)
	}
	for _, want := range []string{"<svg", "每日预警事项", "重复访", "stalled", "2025-01-01"} {
		if !bytes.Contains(svg, []byte(want)) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	if _, err := DailyLines("x", "y", []Series{{Name: "bad", Days: []time.Time{day}}}); err == nil {
		t.Error("a series with fewer values than days was accepted")
	}
}
