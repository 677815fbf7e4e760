#!/usr/bin/env python3
"""Posts radar feedback to `ahub serve` until SECONDS pass, one request at a time, and reports how many were
answered 200, how many were not, and their latency; then checks that the library holds every one.

Usage: scripts/feedback_writer.py BASE_URL RADAR SECONDS LIBRARY
"""
import json
import sqlite3
import sys
import time
import urllib.error
import urllib.request

base, radar, seconds, library = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
with urllib.request.urlopen(f"{base}/api/radars/{radar}/feed?any-date=true&all=true&limit=200") as response:
    keys = [item["key"] for item in json.load(response)["items"]]
db = sqlite3.connect(library)
before = db.execute("SELECT count(*) FROM radar_feedback").fetchone()[0]
signals = ["like", "dislike", "save", "hide"]
ok, failed, latencies = 0, [], []
end = time.time() + seconds
i = 0
while time.time() < end:
    body = json.dumps({"paper": keys[i % len(keys)], "signal": signals[i % len(signals)]}).encode()
    request = urllib.request.Request(f"{base}/api/radars/{radar}/feedback", data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            ok += 1
    except (urllib.error.URLError, OSError) as error:
        failed.append(str(error))
    latencies.append(time.perf_counter() - started)
    i += 1
after = db.execute("SELECT count(*) FROM radar_feedback").fetchone()[0]
latencies.sort()
pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000
print(f"feedback writer: {ok} posted (200), {len(failed)} failed, {ok / seconds:.0f}/s; "
      f"p50 {pick(0.5):.1f} ms, p99 {pick(0.99):.1f} ms; stored {after - before} new events")
if failed:
    print(f"feedback writer: first failures: {failed[:3]}")
sys.exit(0 if not failed and after - before == ok else 1)
