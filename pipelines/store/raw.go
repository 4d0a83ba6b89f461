package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/klauspost/compress/zstd"

	"github.com/grunnlag/grunnlag/sources/replay"
)

// Snapshot is one response body to keep, with the facts of the fetch that
// returned it.
type Snapshot struct {
	Body []byte
	Ext  string // file extension without dot ("json", "csv", "px"); "" => "bin"
	Meta SnapshotMeta
}

// SnapshotMeta describes one fetch of a snapshot body.
type SnapshotMeta struct {
	URL         string
	Method      string // "" => GET
	RequestBody []byte // nil for none
	Status      int
	// Header is the response header. Only Content-Type, Last-Modified, ETag
	// and Date are kept.
	Header      http.Header
	FetchedAt   time.Time
	Licence     string
	Attribution string
	Note        string // free text, e.g. "served from bundled demo data"
}

// keptHeaders are the response headers a sidecar records (canonical form).
var keptHeaders = []string{"Content-Type", "Last-Modified", "Etag", "Date"}

// fetchJSON is the sidecar form of a SnapshotMeta.
type fetchJSON struct {
	URL               string            `json:"url"`
	Method            string            `json:"method"`
	RequestBody       string            `json:"request_body,omitempty"`
	RequestBodyBase64 string            `json:"request_body_base64,omitempty"`
	Status            int               `json:"status"`
	Headers           map[string]string `json:"headers,omitempty"`
	FetchedAt         time.Time         `json:"fetched_at"`
	Licence           string            `json:"licence,omitempty"`
	Attribution       string            `json:"attribution,omitempty"`
	Note              string            `json:"note,omitempty"`
}

// MarshalJSON writes the sidecar form: the request body as text when it is
// valid UTF-8 JSON, else base64; header names in lower case.
func (m SnapshotMeta) MarshalJSON() ([]byte, error) {
	f := fetchJSON{
		URL:         m.URL,
		Method:      m.Method,
		Status:      m.Status,
		FetchedAt:   m.FetchedAt.UTC(),
		Licence:     m.Licence,
		Attribution: m.Attribution,
		Note:        m.Note,
	}
	if f.Method == "" {
		f.Method = http.MethodGet
	}
	if len(m.RequestBody) > 0 {
		if utf8.Valid(m.RequestBody) && json.Valid(m.RequestBody) {
			f.RequestBody = string(m.RequestBody)
		} else {
			f.RequestBodyBase64 = base64.StdEncoding.EncodeToString(m.RequestBody)
		}
	}
	for _, k := range keptHeaders {
		if v := m.Header.Values(k); len(v) > 0 {
			if f.Headers == nil {
				f.Headers = map[string]string{}
			}
			f.Headers[strings.ToLower(k)] = strings.Join(v, ", ")
		}
	}
	return json.Marshal(f)
}

// UnmarshalJSON reads the sidecar form written by MarshalJSON.
func (m *SnapshotMeta) UnmarshalJSON(data []byte) error {
	var f fetchJSON
	if err := json.Unmarshal(data, &f); err != nil {
		return err
	}
	*m = SnapshotMeta{
		URL:         f.URL,
		Method:      f.Method,
		Status:      f.Status,
		FetchedAt:   f.FetchedAt,
		Licence:     f.Licence,
		Attribution: f.Attribution,
		Note:        f.Note,
	}
	switch {
	case f.RequestBody != "":
		m.RequestBody = []byte(f.RequestBody)
	case f.RequestBodyBase64 != "":
		b, err := base64.StdEncoding.DecodeString(f.RequestBodyBase64)
		if err != nil {
			return fmt.Errorf("request_body_base64: %w", err)
		}
		m.RequestBody = b
	}
	if len(f.Headers) > 0 {
		m.Header = http.Header{}
		for k, v := range f.Headers {
			m.Header.Set(k, v)
		}
	}
	return nil
}

// Sidecar is the content of a <sha>.meta.json file.
type Sidecar struct {
	SHA256 string `json:"sha256"`
	Source string `json:"source"`
	Ext    string `json:"ext"`
	Bytes  int64  `json:"bytes"` // of the body, uncompressed
	// Compression is how the body file is stored: "zstd" (the file is
	// <sha>.<ext>.zst) or "" (uncompressed <sha>.<ext>, as every body
	// stored before grunnlag compressed them). The sha256 is always of
	// the uncompressed body.
	Compression string         `json:"compression,omitempty"`
	Fetches     []SnapshotMeta `json:"fetches"` // in the order recorded; the last is the latest
}

// CompressZstd is Sidecar.Compression for a zstd-compressed body.
const CompressZstd = "zstd"

// bodyFile is the name of the body file a sidecar describes.
func (sc *Sidecar) bodyFile() string {
	if sc.Compression == CompressZstd {
		return sc.SHA256 + "." + sc.Ext + ".zst"
	}
	return sc.SHA256 + "." + sc.Ext
}

// zstd coders, shared (both are safe for concurrent use through
// EncodeAll and DecodeAll).
var (
	zstdOnce sync.Once
	zstdEnc  *zstd.Encoder
	zstdDec  *zstd.Decoder
	zstdErr  error
)

func zstdCoders() (*zstd.Encoder, *zstd.Decoder, error) {
	zstdOnce.Do(func() {
		if zstdEnc, zstdErr = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedDefault)); zstdErr != nil {
			return
		}
		zstdDec, zstdErr = zstd.NewReader(nil, zstd.WithDecoderConcurrency(0))
	})
	return zstdEnc, zstdDec, zstdErr
}

// readBody reads the body file of sc in dir, decompresses it and checks it
// against its sha256.
func (s *Store) readBody(dir string, sc *Sidecar) ([]byte, error) {
	path := filepath.Join(dir, sc.bodyFile())
	body, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if sc.Compression == CompressZstd {
		_, dec, err := zstdCoders()
		if err != nil {
			return nil, err
		}
		if body, err = dec.DecodeAll(body, nil); err != nil {
			return nil, &replay.CorruptError{Source: sc.Source, Snapshot: s.rel(path), Err: fmt.Errorf("zstd: %w", err)}
		}
	} else if sc.Compression != "" {
		return nil, fmt.Errorf("%s: unknown compression %q", s.rel(path), sc.Compression)
	}
	if sum := sha256.Sum256(body); hex.EncodeToString(sum[:]) != sc.SHA256 {
		return nil, &replay.CorruptError{Source: sc.Source, Snapshot: s.rel(path), Err: fmt.Errorf("body does not match its sha256 %s", sc.SHA256)}
	}
	return body, nil
}

// Latest returns the fetch with the latest FetchedAt (the later recorded one
// on a tie), or nil if there is none.
func (sc *Sidecar) Latest() *SnapshotMeta {
	var best *SnapshotMeta
	for i := range sc.Fetches {
		f := &sc.Fetches[i]
		if best == nil || !f.FetchedAt.Before(best.FetchedAt) {
			best = f
		}
	}
	return best
}

func cleanExt(ext string) (string, error) {
	ext = strings.TrimPrefix(strings.ToLower(ext), ".")
	if ext == "" {
		return "bin", nil
	}
	for i := 0; i < len(ext); i++ {
		c := ext[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' && i > 0) {
			return "", fmt.Errorf("invalid extension %q", ext)
		}
	}
	return ext, nil
}

func validSHA(sha string) bool {
	if len(sha) != 64 {
		return false
	}
	_, err := hex.DecodeString(sha)
	return err == nil && strings.ToLower(sha) == sha
}

func (s *Store) rawDir(source, sha string) string {
	return filepath.Join(s.root, "raw", source, sha[:2])
}

// PutRaw stores snap's body under raw/<source>/, zstd-compressed, and
// records the fetch in the sidecar. The body is written only if no file
// with that hash exists (a body stored uncompressed by an older grunnlag
// stays as it is); the fetch is appended to the sidecar unless an
// identical fetch is already recorded. It returns the body's sha256 in
// lower-case hex.
func (s *Store) PutRaw(source string, snap Snapshot) (sha string, err error) {
	if !validName(source) {
		return "", fmt.Errorf("store: put raw: invalid source name %q", source)
	}
	ext, err := cleanExt(snap.Ext)
	if err != nil {
		return "", fmt.Errorf("store: put raw %s: %w", source, err)
	}
	sum := sha256.Sum256(snap.Body)
	sha = hex.EncodeToString(sum[:])
	dir := s.rawDir(source, sha)

	s.mu.Lock()
	defer s.mu.Unlock()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("store: put raw %s %s: %w", source, sha, err)
	}
	sc, err := s.readSidecar(source, sha)
	switch {
	case errors.Is(err, os.ErrNotExist):
		sc = &Sidecar{SHA256: sha, Source: source, Ext: ext, Bytes: int64(len(snap.Body)), Compression: CompressZstd}
	case err != nil:
		return "", err
	}
	// The body keeps the extension and compression of its first store.
	body := filepath.Join(dir, sc.bodyFile())
	if _, err := os.Stat(body); errors.Is(err, os.ErrNotExist) {
		data := snap.Body
		if sc.Compression == CompressZstd {
			enc, _, err := zstdCoders()
			if err != nil {
				return "", fmt.Errorf("store: put raw %s: %w", source, err)
			}
			data = enc.EncodeAll(snap.Body, make([]byte, 0, len(snap.Body)/4))
		}
		if err := WriteFileAtomic(body, func(w io.Writer) error {
			_, err := w.Write(data)
			return err
		}); err != nil {
			return "", fmt.Errorf("store: put raw %s: %w", source, err)
		}
	} else if err != nil {
		return "", fmt.Errorf("store: put raw %s %s: %w", source, sha, err)
	}

	newFetch, err := json.Marshal(snap.Meta)
	if err != nil {
		return "", fmt.Errorf("store: put raw %s %s: %w", source, sha, err)
	}
	for _, f := range sc.Fetches {
		old, err := json.Marshal(f)
		if err == nil && bytes.Equal(old, newFetch) {
			return sha, nil // this fetch is already recorded
		}
	}
	// Round-trip the new fetch so the in-memory form equals the stored one.
	var m SnapshotMeta
	if err := json.Unmarshal(newFetch, &m); err != nil {
		return "", fmt.Errorf("store: put raw %s %s: %w", source, sha, err)
	}
	sc.Fetches = addFetch(sc.Fetches, m)
	if err := WriteJSON(filepath.Join(dir, sha+".meta.json"), sc); err != nil {
		return "", fmt.Errorf("store: put raw %s: %w", source, err)
	}
	return sha, nil
}

// addFetch records m among fetches, the fetches of one body. Of the
// fetches of one request (method, URL, request body and status) it keeps
// the first and the latest: a source fetched again every run and answering
// the same body would otherwise add a fetch to the sidecar at every run,
// for ever, and every run reads and rewrites the sidecar. The first says
// since when the body has been served, the latest when it was last seen;
// replays answer from the latest, and both carry the same body.
func addFetch(fetches []SnapshotMeta, m SnapshotMeta) []SnapshotMeta {
	var same []int
	for i, f := range fetches {
		if f.Method == m.Method && f.URL == m.URL && bytes.Equal(f.RequestBody, m.RequestBody) && f.Status == m.Status {
			same = append(same, i)
		}
	}
	if len(same) < 2 {
		return append(fetches, m)
	}
	// Keep the first; drop the others, and append m as the latest.
	out := fetches[:0:0]
	for i, f := range fetches {
		if i != same[0] && slices.Contains(same, i) {
			continue
		}
		out = append(out, f)
	}
	return append(out, m)
}

func (s *Store) readSidecar(source, sha string) (*Sidecar, error) {
	path := filepath.Join(s.rawDir(source, sha), sha+".meta.json")
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("store: raw %s %s: %w", source, sha, err)
	}
	var sc Sidecar
	if err := json.Unmarshal(b, &sc); err != nil {
		return nil, fmt.Errorf("store: raw %s: %w", s.rel(path), err)
	}
	return &sc, nil
}

// Sidecar returns the sidecar of a stored snapshot, with every fetch.
func (s *Store) Sidecar(source, sha string) (*Sidecar, error) {
	if !validName(source) || !validSHA(sha) {
		return nil, fmt.Errorf("store: raw %q %q: invalid source or sha256", source, sha)
	}
	return s.readSidecar(source, sha)
}

// Raw returns a stored body and its latest fetch. The body is checked
// against its hash; a mismatch is an error.
func (s *Store) Raw(source, sha string) ([]byte, *SnapshotMeta, error) {
	sc, err := s.Sidecar(source, sha)
	if err != nil {
		return nil, nil, err
	}
	body, err := s.readBody(s.rawDir(source, sha), sc)
	if err != nil {
		return nil, nil, fmt.Errorf("store: raw %s %s: %w", source, sha, err)
	}
	latest := sc.Latest()
	if latest == nil {
		return nil, nil, fmt.Errorf("store: raw %s %s: sidecar records no fetch", source, sha)
	}
	return body, latest, nil
}
