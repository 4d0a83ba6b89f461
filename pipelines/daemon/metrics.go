package daemon

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/grunnlag/grunnlag/pipelines"
	"github.com/grunnlag/grunnlag/pipelines/dag"
	"github.com/grunnlag/grunnlag/pipelines/steps"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// Metrics are the daemon's Prometheus metrics, in their own registry:
//
//	grunnlag_runs_total{job,result}                      runs by result (ok, failed)
//	grunnlag_step_failures_total{step}                   failed steps
//	grunnlag_requests_total{source}                      HTTP requests to sources (cheap checks included)
//	grunnlag_bytes_total{source}                         response bytes received
//	grunnlag_retries_total                               requests the HTTP layer repeated (run record's retries)
//	grunnlag_dataset_rows{dataset}                       rows of the current version
//	grunnlag_dataset_last_success_timestamp_seconds{dataset}  last check without error (catalog last_checked)
//	grunnlag_dataset_stale{dataset}                      1 when stale, else 0
type Metrics struct {
	// Registry holds only these metrics (serve /metrics from it).
	Registry *prometheus.Registry

	runs        *prometheus.CounterVec
	failures    *prometheus.CounterVec
	requests    *prometheus.CounterVec
	bytes       *prometheus.CounterVec
	retries     prometheus.Counter
	rows        *prometheus.GaugeVec
	lastSuccess *prometheus.GaugeVec
	stale       *prometheus.GaugeVec
}

// NewMetrics makes the metrics and their registry.
func NewMetrics() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "grunnlag_runs_total",
			Help: "Pipeline runs by job and result."}, []string{"job", "result"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "grunnlag_step_failures_total",
			Help: "Failed pipeline steps."}, []string{"step"}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "grunnlag_requests_total",
			Help: "HTTP requests to sources, cheap checks included."}, []string{"source"}),
		bytes: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "grunnlag_bytes_total",
			Help: "Response bytes received from sources."}, []string{"source"}),
		retries: prometheus.NewCounter(prometheus.CounterOpts{Name: "grunnlag_retries_total",
			Help: "Requests retried by the source clients (429, 5xx, network errors)."}),
		rows: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "grunnlag_dataset_rows",
			Help: "Rows of the dataset's current version."}, []string{"dataset"}),
		lastSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "grunnlag_dataset_last_success_timestamp_seconds",
			Help: "Unix time of the dataset's last check without error."}, []string{"dataset"}),
		stale: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "grunnlag_dataset_stale",
			Help: "1 when the dataset is stale (older than its expected update interval)."}, []string{"dataset"}),
	}
	m.Registry.MustRegister(m.runs, m.failures, m.requests, m.bytes, m.retries, m.rows, m.lastSuccess, m.stale)
	return m
}

// ObserveRun counts one run from its report.
func (m *Metrics) ObserveRun(job string, rep *dag.Report, err error) {
	result := "ok"
	if err != nil {
		result = "failed"
	}
	m.runs.WithLabelValues(job, result).Inc()
	if rep == nil {
		return
	}
	for _, s := range rep.Failed() {
		m.failures.WithLabelValues(s).Inc()
	}
	if r := steps.RefreshRecord(rep); r != nil {
		observeRefresh(m, r)
	}
}

func observeRefresh(m *Metrics, r *pipelines.RunRecord) {
	for _, d := range r.Datasets {
		m.requests.WithLabelValues(d.Source).Add(float64(d.Requests))
		m.bytes.WithLabelValues(d.Source).Add(float64(d.Bytes))
	}
	for src, n := range r.Checks {
		m.requests.WithLabelValues(src).Add(float64(n))
	}
	// The HTTP layer counts the requests it repeated in the run record.
	m.retries.Add(float64(r.Retries))
}

// ObserveCatalog sets rows and last success per dataset from the catalog.
func (m *Metrics) ObserveCatalog(cat *store.Catalog) {
	for id, e := range cat.Datasets {
		if v := e.CurrentVersion(); v != nil {
			m.rows.WithLabelValues(id).Set(float64(v.Rows))
		}
		if e.LastError == "" && !e.LastChecked.IsZero() {
			m.lastSuccess.WithLabelValues(id).Set(float64(e.LastChecked.Unix()))
		}
	}
}

// ObserveFreshness sets the stale gauge per dataset.
func (m *Metrics) ObserveFreshness(fr []Freshness) {
	for _, f := range fr {
		v := 0.0
		if f.State == Stale {
			v = 1
		}
		m.stale.WithLabelValues(f.Dataset).Set(v)
	}
}
