package daemon

import (
	"time"

	"github.com/grunnlag/grunnlag/pipelines/config"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// Freshness states.
const (
	Fresh   = "fresh"
	Stale   = "stale"
	Unknown = "unknown" // no expect interval, or the source's date cannot be read
	Missing = "missing" // no version yet
)

// Freshness is one dataset's freshness.
type Freshness struct {
	Dataset       string    `json:"dataset"`
	State         string    `json:"state"`
	Version       string    `json:"version,omitempty"`
	SourceUpdated string    `json:"source_updated,omitempty"`
	Expect        string    `json:"expect,omitempty"`
	LastChecked   time.Time `json:"last_checked,omitzero"`
	LastError     string    `json:"last_error,omitempty"`
}

// CheckFreshness applies the rule of `grunnlag status` to every configured
// dataset: stale when now minus the source's last update (source_updated
// of the current version) exceeds the dataset's expect interval, fresh when
// not, unknown without an interval or a readable date, missing without a
// version.
func CheckFreshness(cfg *config.Config, cat *store.Catalog, now time.Time) []Freshness {
	var out []Freshness
	for _, id := range cfg.DatasetIDs() {
		d := cfg.Datasets[id]
		f := Freshness{Dataset: id, State: Missing}
		if d.Expect > 0 {
			f.Expect = d.Expect.String()
		}
		if e := cat.Datasets[id]; e != nil {
			f.LastChecked, f.LastError = e.LastChecked, e.LastError
			if v := e.CurrentVersion(); v != nil {
				f.Version, f.SourceUpdated = v.Stamp, v.SourceUpdated
				f.State = Unknown
				if t, err := time.Parse(time.RFC3339, v.SourceUpdated); err == nil && d.Expect > 0 {
					f.State = Fresh
					if now.Sub(t) > d.Expect {
						f.State = Stale
					}
				}
			}
		}
		out = append(out, f)
	}
	return out
}
