package pipelines

import (
	"fmt"
	"net/http"

	"github.com/grunnlag/grunnlag/sources/replay"
)

// klassTransport serves KLASS from the bundle directory dir under base.
func klassTransport(base, dir string) (http.RoundTripper, error) {
	t, err := replay.KLASS(base, dir)
	if err != nil {
		return nil, fmt.Errorf("regions: bundle %s: %w", dir, err)
	}
	return t, nil
}
