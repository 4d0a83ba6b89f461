package serve

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestHostCheck: a Host header other than localhost, a loopback address or
// a configured name is refused (DNS rebinding), over a loopback server.
func TestHostCheck(t *testing.T) {
	kb := newKB(t)
	srv := httptest.NewServer(Handler(Options{Root: kb, Hosts: []string{"grunnlag.intern", "10.0.0.5", "fd00::5"},
		Status: func(context.Context) (any, error) { return map[string]any{"datasets": 6}, nil }}))
	defer srv.Close()
	tests := []struct {
		host string
		want int
	}{
		{"evil.example", 403},
		{"evil.example:8080", 403},
		{"localhost.evil.example", 403},
		{"127.0.0.1.nip.io", 403},
		{"grunnlag.intern.evil.example", 403},
		{"10.0.0.6", 403},
		{"[::2]:8080", 403},
		{"localhost", 200},
		{"localhost:8080", 200},
		{"LocalHost.:8080", 200},
		{"127.0.0.1", 200},
		{"127.0.0.1:8080", 200},
		{"127.1.2.3:8080", 200}, // all of 127.0.0.0/8 is loopback
		{"[::1]", 200},
		{"[::1]:8080", 200},
		{"grunnlag.intern", 200},
		{"GRUNNLAG.intern:8080", 200},
		{"10.0.0.5:8080", 200},
		{"[FD00:0::5]:8080", 200}, // configured as fd00::5
	}
	for _, tc := range tests {
		for _, p := range []string{"/status", "/book/"} {
			req, _ := http.NewRequest("GET", srv.URL+p, nil)
			req.Host = tc.host
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Errorf("GET %s with Host %q = %d, want %d", p, tc.host, resp.StatusCode, tc.want)
			}
			if tc.want == 403 && (strings.Contains(string(b), "datasets") || strings.Contains(string(b), "bok")) {
				t.Errorf("GET %s with Host %q leaked %q", p, tc.host, b)
			}
		}
	}
}

// TestSecurityHeaders: every response, including errors and refusals,
// carries the CSP, framing, referrer and sniffing headers.
func TestSecurityHeaders(t *testing.T) {
	kb := newKB(t)
	srv := httptest.NewServer(Handler(Options{Root: kb,
		Status: func(context.Context) (any, error) { return map[string]any{"datasets": 6}, nil }}))
	defer srv.Close()
	for _, tc := range []struct{ method, path, host string }{
		{"GET", "/book/", ""}, {"GET", "/book/kap/fig.svg", ""}, {"GET", "/exports/", ""},
		{"GET", "/exports/arbeidsledige.csv", ""}, {"GET", "/status", ""}, {"GET", "/healthz", ""},
		{"GET", "/nothing", ""}, {"POST", "/book/", ""}, {"GET", "/book/", "evil.example"},
	} {
		req, _ := http.NewRequest(tc.method, srv.URL+tc.path, nil)
		if tc.host != "" {
			req.Host = tc.host
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		for h, want := range map[string]string{
			"Content-Security-Policy": CSP,
			"X-Frame-Options":         "DENY",
			"Referrer-Policy":         "no-referrer",
			"X-Content-Type-Options":  "nosniff",
		} {
			if got := resp.Header.Get(h); got != want {
				t.Errorf("%s %s (Host %q): %s = %q, want %q", tc.method, tc.path, tc.host, h, got, want)
			}
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "default-src 'none'") {
			t.Errorf("CSP %q lacks frame-ancestors 'none' or default-src 'none'", csp)
		}
	}
}

// TestNoAbsolutePath: the knowledge base's absolute path never appears in
// /status or /runs, neither in a document that holds it nor in an error.
func TestNoAbsolutePath(t *testing.T) {
	kb := newKB(t)
	abs, _ := filepath.Abs(kb)
	write(t, filepath.Join(kb, "runs", "20260118T081500.000Z-run.json"),
		fmt.Sprintf(`{"id":"20260118T081500.000Z","kind":"run","errors":[%q]}`, "open "+filepath.Join(abs, "datasets", "x")+": permission denied"))
	fail := false
	srv := httptest.NewServer(Handler(Options{Root: kb, Status: func(context.Context) (any, error) {
		if fail {
			return nil, fmt.Errorf("store: open %s: %w", filepath.Join(abs, "catalog.json"), os.ErrPermission)
		}
		return map[string]any{"kb": abs, "note": "read " + filepath.Join(abs, "catalog.json")}, nil
	}}))
	defer srv.Close()
	get := func(p string) (int, string) {
		resp, err := http.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, tc := range []struct {
		path   string
		fail   bool
		status int
		want   string
	}{
		{"/status", false, 200, `"kb": "<kb>"`},
		{"/status", true, 500, "intern feil"},
		{"/runs", false, 200, "open <kb>/datasets/x"},
	} {
		fail = tc.fail
		code, body := get(tc.path)
		if code != tc.status || !strings.Contains(body, tc.want) {
			t.Errorf("GET %s (fail %v) = %d %q, want %d with %q", tc.path, tc.fail, code, body, tc.status, tc.want)
		}
		if strings.Contains(body, abs) || strings.Contains(body, kb) {
			t.Errorf("GET %s (fail %v) shows the kb path %s: %q", tc.path, tc.fail, abs, body)
		}
	}
}

// TestExports: /exports/ lists the exports with links (no temp files, no
// symlinks), a listed file is served, and a kb without exports gives an
// empty list rather than 404.
func TestExports(t *testing.T) {
	kb := newKB(t)
	write(t, filepath.Join(kb, "exports", "indikatorer.xlsx"), "PK\x03\x04 not really a workbook")
	write(t, filepath.Join(kb, "exports", ".indikatorer.csv.tmp-9"), "half")
	srv := httptest.NewServer(Handler(Options{Root: kb}))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/exports/")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	page := string(b)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET /exports/ = %d %s, want 200 text/html", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for _, want := range []string{`<a href="/exports/arbeidsledige.csv">arbeidsledige.csv</a>`, `<a href="/exports/indikatorer.xlsx">indikatorer.xlsx</a>`, "<td>17 B</td>"} {
		if !strings.Contains(page, want) {
			t.Errorf("/exports/ lacks %q:\n%s", want, page)
		}
	}
	for _, bad := range []string{"tmp-9", "etc"} {
		if strings.Contains(page, bad) {
			t.Errorf("/exports/ lists %q:\n%s", bad, page)
		}
	}
	// Every listed link is served, byte for byte.
	for name, want := range map[string]string{"arbeidsledige.csv": "Region,value\n0,1\n", "indikatorer.xlsx": "PK\x03\x04 not really a workbook"} {
		resp, err := http.Get(srv.URL + "/exports/" + name)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || string(b) != want {
			t.Errorf("GET /exports/%s = %d %q, want 200 %q", name, resp.StatusCode, b, want)
		}
	}

	empty := httptest.NewServer(Handler(Options{Root: t.TempDir()}))
	defer empty.Close()
	resp, err = http.Get(empty.URL + "/exports/")
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(b), "Ingen eksporter") {
		t.Errorf("GET /exports/ without exports = %d %q, want 200 with an empty list", resp.StatusCode, b)
	}
}

// loopback starts NewServer(opts) on 127.0.0.1 and returns its address
// and a channel that receives every connection the server closes.
func loopback(t *testing.T, opts Options) (string, <-chan net.Conn) {
	t.Helper()
	srv := NewServer(opts)
	closed := make(chan net.Conn, 16)
	srv.ConnState = func(c net.Conn, s http.ConnState) {
		if s == http.StateClosed {
			closed <- c
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ln.Addr().String(), closed
}

func waitClosed(t *testing.T, closed <-chan net.Conn, within time.Duration, what string) {
	t.Helper()
	select {
	case <-closed:
	case <-time.After(within):
		t.Fatalf("%s: the server still holds the connection after %v", what, within)
	}
}

// TestSlowClients: with short timeouts set through Options, the server
// disconnects a client that never reads its response, one that never
// finishes its request headers, and one that sits idle after a response.
func TestSlowClients(t *testing.T) {
	kb := newKB(t)
	// 32 MiB: more than loopback socket buffers hold (a few MiB), so the
	// server's writes block when the client does not read.
	big := filepath.Join(kb, "exports", "stor.csv")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	const size = 32 << 20
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	f.Close()
	addr, closed := loopback(t, Options{Root: kb, Timeouts: Timeouts{ReadHeader: 300 * time.Millisecond, Write: 500 * time.Millisecond, Idle: 300 * time.Millisecond}})
	dial := func() *net.TCPConn {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		tc := c.(*net.TCPConn)
		_ = tc.SetReadBuffer(4096)
		t.Cleanup(func() { tc.Close() })
		return tc
	}

	t.Run("never reads", func(t *testing.T) {
		c := dial()
		fmt.Fprintf(c, "GET /exports/stor.csv HTTP/1.1\r\nHost: localhost\r\n\r\n")
		waitClosed(t, closed, 10*time.Second, "client that never reads")
		// The client can get only part of the file, however long it reads
		// now (the kernel may drop what was still queued for it).
		_ = c.SetReadDeadline(time.Now().Add(time.Second))
		if n, _ := io.Copy(io.Discard, c); n >= size {
			t.Errorf("after the cut the client read %d bytes, want fewer than %d", n, size)
		}
	})
	t.Run("never sends headers", func(t *testing.T) {
		c := dial()
		fmt.Fprintf(c, "GET /book/ HTTP/1.1\r\nHost: local")
		waitClosed(t, closed, 10*time.Second, "client that never finishes its headers")
	})
	t.Run("idle after a response", func(t *testing.T) {
		c := dial()
		fmt.Fprintf(c, "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Close {
			t.Fatalf("GET /healthz = %d (close %v), want 200 kept alive", resp.StatusCode, resp.Close)
		}
		waitClosed(t, closed, 10*time.Second, "idle kept-alive client")
	})
}

func TestTimeoutDefaults(t *testing.T) {
	srv := NewServer(Options{Root: t.TempDir(), Timeouts: Timeouts{Write: time.Second}})
	if srv.ReadHeaderTimeout != DefaultTimeouts.ReadHeader || srv.ReadTimeout != DefaultTimeouts.Read ||
		srv.WriteTimeout != time.Second || srv.IdleTimeout != DefaultTimeouts.Idle {
		t.Errorf("NewServer timeouts = %v %v %v %v, want defaults with Write 1s", srv.ReadHeaderTimeout, srv.ReadTimeout, srv.WriteTimeout, srv.IdleTimeout)
	}
}
