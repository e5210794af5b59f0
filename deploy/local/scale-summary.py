#!/usr/bin/env python3
"""Summarises a scale-test folder (deploy/local/scale-test.sh): per event, the errors clients saw and how long they
lasted, p99 latency before, during and after, and the time until sends completed at the pre-event rate again; then the
verification counts, the /health answers of the surviving silo, and the log sizes. Prints Markdown."""
import json
import sys
from datetime import datetime, timedelta
from pathlib import Path


def ts(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def main(folder):
    folder = Path(folder)
    report = json.loads((folder / "load.json").read_text())
    phase = report["phases"][-1]
    timeline = [dict(t, utc=ts(t["utc"])) for t in phase["timeline"]]
    events = [(ts(line.split("\t")[0]), line.split("\t")[1]) for line in (folder / "events.tsv").read_text().splitlines() if line]
    health = [(ts(line.split("\t")[0]), line.split("\t")[1]) for line in (folder / "health.tsv").read_text().splitlines() if "\t" in line]

    def window(start, end):
        return [t for t in timeline if start <= t["utc"] < end]

    def p99(seconds):
        values = [t["p99"] for t in seconds if t["sends"] > 0]
        return max(values) if values else None

    def rate(seconds):
        return sum(t["sends"] for t in seconds) / max(1, len(seconds))

    out = []
    out.append(f"# Scale test: {report['transport']}, {report['users']} users, {report['date']}\n")
    out.append(f"Mix phase: {phase['seconds']} s, {phase['sends']} sends ({phase['sendsPerSecond']}/s), "
               f"{sum(phase['errors'].values())} failed attempts, {phase['failed']} calls failed after retries.\n")
    out.append("| event | at | errors in the next 60 s (by code) | error window | p99 10 s before | p99 worst second, 30 s after | p99 30-60 s after | sends/s before → first 30 s | steady again after |")
    out.append("|---|---|---|---|---|---|---|---|---|")
    starts = [(t, name) for t, name in events if name.split()[0] in ("add", "stop", "kill", "restart")]
    for i, (at, name) in enumerate(starts):
        nxt = starts[i + 1][0] if i + 1 < len(starts) else at + timedelta(seconds=60)
        horizon = min(nxt, at + timedelta(seconds=60))
        during = window(at, horizon)
        errors = sum(t["errors"] for t in during)
        err_seconds = [t for t in during if t["errors"] > 0 or t["failed"] > 0]
        span = f"{(err_seconds[-1]['utc'] - err_seconds[0]['utc']).total_seconds() + 1:.0f} s" if err_seconds else "none"
        before = window(at - timedelta(seconds=10), at)
        base = rate(before)
        steady = None
        for t in during:
            # steady: from this second on, 3 seconds in a row without errors and at >= 70% of the pre-event send rate
            run = [s for s in during if t["utc"] <= s["utc"] < t["utc"] + timedelta(seconds=3)]
            if len(run) == 3 and all(s["errors"] == 0 and s["failed"] == 0 and s["sends"] >= 0.7 * base for s in run):
                steady = (t["utc"] - at).total_seconds()
                break
        by_code = {}
        for code, span_ in phase["errorSpans"].items():
            first, last = ts(span_["first"]), ts(span_["last"])
            if first < horizon and last >= at:
                by_code[code] = f"{code} ({max(first, at):%H:%M:%S.%f}"[:-3] + f"–{min(last, horizon):%H:%M:%S.%f}"[:-3] + ")"
        p_before, p_during, p_after = p99(before), p99(window(at, at + timedelta(seconds=30))), p99(window(at + timedelta(seconds=30), at + timedelta(seconds=60)))
        fmt = lambda v: "–" if v is None else f"{v:,.0f} ms"
        out.append(f"| {name} | {at:%H:%M:%S} | {errors} {'; '.join(by_code.values())} | {span} | {fmt(p_before)} | {fmt(p_during)} | {fmt(p_after)} | "
                   f"{base:.1f} → {rate(window(at, at + timedelta(seconds=30))):.1f} | {'%.0f s' % steady if steady is not None else 'not within 60 s'} |")
    v = report.get("verification")
    if v:
        out.append(f"\n**Verification**: {v['acknowledged']} acknowledged turns in {v['conversations']} conversations: "
                   f"**{v['lost']} lost, {v['duplicated']} duplicated**; {v['storedUnacknowledged']} stored but never acknowledged; "
                   f"{v['unreadable']} conversations unreadable.")
        for e in v.get("examples", [])[:10]:
            out.append(f"- {e}")
    out.append("\n**Errors by code over the whole mix** (attempts; retried ones included): " +
               (", ".join(f"{k} {n}" for k, n in phase["errors"].items()) or "none"))
    watched = (folder / "health-silo.txt").read_text().strip() if (folder / "health-silo.txt").exists() else "silo 3"
    kill = next((t for t, name in events if name.startswith("kill")), None)
    if kill and health:
        after = [(t, code) for t, code in health if kill <= t < kill + timedelta(seconds=30)]
        bad = [t for t, code in after if code != "200"]
        out.append(f"\n**/health of {watched} after the kill**: " + (f"non-200 from {(bad[0] - kill).total_seconds():.1f} s to {(bad[-1] - kill).total_seconds():.1f} s after the kill "
                                                                   f"({len(bad)} of {len(after)} samples)" if bad else f"200 in all {len(after)} samples of the 30 s after the kill"))
    sizes = folder / "log-sizes.tsv"
    if sizes.exists():
        out.append("\n**Log sizes**: " + ", ".join(f"{n} {int(s):,} B" for n, s in (l.split("\t") for l in sizes.read_text().splitlines() if l)))
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1])
