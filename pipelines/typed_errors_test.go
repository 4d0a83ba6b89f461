package pipelines

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/sources/httpx"
	"github.com/grunnlag/grunnlag/sources/pxweb/pxwebtest"
)

// TestRefreshErrorStaysTyped: the error Refresh returns for a failed
// dataset is the source's typed error, wrapped (errors.As finds the
// *httpx.HTTPError with its status and full URL), not a string rebuilt from
// its message; the run record's dataset carries it too.
func TestRefreshErrorStaysTyped(t *testing.T) {
	env := newRefreshEnv(t, demoBundle, pxwebtest.Options{
		Faults: func(endpoint string, n int, r *http.Request) *pxwebtest.Fault {
			if endpoint == "data" {
				return &pxwebtest.Fault{Status: http.StatusBadRequest, Detail: "Value xxx is not a valid value code for variable Region"}
			}
			return nil
		},
	})
	run, err := env.refresher(t, "").Refresh(context.Background(), RefreshOptions{})
	var he *httpx.HTTPError
	if !errors.As(err, &he) || he.Status != http.StatusBadRequest || !strings.Contains(he.URL, "/tables/10540/data") {
		t.Fatalf("Refresh error = %v, want it to wrap the *httpx.HTTPError 400 of the data request", err)
	}
	if len(run.Datasets) != 1 || !errors.As(run.Datasets[0].Err, &he) {
		t.Errorf("run dataset error = %v, want the typed error", run.Datasets[0].Err)
	}
}
