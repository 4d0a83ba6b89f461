package needs

import (
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/grunnlag/grunnlag/pipelines/config"
	"github.com/grunnlag/grunnlag/pipelines/regions"
	"github.com/grunnlag/grunnlag/sources/brreg"
	"github.com/grunnlag/grunnlag/sources/survey"
	"github.com/grunnlag/grunnlag/sources/wire"
)

// FromConfig returns Build options for the config's needs section: the
// mapping read, the register's bulk files loaded (they also give the
// register counts the weights are post-stratified to), a Brreg client for
// numbers the files do not hold when base_url is set (answered from
// recorded responses when bundle is set), and the shipped crosswalk.
// today is the latest allowed survey date.
func FromConfig(c *config.Needs, model *regions.Model, groups []regions.Group, today time.Time) (Options, error) {
	if c == nil {
		return Options{}, fmt.Errorf("needs: the config has no needs section")
	}
	opt := Options{Survey: c.Survey, Period: c.Period, ErrorBudget: c.Budget(), StratumLevel: c.Strata, Model: model,
		Target: model.Latest(), Groups: groups, Rule: Rule{MinFirms: c.MinFirms, Dominance: c.Dominance},
		Replicas: c.Replicas, Synthetic: c.Synthetic, Today: today}
	if c.Seed != nil {
		opt.Seed = *c.Seed
	}
	if c.Mapping != "" {
		m, err := survey.LoadMappingFile(c.Mapping)
		if err != nil {
			return Options{}, err
		}
		opt.Mapping = m
	}
	cw, err := DefaultCrosswalk()
	if err != nil {
		return Options{}, err
	}
	opt.Crosswalk = cw
	if c.Register == nil {
		return Options{}, fmt.Errorf("needs: the needs section has no register")
	}
	cache := brreg.NewCache()
	load := func(path string, kind brreg.Kind) error {
		f, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("needs: register: %w", err)
		}
		defer f.Close()
		if _, err := cache.LoadBulk(f, kind); err != nil {
			return fmt.Errorf("needs: register: %s: %w", path, err)
		}
		return nil
	}
	for _, p := range c.Register.Enheter {
		if err := load(p, brreg.LegalUnit); err != nil {
			return Options{}, err
		}
	}
	for _, p := range c.Register.Underenheter {
		if err := load(p, brreg.Establishment); err != nil {
			return Options{}, err
		}
	}
	reg := &brreg.Register{Cache: cache}
	if c.Register.BaseURL != "" {
		bo := brreg.Options{}
		if c.Register.Bundle != "" {
			rt, err := wire.Bundle("brreg", c.Register.Bundle)
			if err != nil {
				return Options{}, fmt.Errorf("needs: register: %w", err)
			}
			bo.HTTP = &http.Client{Transport: rt, Timeout: 30 * time.Second}
		}
		reg.Client = brreg.New(c.Register.BaseURL, bo)
	}
	opt.Register = reg
	opt.Population = PopulationFromRegister(cache, model, c.Strata, opt.Target)
	return opt, nil
}
