package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/grunnlag/grunnlag/pipelines"
	"github.com/grunnlag/grunnlag/pipelines/config"
	"github.com/grunnlag/grunnlag/pipelines/regions"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// buildCmd is what the table-building subcommands (`survey build`,
// `offers build`) share: the flags --config, --error-budget and --wait, a
// config with the section the command builds from and a regions section,
// the region model, and the knowledge base opened and locked.
type buildCmd struct {
	name    string // "survey build"
	section string // the config section the command needs ("needs")
	hint    string // where that section is described, for the error
	// has reports whether the config has the section.
	has func(*config.Config) bool

	cf     commonFlags
	budget int
	wait   time.Duration
}

// builtEnv is a buildCmd's config and region model.
type builtEnv struct {
	cfg    *config.Config
	model  *regions.Model
	groups []regions.Group
	log    *slog.Logger
}

// setup parses args with the command's usage and help text and loads the
// config and the region model. A nil env comes with the exit code, the
// error already written to stderr.
func (b *buildCmd) setup(ctx context.Context, e *env, args []string, usage, help, budgetHelp string) (*builtEnv, int) {
	fs := newFlagSet(e, b.name, usage, help)
	b.cf.register(fs)
	fs.IntVar(&b.budget, "error-budget", -1, budgetHelp)
	fs.DurationVar(&b.wait, "wait", 0, "vent så lenge på en annen kjøring som holder kunnskapsbasen")
	pos, done, code := parseArgs(fs, args)
	if done {
		return nil, code
	}
	if len(pos) > 0 {
		fs.Usage()
		return nil, exitUsage
	}
	cfg, code := loadConfig(e, b.cf.config)
	if cfg == nil {
		return nil, code
	}
	if !b.has(cfg) {
		fmt.Fprintf(e.stderr, "grunnlag %s: %s har ingen %s-del (%s)\n", b.name, b.cf.config, b.section, b.hint)
		return nil, exitConfig
	}
	if cfg.Regions == nil {
		fmt.Fprintf(e.stderr, "grunnlag %s: %s har ingen regions-del (kommunemodellen fra KLASS trengs)\n", b.name, b.cf.config)
		return nil, exitConfig
	}
	model, groups, err := pipelines.LoadRegions(ctx, cfg.Regions)
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag %s: %v\n", b.name, err)
		return nil, exitConfig
	}
	return &builtEnv{cfg: cfg, model: model, groups: groups, log: b.cf.logger(e.stderr)}, exitOK
}

// open opens the knowledge base of cfg and takes its lock, waiting up to
// --wait for another run. A nil store comes with the exit code, the error
// already written to stderr; otherwise the caller must call unlock.
func (b *buildCmd) open(ctx context.Context, e *env, cfg *config.Config) (st *store.Store, unlock func(), code int) {
	st, err := store.Open(cfg.KB)
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag %s: %v\n", b.name, err)
		return nil, nil, exitKB
	}
	lockCtx, cancel := context.WithTimeout(ctx, b.wait)
	unlock, err = st.Lock(lockCtx)
	cancel()
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag %s: %v\n", b.name, err)
		return nil, nil, exitKB
	}
	return st, unlock, exitOK
}
