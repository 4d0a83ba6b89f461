package pipelines

import (
	"fmt"
	"net/http"

	"github.com/grunnlag/grunnlag/pipelines/config"
	"github.com/grunnlag/grunnlag/sources/replay"
)

// bundleTransport serves a source from its bundle directory (the offline
// demo), in process and with no network, through sources/replay: a pxweb
// source from bundled whole cubes (replay.CubesTransport under the source's
// base URL), any other kind from recorded exchanges (replay.Index). It also
// returns the note put on the source's snapshots.
func bundleTransport(name string, sc *config.Source) (http.RoundTripper, string, error) {
	if sc.Kind == "pxweb" {
		t, err := replay.CubesTransport(sc.BaseURL, sc.Bundle)
		if err != nil {
			return nil, "", fmt.Errorf("source %s: bundle %s: %w", name, sc.Bundle, err)
		}
		return t, "served from bundled demo data (" + sc.Bundle + "), not fetched from " + sc.BaseURL, nil
	}
	t, err := replay.Index(sc.Kind, sc.Bundle)
	if err != nil {
		return nil, "", fmt.Errorf("source %s: bundle %s: %w", name, sc.Bundle, err)
	}
	return t, "served from bundled recorded responses (" + sc.Bundle + "), not fetched from the network", nil
}

// klassTransport serves KLASS from the bundle directory dir under base.
func klassTransport(base, dir string) (http.RoundTripper, error) {
	t, err := replay.KLASS(base, dir)
	if err != nil {
		return nil, fmt.Errorf("regions: bundle %s: %w", dir, err)
	}
	return t, nil
}
