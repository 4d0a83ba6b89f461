package daemon

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/smtp"
	"strings"
	"time"

	"github.com/grunnlag/grunnlag/pipelines/config"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// Event is one notification. The webhook receives it as the JSON body of a
// POST (Content-Type application/json):
//
//	{"event":"new_version","time":"2026-01-15T08:16:02Z","job":"ssb_morgen",
//	 "run":"20260115T071500.000Z","dataset":"arbeidsledige","version":"20260115T071601Z",
//	 "diff":{"added":357,"removed":0,"revised":2,"unchanged":12000},
//	 "message":"Datasettet arbeidsledige har en ny versjon ..."}
//
// event is failure (errors lists what failed), stale or new_version. The
// e-mail has the subject "[grunnlag] <message>" and the message and the
// JSON in its plain-text body.
type Event struct {
	Event   string      `json:"event"`
	Time    time.Time   `json:"time"`
	Job     string      `json:"job,omitempty"`
	Run     string      `json:"run,omitempty"`
	Dataset string      `json:"dataset,omitempty"`
	Version string      `json:"version,omitempty"`
	Diff    *store.Diff `json:"diff,omitempty"`
	Errors  []string    `json:"errors,omitempty"`
	Message string      `json:"message"`
}

// Notifier sends events to the configured webhook and SMTP server.
type Notifier struct {
	Config *config.Notify
	// HTTP is the client for the webhook (nil: a client with the webhook's timeout).
	HTTP *http.Client
	// Getenv reads the SMTP password variable (nil: no password).
	Getenv func(string) string
}

// Send delivers ev to every configured channel if its event is wanted
// (notify.on), and returns the errors of all channels joined.
func (n *Notifier) Send(ctx context.Context, ev Event) error {
	if n == nil || n.Config == nil || !wanted(n.Config.On, ev.Event) {
		return nil
	}
	body, err := json.Marshal(ev)
	if err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	var errs []error
	if w := n.Config.Webhook; w != nil {
		errs = append(errs, n.webhook(ctx, w, body))
	}
	if m := n.Config.SMTP; m != nil {
		errs = append(errs, n.mail(ctx, m, ev, body))
	}
	return errors.Join(errs...)
}

func wanted(on []string, event string) bool {
	for _, e := range on {
		if e == event {
			return true
		}
	}
	return false
}

func (n *Notifier) webhook(ctx context.Context, w *config.Webhook, body []byte) error {
	client := n.HTTP
	if client == nil {
		client = &http.Client{Timeout: w.Timeout}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("notify: webhook: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "grunnlag/1")
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("notify: webhook: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("notify: webhook %s: status %d", w.URL, resp.StatusCode)
	}
	return nil
}

func (n *Notifier) mail(ctx context.Context, m *config.SMTP, ev Event, body []byte) error {
	var auth smtp.Auth
	if m.Username != "" && n.Getenv != nil {
		host, _, _ := net.SplitHostPort(m.Addr)
		auth = smtp.PlainAuth("", m.Username, n.Getenv(m.PasswordEnv), host)
	}
	var msg bytes.Buffer
	fmt.Fprintf(&msg, "From: %s\r\n", m.From)
	fmt.Fprintf(&msg, "To: %s\r\n", strings.Join(m.To, ", "))
	fmt.Fprintf(&msg, "Subject: %s\r\n", mime.QEncoding.Encode("utf-8", "[grunnlag] "+ev.Message))
	fmt.Fprintf(&msg, "Date: %s\r\n", ev.Time.Format(time.RFC1123Z))
	msg.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
	msg.WriteString(ev.Message + "\r\n\r\n")
	for _, e := range ev.Errors {
		msg.WriteString("- " + e + "\r\n")
	}
	msg.Write(body)
	msg.WriteString("\r\n")
	done := make(chan error, 1)
	go func() { done <- smtp.SendMail(m.Addr, auth, m.From, m.To, msg.Bytes()) }()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("notify: smtp %s: %w", m.Addr, err)
		}
		return nil
	case <-ctx.Done():
		return fmt.Errorf("notify: smtp %s: %w", m.Addr, ctx.Err())
	}
}
