package replay

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// maxIndex caps the size of an index.json.
const maxIndex = 16 << 20

// Entry is one recorded exchange of a bundle directory's index.json.
type Entry struct {
	Method      string `json:"method"`
	URL         string `json:"url"`
	Body        string `json:"body,omitempty"` // request body (POST)
	Status      int    `json:"status"`
	ContentType string `json:"content_type,omitempty"`
	File        string `json:"file,omitempty"` // response body, relative to the bundle directory
}

// Index returns a Transport named source over the bundle directory dir:
// dir/index.json lists Entry values (see the package doc). The index is
// read and checked at once, so a bad bundle fails before any request; an
// entry's file is read when a request asks for it.
func Index(source, dir string) (*Transport, error) {
	xs, err := readIndex(dir)
	if err != nil {
		return nil, fmt.Errorf("replay %s: %w", source, err)
	}
	return Exchanges(source, xs), nil
}

func readIndex(dir string) ([]Exchange, error) {
	path := filepath.Join(dir, "index.json")
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.Size() > maxIndex {
		return nil, fmt.Errorf("%s: %d bytes, over the %d allowed", path, fi.Size(), maxIndex)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var entries []Entry
	if err := json.Unmarshal(data, &entries); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	xs := make([]Exchange, 0, len(entries))
	for i, e := range entries {
		if e.URL == "" {
			return nil, fmt.Errorf("%s: entry %d: no url", path, i)
		}
		if e.File != "" && !filepath.IsLocal(filepath.FromSlash(e.File)) {
			return nil, fmt.Errorf("%s: entry %d (%s): file %q is not inside the bundle", path, i, e.URL, e.File)
		}
		x := Exchange{Method: strings.ToUpper(e.Method), URL: e.URL, Status: e.Status, Header: http.Header{}}
		if e.Body != "" {
			x.Body = []byte(e.Body)
		}
		if e.ContentType != "" {
			x.Header.Set("Content-Type", e.ContentType)
		}
		if e.File != "" {
			file := filepath.Join(dir, filepath.FromSlash(e.File))
			x.Open = func() ([]byte, error) { return os.ReadFile(file) }
		}
		xs = append(xs, x)
	}
	return xs, nil
}
