package daemon

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/grunnlag/grunnlag/pipelines"
	"github.com/grunnlag/grunnlag/pipelines/config"
	"github.com/grunnlag/grunnlag/pipelines/dag"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// smtpServer is a minimal SMTP server on loopback that keeps every message.
type smtpServer struct {
	ln   net.Listener
	mu   sync.Mutex
	msgs []smtpMsg
}

type smtpMsg struct {
	from string
	to   []string
	data string
}

func newSMTPServer(t *testing.T) *smtpServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	return s
}

func (s *smtpServer) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	say := func(line string) { io.WriteString(c, line+"\r\n") }
	say("220 localhost test")
	var m smtpMsg
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			say("250 localhost")
		case strings.HasPrefix(cmd, "MAIL FROM:"):
			m = smtpMsg{from: strings.Trim(strings.TrimSpace(line)[10:], "<>")}
			say("250 ok")
		case strings.HasPrefix(cmd, "RCPT TO:"):
			m.to = append(m.to, strings.Trim(strings.TrimSpace(line)[8:], "<>"))
			say("250 ok")
		case cmd == "DATA":
			say("354 go ahead")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				b.WriteString(l)
			}
			m.data = b.String()
			s.mu.Lock()
			s.msgs = append(s.msgs, m)
			s.mu.Unlock()
			say("250 queued")
		case cmd == "QUIT":
			say("221 bye")
			return
		default:
			say("250 ok")
		}
	}
}

func (s *smtpServer) messages() []smtpMsg {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]smtpMsg(nil), s.msgs...)
}

type hookServer struct {
	srv    *httptest.Server
	mu     sync.Mutex
	events []Event
	ctypes []string
}

func newHookServer(t *testing.T) *hookServer {
	h := &hookServer{}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var ev Event
		if err := json.NewDecoder(r.Body).Decode(&ev); err != nil || r.Method != http.MethodPost {
			http.Error(w, "bad", 400)
			return
		}
		h.mu.Lock()
		h.events = append(h.events, ev)
		h.ctypes = append(h.ctypes, r.Header.Get("Content-Type"))
		h.mu.Unlock()
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func TestNotifierWebhookAndSMTP(t *testing.T) {
	hook := newHookServer(t)
	mail := newSMTPServer(t)
	n := &Notifier{Config: &config.Notify{
		On:      []string{config.EventFailure, config.EventNewVersion},
		Webhook: &config.Webhook{URL: hook.srv.URL, Timeout: 5 * time.Second},
		SMTP:    &config.SMTP{Addr: mail.ln.Addr().String(), From: "grunnlag@example.no", To: []string{"a@example.no", "b@example.no"}},
	}}
	ctx := context.Background()
	ev := Event{Event: config.EventNewVersion, Time: time.Date(2026, 1, 15, 8, 16, 0, 0, time.UTC), Dataset: "arbeidsledige",
		Version: "20260115T081600Z", Diff: &store.Diff{Added: 3, Removed: 1, Revised: 2}, Message: "Ny versjon av arbeidsledige, endringer i år"}
	if err := n.Send(ctx, ev); err != nil {
		t.Fatalf("Send(new_version) = %v", err)
	}
	// stale is not in notify.on: nothing is sent.
	if err := n.Send(ctx, Event{Event: config.EventStale, Message: "x"}); err != nil {
		t.Fatalf("Send(stale) = %v", err)
	}
	if len(hook.events) != 1 || hook.ctypes[0] != "application/json" {
		t.Fatalf("webhook got %d events (%v), want 1 JSON event", len(hook.events), hook.ctypes)
	}
	got := hook.events[0]
	if got.Event != "new_version" || got.Dataset != "arbeidsledige" || got.Diff == nil || *got.Diff != (store.Diff{Added: 3, Removed: 1, Revised: 2}) {
		t.Errorf("webhook event = %+v, want new_version of arbeidsledige with diff 3/1/2", got)
	}
	msgs := mail.messages()
	if len(msgs) != 1 {
		t.Fatalf("SMTP got %d messages, want 1", len(msgs))
	}
	m := msgs[0]
	if m.from != "grunnlag@example.no" || strings.Join(m.to, ",") != "a@example.no,b@example.no" {
		t.Errorf("SMTP envelope = %s -> %v", m.from, m.to)
	}
	var subject string
	for _, l := range strings.Split(m.data, "\r\n") {
		if v, ok := strings.CutPrefix(l, "Subject: "); ok {
			subject, _ = new(mime.WordDecoder).DecodeHeader(v)
			if !strings.HasPrefix(v, "=?utf-8?q?") {
				t.Errorf("Subject %q is not Q-encoded", v)
			}
		}
	}
	if subject != "[grunnlag] Ny versjon av arbeidsledige, endringer i år" || !strings.Contains(m.data, `"added":3`) {
		t.Errorf("SMTP message =\n%s\nwant the decoded subject %q and the JSON", m.data, subject)
	}
}

func TestNotifierErrors(t *testing.T) {
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.Error(w, "no", 500) }))
	defer bad.Close()
	n := &Notifier{Config: &config.Notify{On: []string{config.EventFailure}, Webhook: &config.Webhook{URL: bad.URL, Timeout: time.Second},
		SMTP: &config.SMTP{Addr: "127.0.0.1:1", From: "a@example.no", To: []string{"b@example.no"}}}}
	err := n.Send(context.Background(), Event{Event: config.EventFailure, Message: "x"})
	if err == nil || !strings.Contains(err.Error(), "status 500") || !strings.Contains(err.Error(), "notify: smtp 127.0.0.1:1") {
		t.Errorf("Send = %v, want both the webhook's 500 and the SMTP connection error", err)
	}
}

// TestRunJobNotifiesAndCounts: a run with a failed step and a new version
// sends a failure and a new_version event, and the metrics count it.
func TestRunJobNotifiesAndCounts(t *testing.T) {
	hook := newHookServer(t)
	m := NewMetrics()
	rep := &dag.Report{ID: "r1", Steps: []*dag.StepReport{{Name: "fetch/a", Error: "boom"}, {Name: "fetch/b"}},
		Errors: []string{"fetch/a: boom"},
		Records: []dag.Record{&pipelines.RunRecord{Datasets: []*pipelines.DatasetRun{
			{ID: "a", Source: "ssb", Outcome: pipelines.OutcomeFailed, Requests: 5},
			{ID: "b", Source: "ssb", Outcome: pipelines.OutcomePublished, Version: "v2", Requests: 3, Diff: &store.Diff{Added: 7}},
		}, Checks: map[string]int{"ssb": 1}, Retries: 2}}}
	d := &Daemon{Config: &config.Config{}, Metrics: m,
		Notifier: &Notifier{Config: &config.Notify{On: []string{"failure", "new_version"}, Webhook: &config.Webhook{URL: hook.srv.URL}}},
		Run: func(context.Context, dag.Options) (*dag.Report, error) {
			return rep, errString("dag: 1 of 2 steps failed: fetch/a")
		}}
	d.RunJob(context.Background(), "ssb", dag.Options{})
	var kinds []string
	for _, e := range hook.events {
		kinds = append(kinds, e.Event+":"+e.Dataset)
	}
	if strings.Join(kinds, " ") != "failure: new_version:b" {
		t.Errorf("events = %v, want failure and new_version:b", kinds)
	}
	if got := metricValue(t, m.runs.WithLabelValues("ssb", "failed")); got != 1 {
		t.Errorf("runs{ssb,failed} = %v, want 1", got)
	}
	if got := metricValue(t, m.failures.WithLabelValues("fetch/a")); got != 1 {
		t.Errorf("step_failures{fetch/a} = %v, want 1", got)
	}
	// 5 + 3 dataset requests + 1 cheap check.
	if got := metricValue(t, m.requests.WithLabelValues("ssb")); got != 9 {
		t.Errorf("requests{ssb} = %v, want 9", got)
	}
	// The run record's retry count (2), not log lines.
	if got := metricValue(t, m.retries); got != 2 {
		t.Errorf("retries = %v, want 2", got)
	}
}

type errString string

func (e errString) Error() string { return string(e) }

func TestCheckFreshness(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	cfg := &config.Config{Datasets: map[string]*config.Dataset{
		"aarlig":    {Expect: 8760 * time.Hour},
		"maanedlig": {Expect: 744 * time.Hour},
		"uten":      {},
		"ny":        {Expect: time.Hour},
	}}
	cat := &store.Catalog{Datasets: map[string]*store.DatasetEntry{
		"aarlig":    {Current: "v", Versions: []store.Version{{Stamp: "v", SourceUpdated: "2025-09-01T06:00:00Z"}}},
		"maanedlig": {Current: "v", Versions: []store.Version{{Stamp: "v", SourceUpdated: "2026-04-01T06:00:00Z"}}},
		"uten":      {Current: "v", Versions: []store.Version{{Stamp: "v", SourceUpdated: "2020-01-01T00:00:00Z"}}},
	}}
	// By hand: 2025-09-01 is 273 days before 2026-06-01 (< 365 days): fresh;
	// 2026-04-01 is 61 days (1458 h) before, more than 744 h: stale.
	want := map[string]string{"aarlig": Fresh, "maanedlig": Stale, "uten": Unknown, "ny": Missing}
	for _, f := range CheckFreshness(cfg, cat, now) {
		if f.State != want[f.Dataset] {
			t.Errorf("CheckFreshness(%s) = %s, want %s", f.Dataset, f.State, want[f.Dataset])
		}
	}
}

// metricValue reads a counter's or gauge's value.
func metricValue(t *testing.T, c prometheus.Metric) float64 {
	t.Helper()
	var pb dto.Metric
	if err := c.Write(&pb); err != nil {
		t.Fatal(err)
	}
	if pb.Counter != nil {
		return pb.Counter.GetValue()
	}
	return pb.Gauge.GetValue()
}
