package book

import (
	"context"
	"fmt"
	"math"
	"path"
	"strings"

	"github.com/grunnlag/grunnlag/charts"
	"gonum.org/v1/plot/plotter"
)

// Charts writes the national chart set, each chart as PNG, SVG and the
// CSV of its numbers, named <indicator>/<kind>.<ext>:
//
//	<indicator>/kommune, fylke, gruppe   ranked bars, latest period, nation as reference
//	<indicator>/kart                     choropleth of municipalities (when in.Map is set)
//	<indicator>/intervall                dot/interval plot of counties and groupings (survey indicators)
//	avviksindeks-fylker                  heatmap of counties × indicators (gap index, nation = 100)
//
// write is called concurrently, as in Build. With opts.Draw set, only the
// chart sets it selects are drawn: an indicator's by its ID, the heatmap
// by [HeatmapChart] (the others are left to the caller, who carries the
// files of an unchanged set over).
func Charts(ctx context.Context, in *Input, opts Options, write func(rel string, data []byte) error) (*Summary, error) {
	d, err := opts.Index.datasetFor(in)
	if err != nil {
		return nil, err
	}
	all := []charts.Format{charts.PNG, charts.SVG, charts.CSV}
	var jobs []charts.Job
	for i := range in.Indicators {
		ind := &in.Indicators[i]
		if opts.Draw != nil && !opts.Draw(ind.ID) {
			continue
		}
		_, js := d.indicatorPage(ind)
		for _, j := range js {
			base := path.Base(j.Name) // <id>-<level> or <id>-kart
			kind := strings.TrimPrefix(base, fileName(ind.ID)+"-")
			jobs = append(jobs, charts.Job{Name: fileName(ind.ID) + "/" + kind, Chart: j.Chart, Formats: all})
		}
		if ind.Survey {
			if c := d.intervals(ind); c != nil {
				jobs = append(jobs, charts.Job{Name: fileName(ind.ID) + "/intervall", Chart: c, Formats: all})
			}
		}
	}
	var counties []*Region
	for _, r := range d.regions {
		if r.Level == LevelCounty {
			counties = append(counties, r)
		}
	}
	if len(counties) > 0 && (opts.Draw == nil || opts.Draw(HeatmapChart)) {
		nation := d.byCode[NationCode]
		if nation == nil {
			nation = &Region{Code: NationCode, Name: d.nationLabel()}
		}
		if c := d.heatmap(nation, counties); c != nil {
			h := c.(*charts.Heatmap)
			h.Title = d.text().HeatCounties
			jobs = append(jobs, charts.Job{Name: HeatmapChart, Chart: h, Formats: all})
		}
	}
	sum := &Summary{Charts: len(jobs)}
	err = renderJobs(ctx, jobs, opts.Workers, write)
	if err != nil {
		return nil, fmt.Errorf("book: charts: %w", err)
	}
	sum.Files = 3 * len(jobs)
	return sum, nil
}

// HeatmapChart is the name of the chart set's county heatmap (its files
// are HeatmapChart + ".png", ".svg", ".csv"); an indicator's charts are
// under [ChartDir] of its ID.
const HeatmapChart = "avviksindeks-fylker"

// ChartDir is the folder of an indicator's charts in the chart set.
func ChartDir(id string) string { return fileName(id) }

// intervals draws a survey indicator's counties and groupings with their
// intervals in the latest period.
func (d *dataset) intervals(ind *Indicator) charts.Chart {
	byReg := d.data[ind.ID]
	latest := ""
	for _, byCat := range byReg {
		if s := byCat[""]; s != nil {
			if l := s.latest(); l > latest {
				latest = l
			}
		}
	}
	if latest == "" {
		return nil
	}
	var labels []string
	var v, lo, hi plotter.Values
	for _, r := range d.regions {
		if r.Level != LevelCounty && r.Level != LevelGrouping {
			continue
		}
		s := byReg[r.Code][""]
		p := s.at(latest)
		if !p.ok() {
			continue
		}
		labels = append(labels, r.Name)
		v, lo, hi = append(v, p.value()), append(lo, p.ciLow()), append(hi, p.ciHigh())
	}
	if len(labels) == 0 {
		return nil
	}
	nation := math.NaN()
	if p := byReg[NationCode][""].at(latest); p.ok() {
		nation = p.value()
	}
	c := &charts.DotInterval{Meta: d.meta(ind, ind.Title, d.period(latest)+", "+d.text().CI95), Labels: labels, Values: v, Low: lo, High: hi,
		Reference: nation, RefLabel: d.nationLabel()}
	c.XLabel = d.axisLabel(ind)
	if len(labels) > 12 {
		c.Height = charts.DefaultHeight + vgLines(len(labels)-12)
	}
	return c
}
