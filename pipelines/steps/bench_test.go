package steps

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/pipelines"
	"github.com/grunnlag/grunnlag/pipelines/config"
	"github.com/grunnlag/grunnlag/pipelines/dag"
	"github.com/grunnlag/grunnlag/pipelines/publish"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// demoConfig loads testdata/demo/grunnlag.yaml (every dataset, every region
// of the demo bundle: 357 municipalities, 15 counties, the nation and the
// older Telemark codes; mostly synthetic) with its kb in kbDir.
func demoConfig(b *testing.B, kbDir string) *config.Config {
	b.Helper()
	// Loaded where it lies, so that its relative paths (bundles, regions,
	// survey) resolve; only the knowledge base moves.
	cfg, err := config.Load("../../testdata/demo/grunnlag.yaml")
	if err != nil {
		b.Fatal(err)
	}
	cfg.KB = kbDir
	return cfg
}

func demoRunner(b *testing.B, kbDir string, ro pipelines.RefreshOptions) *dag.Runner {
	b.Helper()
	cfg := demoConfig(b, kbDir)
	st, err := store.Open(cfg.KB)
	if err != nil {
		b.Fatal(err)
	}
	g, err := dag.New(Fetch(&pipelines.Refresher{Config: cfg, Store: st}, ro)...)
	if err != nil {
		b.Fatal(err)
	}
	return &dag.Runner{Graph: g, Store: st}
}

// peakHeap samples runtime.MemStats.HeapInuse until stop is called and
// returns the highest value seen, in MB.
func peakHeap() (stop func() float64) {
	var (
		mu   sync.Mutex
		peak uint64
		done = make(chan struct{})
		wg   sync.WaitGroup
	)
	sample := func() {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		mu.Lock()
		peak = max(peak, ms.HeapInuse)
		mu.Unlock()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				sample()
			}
		}
	}()
	return func() float64 {
		close(done)
		wg.Wait()
		sample()
		return float64(peak) / (1 << 20)
	}
}

func rowsOf(rep *dag.Report) int64 {
	var n int64
	if RefreshRecord(rep) != nil {
		for _, d := range RefreshRecord(rep).Datasets {
			n += d.Rows
		}
	}
	return n
}

// BenchmarkFullRun is a full run of the demo pipeline into an empty
// knowledge base: every table for every region, fetched from the bundled
// PxWebApi emulator, parsed, published.
func BenchmarkFullRun(b *testing.B) {
	var rows int64
	var peak float64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		r := demoRunner(b, filepath.Join(b.TempDir(), "kb"), pipelines.RefreshOptions{})
		runtime.GC()
		stop := peakHeap()
		b.StartTimer()
		rep, err := r.Run(context.Background(), dag.Options{})
		b.StopTimer()
		peak = max(peak, stop())
		if err != nil {
			b.Fatal(err)
		}
		rows = rowsOf(rep)
		b.StartTimer()
	}
	b.ReportMetric(float64(rows), "rows/run")
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(peak, "peak-heap-MB")
}

// BenchmarkNoChangeRun is a run after a full one: the SSB tables get only
// the cheap upstream check (current); the NAV, Udir and DBH datasets, whose
// sources publish no update stamp, are fetched and found unchanged. It
// fails if any dataset is published or fails.
func BenchmarkNoChangeRun(b *testing.B) {
	r := demoRunner(b, filepath.Join(b.TempDir(), "kb"), pipelines.RefreshOptions{})
	if _, err := r.Run(context.Background(), dag.Options{}); err != nil {
		b.Fatal(err)
	}
	var requests int
	b.ResetTimer()
	stop := peakHeap()
	for i := 0; i < b.N; i++ {
		rep, err := r.Run(context.Background(), dag.Options{})
		if err != nil {
			b.Fatal(err)
		}
		for _, d := range RefreshRecord(rep).Datasets {
			if d.Outcome != pipelines.OutcomeCurrent && d.Outcome != pipelines.OutcomeUnchanged {
				b.Fatalf("no-change run: %s %s, want current or unchanged", d.ID, d.Outcome)
			}
		}
		requests = RefreshRecord(rep).Requests + RefreshRecord(rep).Checks["ssb"]
	}
	b.StopTimer()
	b.ReportMetric(float64(requests), "requests/run")
	b.ReportMetric(stop(), "peak-heap-MB")
}

// BenchmarkOfflineRebuild re-parses every dataset from the raw snapshots
// (--offline --force): the full parse for all regions without any
// transport; Publish finds the data unchanged and writes nothing new.
func BenchmarkOfflineRebuild(b *testing.B) {
	kb := filepath.Join(b.TempDir(), "kb")
	if _, err := demoRunner(b, kb, pipelines.RefreshOptions{}).Run(context.Background(), dag.Options{}); err != nil {
		b.Fatal(err)
	}
	r := demoRunner(b, kb, pipelines.RefreshOptions{Offline: true, Force: true})
	var rows int64
	b.ResetTimer()
	stop := peakHeap()
	for i := 0; i < b.N; i++ {
		rep, err := r.Run(context.Background(), dag.Options{})
		if err != nil {
			b.Fatal(err)
		}
		rows = rowsOf(rep)
	}
	b.StopTimer()
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(stop(), "peak-heap-MB")
}

// BenchmarkOneCellChange is the run after one cell of one small NAV
// dataset changed at the source (nav_mangel_naering, 12 rows: see
// TestOneCellChange): every iteration publishes a new value of that cell in
// the bundled response and runs the whole pipeline (every step, as
// `grunnlag run` does). It reports the indicator and chart nodes run, the
// seconds of the steps after the fetches, the CPU seconds of a run (user
// and system: steadier than the wall time on a shared machine) and the
// peak heap.
func BenchmarkOneCellChange(b *testing.B) { benchOneCell(b, false) }

// BenchmarkOneCellChangeNoReuse is the same run with the node keys of the
// build, the chart set and the book's figures removed before it: every indicator, chart and figure is done again, as before
// the steps were made of nodes. The difference to BenchmarkOneCellChange
// is what the nodes save.
func BenchmarkOneCellChangeNoReuse(b *testing.B) { benchOneCell(b, true) }

func benchOneCell(b *testing.B, noReuse bool) {
	cfg, root := copyTestdata(b)
	r, _ := runner(b, cfg)
	ctx := context.Background()
	if _, err := r.Run(ctx, dag.Options{}); err != nil {
		b.Fatal(err)
	}
	var nodes int
	var cpu float64 // CPU seconds of the runs, user and system
	secs := map[string]float64{}
	stepNames := []string{"harmonise", "needs", "build", "charts", "book", "exports"}
	b.ResetTimer()
	stop := peakHeap()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		setIndustry(b, root, 251+i)
		if noReuse {
			// The harmonise step's notes stay: without them it
			// harmonises every dataset anew, which fails on the demo's
			// second full run (see the commit history), as before.
			for _, f := range []string{filepath.Join(cfg.KB, "state", "build-nodes.json"),
				filepath.Join(cfg.KB, "charts", publish.ChartNodesFile), filepath.Join(cfg.KB, "book", publish.ChartNodesFile)} {
				if err := os.Remove(f); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.StartTimer()
		cpu0 := processCPU()
		rep, err := r.Run(ctx, dag.Options{})
		cpu += processCPU() - cpu0
		if err != nil {
			b.Fatal(err)
		}
		nodes = len(rep.NodesRan())
		for _, n := range stepNames {
			if s := stepReport(rep, n); s != nil {
				secs[n] += s.Duration.Seconds()
			}
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(nodes), "nodes-run")
	if cpu > 0 {
		b.ReportMetric(cpu/float64(b.N), "cpu-s/op")
	}
	for _, n := range stepNames {
		b.ReportMetric(secs[n]/float64(b.N), n+"-s")
	}
	b.ReportMetric(stop(), "peak-heap-MB")
}
