# Peer of BenchmarkRankedBars357 (charts/bench_test.go) for the README's
# performance table: the same chart drawn by matplotlib (Agg backend, PNG).
# The chart is fixtureRanked(357) of charts/fixtures_test.go (SYNTHETIC
# values): 357 units, the middle one missing, largest on top, unit 3
# highlighted, the nation's reference line at 35.1 labelled at the top and
# the bottom, a white vertical grid over the bars, 907 x 6602 pixels at 144
# dpi, title, subtitle, axis label and the caption with source and note.
# It draws one chart to warm up, then N charts, and prints the CPU and wall
# time per chart.
#
#   python3 docs/peers/ranked357.py 10     (Debian 12: apt-get install python3-matplotlib)
#   go test -run='^$' -bench='BenchmarkRankedBars357$' -cpu 1 -benchtime=10x ./charts/
import io, math, sys, time
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

n = 357
labels = ["K" + chr(ord("A") + i % 26) + chr(ord("a") + (i // 26) % 26) for i in range(n)]
vals = [20 + ((i * 37) % 101) / 5 for i in range(n)]
vals[n // 2] = math.nan
items = [(labels[i], vals[i], i == 3) for i in range(n) if not math.isnan(vals[i])]
items.sort(key=lambda t: (-t[1], t[0]))

def chart():
    fig = plt.figure(figsize=(907 / 144, 6602 / 144), dpi=144)
    ax = fig.add_axes([0.16, 0.012, 0.8, 0.968])
    ys = list(range(len(items) - 1, -1, -1))
    ax.barh(ys, [v for _, v, _ in items], height=0.8,
            color=["#0072B2" if h else "#56B4E9" for _, _, h in items])
    ax.set_yticks(ys)
    ax.set_yticklabels([l for l, _, _ in items], fontsize=7)
    ax.set_ylim(-0.5, len(items) - 0.5)
    ax.set_xlabel("Andel (prosent)", fontsize=8)
    ax.grid(axis="x", color="white", linewidth=0.6)
    ax.axvline(35.1, color="black", linewidth=1, linestyle="--")
    ax.text(35.1, len(items) - 0.5, " Landet 35,1", color="#D55E00", fontsize=7, va="bottom", fontweight="bold")
    ax.text(35.1, -0.5, " Landet 35,1", color="#D55E00", fontsize=7, va="top", fontweight="bold")
    fig.text(0.02, 0.997, "Høyere utdanning i kommunene", fontsize=11, fontweight="bold", va="top")
    fig.text(0.02, 0.994, "2025", fontsize=8.5, color="#555555", va="top")
    fig.text(0.02, 0.004, "Kilde: Statistisk sentralbyrå (SSB), tabell 09429 (oppdatert 2025-06-11). SYNTETISKE DATA. "
             "1 enhet uten tall (mangler eller prikket) er ikke tegnet.", fontsize=6.5, color="#555555")
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=144)
    plt.close(fig)
    return buf.getbuffer().nbytes

N = int(sys.argv[1]) if len(sys.argv) > 1 else 10
size = chart()  # warm-up
c0, w0 = time.process_time(), time.perf_counter()
for _ in range(N):
    chart()
c1, w1 = time.process_time(), time.perf_counter()
print(f"matplotlib {matplotlib.__version__}: {N} charts, {(c1-c0)/N*1000:.0f} ms CPU, {(w1-w0)/N*1000:.0f} ms wall per chart, {size} bytes")
