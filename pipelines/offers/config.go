package offers

import (
	"fmt"
	"time"

	"github.com/grunnlag/grunnlag/pipelines/config"
	"github.com/grunnlag/grunnlag/pipelines/needs"
	"github.com/grunnlag/grunnlag/pipelines/regions"
	"github.com/grunnlag/grunnlag/sources/offers"
)

// FromConfig returns Build options for the config's offers section: the
// mapping read, the shipped crosswalk and STYRK-08 list, and, when the
// config has a needs section, its company register for the providers.
// today is the reference date of municipality codes.
func FromConfig(c *config.Config, model *regions.Model, groups []regions.Group, today time.Time) (Options, error) {
	if c == nil || c.Offers == nil {
		return Options{}, fmt.Errorf("offers: the config has no offers section")
	}
	o := c.Offers
	opt := Options{File: o.Catalog, ErrorBudget: o.Budget(), Synthetic: o.Synthetic, Best: o.Best, Registers: o.Registers, Model: model, Groups: groups, Date: today}
	if o.Mapping != "" {
		m, err := offers.LoadMappingFile(o.Mapping)
		if err != nil {
			return Options{}, err
		}
		opt.Mapping = m
	}
	cw, err := needs.DefaultCrosswalk()
	if err != nil {
		return Options{}, err
	}
	opt.Crosswalk = cw
	occ, err := needs.DefaultOccupations()
	if err != nil {
		return Options{}, err
	}
	opt.Occupations = occ
	if c.Needs != nil {
		nopt, err := needs.FromConfig(c.Needs, model, groups, today)
		if err != nil {
			return Options{}, err
		}
		opt.Register = nopt.Register
	}
	return opt, nil
}
