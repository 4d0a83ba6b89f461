package replay

import (
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// KLASS returns a Transport named "klass" over the KLASS answers in dir,
// served under base (the API's base URL, e.g.
// https://data.ssb.no/api/klass/v1): each file <dir>/<path>/<query>.json
// answers GET <base>/<path>?<query> (see the package doc) with status 200
// and Content-Type application/json. The directory is walked at once, so
// a missing directory or a file name that is not a query string fails here.
func KLASS(base, dir string) (*Transport, error) {
	xs, err := klassExchanges(base, dir)
	if err != nil {
		return nil, fmt.Errorf("replay klass: %w", err)
	}
	return Exchanges("klass", xs), nil
}

func klassExchanges(base, dir string) ([]Exchange, error) {
	base = strings.TrimSuffix(base, "/")
	if _, err := url.Parse(base); err != nil {
		return nil, fmt.Errorf("base url: %w", err)
	}
	var xs []Exchange
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(d.Name(), ".json") {
			return nil
		}
		rel, err := filepath.Rel(dir, filepath.Dir(p))
		if err != nil {
			return err
		}
		if rel == "." {
			return nil // a file at the top is not an answer
		}
		q := strings.TrimSuffix(d.Name(), ".json")
		if q == "_" {
			q = ""
		} else if _, err := url.ParseQuery(q); err != nil {
			return fmt.Errorf("%s: the file name is not a query string: %w", p, err)
		}
		u := base + "/" + filepath.ToSlash(rel)
		if q != "" {
			u += "?" + q
		}
		file := p
		xs = append(xs, Exchange{
			Method: http.MethodGet,
			URL:    u,
			Header: http.Header{"Content-Type": {"application/json;charset=UTF-8"}},
			Open:   func() ([]byte, error) { return os.ReadFile(file) },
		})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return xs, nil
}
