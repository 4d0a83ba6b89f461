package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/grunnlag/grunnlag/pipelines"
	"github.com/grunnlag/grunnlag/pipelines/config"
	"github.com/grunnlag/grunnlag/pipelines/regions"
	"github.com/grunnlag/grunnlag/sources/klass"
)

// regionSource says where the region model comes from: the config's
// regions section (its bundle and groups resolved relative to the config
// file), with --klass and --groups as explicit overrides. The working
// directory is never consulted for a default.
type regionSource struct {
	config     string         // --config
	configSet  bool           // --config given explicitly
	klassDir   string         // --klass; "" => regions.bundle (or the KLASS API)
	groupsFile string         // --groups; "" => regions.groups
	cfg        *config.Config // the config, when the command has read it already
}

// load reads the config when it is needed (always, unless --klass is given
// and --config is not) and builds the model and groupings.
func (s regionSource) load(ctx context.Context) (*regions.Model, []regions.Group, error) {
	var rc config.Regions
	haveConfig := false
	cfg := s.cfg
	if cfg == nil && (s.klassDir == "" || s.configSet) {
		var err error
		cfg, err = config.Load(s.config)
		if err != nil {
			if s.klassDir == "" && !s.configSet && errors.Is(err, os.ErrNotExist) {
				return nil, nil, fmt.Errorf("fant ikke konfigurasjonen %s; oppgi --config FIL (for eksempel testdata/demo/grunnlag.yaml) eller --klass KATALOG: %w", s.config, err)
			}
			return nil, nil, err
		}
	}
	if cfg != nil && cfg.Regions != nil {
		rc, haveConfig = *cfg.Regions, true
	}
	if !haveConfig {
		if s.klassDir == "" {
			return nil, nil, fmt.Errorf("konfigurasjonen %s har ingen regions-del (for eksempel regions: {bundle: ../klass}); oppgi den eller --klass KATALOG", s.config)
		}
		rc = config.Regions{KLASS: klass.DefaultBaseURL, From: regionsBundleFrom.Format(klass.DateLayout), To: regionsBundleTo.Format(klass.DateLayout)}
	}
	if s.klassDir != "" {
		if fi, err := os.Stat(s.klassDir); err != nil || !fi.IsDir() {
			return nil, nil, fmt.Errorf("--klass %s er ikke en katalog", s.klassDir)
		}
		rc.Bundle = s.klassDir
	}
	if s.groupsFile != "" {
		rc.Groups = s.groupsFile
	}
	return pipelines.LoadRegions(ctx, &rc)
}

// derivedCountiesNote says where the counties of the region model come
// from: regions.Load derives them from KLASS 131 (the bundled KLASS copy
// holds no answers of the county classification 104, testdata/klass).
const derivedCountiesNote = "fylkene er avledet av kommunenumrene i KLASS 131 (de to første sifrene); " +
	"KLASS 104 er ikke lest, og den medfølgende KLASS-kopien har ingen svar fra den. " +
	"Fylkesnavnene er fra Kartverkets fylkesfiler (2020, 2024) og SSBs regionliste (før 2020)."

// noteDerivedCounties tells the user, on w, that the counties were derived
// from the municipality codes (no KLASS 104 answers are read).
func noteDerivedCounties(w io.Writer, m *regions.Model) {
	if m.CountiesDerived() {
		fmt.Fprintln(w, "merk: "+derivedCountiesNote)
	}
}
