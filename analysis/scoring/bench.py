"""`python -m analysis bench`: throughput beside plain NLTK VADER, latency and memory.

The texts are built from the project's own workplace corpus (greetings, requests, complaints
joined into messages of one to four sentences), so the bench needs no external data.
"""
import json
import random
import subprocess
import sys
import time

from .batch import default_workers, score_texts
from .scorer import get_scorer
from .sentiment import load_analyzer
from .training import read_corpus

GREETINGS = ("", "", "Hi team, ", "Hello Sam, ", "Hey all - ", "Morning! ")
SIGN_OFFS = ("", "", " Thanks, Alex", " Best, Jo", " Cheers.", " Let me know.")
_MEMORY_PROBE = """
import json, sys
def rss():
    with open('/proc/self/status') as f:
        return next(int(l.split()[1]) for l in f if l.startswith('VmRSS')) / 1024
start = rss()
import analysis.scoring.scorer as s
imported = rss()
s.get_scorer().score('Why did nobody follow up on the junk leads again?')
print(json.dumps({"start": start, "imported": imported, "loaded": rss()}))
"""


def bench_texts(n, seed=7):
    """Return n deterministic, realistic workplace messages."""
    sentences = [row["text"] for row in read_corpus()]
    rng = random.Random(seed)
    return [rng.choice(GREETINGS) + " ".join(rng.sample(sentences, rng.randint(1, 4)))
            + rng.choice(SIGN_OFFS) for _ in range(n)]


def timed(function, repeat=3):
    """Run function() `repeat` times; return the best wall-clock seconds (least disturbed run)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def latency_p99(scorer, texts):
    """p99 seconds of scoring one text at a time."""
    times = []
    for text in texts:
        start = time.perf_counter()
        scorer.score(text)
        times.append(time.perf_counter() - start)
    return sorted(times)[int(0.99 * (len(times) - 1))]


def memory_figures():
    """RSS in MB of a fresh interpreter: at start, after imports, after loading the scorer."""
    output = subprocess.run([sys.executable, "-c", _MEMORY_PROBE], capture_output=True,
                            text=True, check=True).stdout
    return json.loads(output)


def run_bench(n=5000, out=print):
    """Measure and print the bench figures; return them as a dict."""
    texts = bench_texts(n)
    vader, scorer = load_analyzer(), get_scorer()
    scorer.score(texts[0])  # warm caches outside the timings
    vader_s = timed(lambda: [vader.polarity_scores(t) for t in texts])
    serial_s = timed(lambda: list(score_texts(texts, scorer=scorer, workers=1)))
    parallel_s = timed(lambda: list(score_texts(texts, scorer=scorer)))
    figures = {"texts": n, "vader_per_s": n / vader_s, "pipeline_1core_per_s": n / serial_s,
               "pipeline_per_s": n / parallel_s, "ratio": vader_s / parallel_s,
               "ratio_1core": vader_s / serial_s, "p99_ms": 1000 * latency_p99(scorer, texts),
               "memory_mb": memory_figures()}
    _print_figures(figures, out)
    return figures


def _print_figures(f, out):
    """Print the bench figures as a small table."""
    mem = f["memory_mb"]
    out(f"texts: {f['texts']} workplace messages (project corpus, 1-4 sentences each); "
        f"best of 3 runs; {default_workers()} CPUs usable")
    out(f"NLTK VADER alone (1 process)    {f['vader_per_s']:9.0f} texts/s")
    out(f"full pipeline, 1 process        {f['pipeline_1core_per_s']:9.0f} texts/s"
        f"   ratio {f['ratio_1core']:.2f}x")
    out(f"full pipeline, score_texts      {f['pipeline_per_s']:9.0f} texts/s"
        f"   ratio {f['ratio']:.2f}x  (all cores)")
    out(f"single-text latency p99         {f['p99_ms']:9.2f} ms")
    out(f"memory: import adds {mem['imported'] - mem['start']:.0f} MB (NLTK pulls in scipy and "
        f"scikit-learn), loading the scorer adds {mem['loaded'] - mem['imported']:.0f} MB, "
        f"total {mem['loaded'] - mem['start']:.0f} MB over a bare interpreter")
