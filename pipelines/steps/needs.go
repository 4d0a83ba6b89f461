package steps

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/grunnlag/grunnlag/pipelines"
	"github.com/grunnlag/grunnlag/pipelines/build"
	"github.com/grunnlag/grunnlag/pipelines/config"
	"github.com/grunnlag/grunnlag/pipelines/dag"
	"github.com/grunnlag/grunnlag/pipelines/harmonise"
	"github.com/grunnlag/grunnlag/pipelines/needs"
	"github.com/grunnlag/grunnlag/pipelines/regions"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// The needs step's dag inputs are the harmonise step (every harmonised
// dataset) and the survey step, so a change of any harmonised dataset runs
// it. Inside, it keys what it reads at a finer grain:
//
//	needsInputsVersion, the step's code (needs.CodeVersion and the
//	executable's identity), the config's needs section, the survey step's
//	identity (survey, mapping and register files), the register's bundle
//	of recorded answers, the date of "today", the regions section, the
//	KLASS bundle, the groupings, the region model on the target vintage
//	and its splits, the harmonise code and the split weights' version,
//	each supply dataset (needs.SupplyDatasets) with its current version
//	and harmonised layer (stamp, content sha256, synthetic), and the
//	suppression history (secure/needs/suppression.json)
//
// When that key equals the one of its last successful build (kept with
// that build's output identity and dataset versions in
// <kb>/state/needs-inputs.json) and those versions are still current and
// whole, the step does nothing and returns the same output identity with
// outcome "unchanged": the steps after it see no change and skip too. An
// unknown executable identity never reuses.

// needsInputsVersion is mixed into the needs step's input key; bump it when
// the recipe changes.
const needsInputsVersion = "grunnlag-needs-inputs/1"

// needsState is <kb>/state/needs-inputs.json: the input key of the needs
// step's last successful build, the output identity the DAG recorded for
// it, and what it published.
type needsState struct {
	Version string `json:"version"`
	Key     string `json:"key"`
	Output  string `json:"output"`
	Period  string `json:"period"`
	Needs   string `json:"needs"`  // stamp of needs.DatasetNeeds
	Supply  string `json:"supply"` // stamp of needs.DatasetSupply
}

func needsStatePath(st *store.Store) string {
	return filepath.Join(st.Root(), "state", "needs-inputs.json")
}

// needsStepCode is the needs step's code version in the DAG:
// needs.CodeVersion and the hash of the config's needs section, so that a
// changed section (a new rule, seed or file) runs the step.
func needsStepCode(n *config.Needs) string {
	b, err := json.Marshal(n)
	if err != nil {
		return needs.CodeVersion // plain data: does not happen
	}
	sum := sha256.Sum256(b)
	return needs.CodeVersion + "+" + hex.EncodeToString(sum[:])[:16]
}

// needsStep is the needs step with its code identity ("" never reuses).
type needsStep struct {
	d    Deps
	code string
}

// needsCode is the needs step's code identity: needs.CodeVersion and the
// executable's (which holds the embedded crosswalk); "" when the
// executable is unknown.
func needsCode() string {
	id := build.CodeIdentity()
	if id == "" {
		return ""
	}
	return needs.CodeVersion + "+" + id
}

// run builds the company-needs datasets unless nothing the build reads
// changed since its last success (see the comment above needsInputsVersion).
func (s needsStep) run(ctx context.Context, in *dag.Input) (*dag.Output, error) {
	d := s.d
	model, groups, err := pipelines.RunRegions(ctx, in, d.Config.Regions)
	if err != nil {
		return nil, err
	}
	today := d.today()
	key, err := s.inputKey(in, model, groups, today)
	if err != nil {
		return nil, err
	}
	if prev, ok := s.reusable(key); ok {
		return &dag.Output{ID: prev.Output, Outcome: "unchanged",
			Detail: fmt.Sprintf("gjenbrukt: ingenting steget leser er endret (%s %s, %s %s)", needs.DatasetNeeds, prev.Needs, needs.DatasetSupply, prev.Supply)}, nil
	}
	// Whatever happens below, the previous key no longer describes the
	// published datasets once the build starts writing.
	_ = os.Remove(needsStatePath(d.Store))
	opt, err := needs.FromConfig(d.Config.Needs, model, groups, today)
	if err != nil {
		return nil, err
	}
	opt.Logger = d.Logger
	res, err := needs.Build(ctx, d.Store, opt)
	if err != nil {
		return nil, err
	}
	out := &dag.Output{Outcome: "built", Detail: fmt.Sprintf("%d svar fra %d virksomheter, %d celler, %d prikket", res.Accepted, res.Firms, res.Cells, res.Suppressed)}
	if key == "" || in.Key == "" || res.Needs == nil || res.Supply == nil {
		return out, nil
	}
	// The build rewrote the suppression history: the key of what the
	// next run will find is taken now.
	if key, err = s.inputKey(in, model, groups, today); err != nil || key == "" {
		return out, nil
	}
	st := needsState{Version: needsInputsVersion, Key: key, Output: in.Key, Period: res.Period, Needs: res.Needs.Stamp, Supply: res.Supply.Stamp}
	if err := store.WriteJSON(needsStatePath(d.Store), st); err != nil {
		if d.Logger != nil {
			d.Logger.Warn("needs step: input key not kept, the next run builds again", "err", err)
		}
	}
	return out, nil
}

// reusable returns the last build's state when its key is key and what it
// published is still current and whole.
func (s needsStep) reusable(key string) (needsState, bool) {
	if key == "" {
		return needsState{}, false
	}
	b, err := os.ReadFile(needsStatePath(s.d.Store))
	if err != nil {
		return needsState{}, false
	}
	var prev needsState
	if json.Unmarshal(b, &prev) != nil || prev.Version != needsInputsVersion || prev.Key != key || prev.Output == "" {
		return needsState{}, false
	}
	cat, err := s.d.Store.Catalog()
	if err != nil {
		return needsState{}, false
	}
	for id, stamp := range map[string]string{needs.DatasetNeeds: prev.Needs, needs.DatasetSupply: prev.Supply} {
		v := cat.Datasets[id].CurrentVersion()
		if v == nil || v.Stamp != stamp || s.d.Store.VerifyVersion(id, v) != nil {
			return needsState{}, false
		}
	}
	// The firm-level files of the period, in the secure zone.
	if _, err := os.Stat(filepath.Join(s.d.Store.Root(), "secure", "needs", prev.Period, "firms.csv")); err != nil {
		return needsState{}, false
	}
	return prev, true
}

// inputKey is the hash of everything the needs build reads (see the
// comment above needsInputsVersion); "" when the step's code identity is
// unknown.
func (s needsStep) inputKey(in *dag.Input, model *regions.Model, groups []regions.Group, today time.Time) (string, error) {
	d := s.d
	if s.code == "" || in == nil || in.Inputs["survey"] == "" {
		return "", nil
	}
	cat, err := d.Store.Catalog()
	if err != nil {
		return "", err
	}
	h := sha256.New()
	add := func(parts ...any) error {
		for _, p := range parts {
			b, err := json.Marshal(p)
			if err != nil {
				return fmt.Errorf("needs: input key: %w", err)
			}
			h.Write(b)
			h.Write([]byte{0})
		}
		return nil
	}
	target := model.Latest()
	if err := add(needsInputsVersion, s.code, d.Config.Needs, in.Inputs["survey"], today.Format(time.DateOnly),
		d.Config.Regions, groups, target.Format(time.DateOnly), model.Regions("", target), model.Splits(),
		harmonise.CodeVersion, versionID(cat.Datasets[harmonise.WeightsDataset].CurrentVersion())); err != nil {
		return "", err
	}
	if r := d.Config.Needs.Register; r != nil && r.Bundle != "" {
		if err := hashTree(h, r.Bundle); err != nil {
			return "", fmt.Errorf("needs: register bundle: %w", err)
		}
	}
	if d.Config.Regions.Bundle != "" {
		if err := hashTree(h, d.Config.Regions.Bundle); err != nil {
			return "", fmt.Errorf("needs: regions bundle: %w", err)
		}
	}
	for _, id := range needs.SupplyDatasets(cat) {
		if err := add(id, versionID(cat.Datasets[id].CurrentVersion()),
			versionID(cat.Datasets[store.LayerID(store.HarmonisedLayer, id)].CurrentVersion())); err != nil {
			return "", err
		}
	}
	sup, err := os.ReadFile(filepath.Join(d.Store.Root(), "secure", "needs", "suppression.json"))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		h.Write([]byte("no suppression history\x00"))
	case err != nil:
		return "", fmt.Errorf("needs: input key: %w", err)
	default:
		sum := sha256.Sum256(sup)
		h.Write(sum[:])
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// versionID is what identifies a dataset version's data: its stamp,
// content sha256 and synthetic flag ("-" when there is none).
func versionID(v *store.Version) string {
	if v == nil {
		return "-"
	}
	return fmt.Sprintf("%s %s %t", v.Stamp, v.ContentSHA256, v.Synthetic)
}

// hashTree writes the relative path, size and content of every regular
// file under root to h, in lexical order.
func hashTree(h io.Writer, root string) error {
	return filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil || !e.Type().IsRegular() {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		fmt.Fprintf(h, "%s\x00", filepath.ToSlash(rel))
		n, err := io.Copy(h, f)
		fmt.Fprintf(h, "\x00%d\x00", n)
		return err
	})
}
