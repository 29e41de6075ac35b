#!/usr/bin/env python3
"""bench/table.py RAW.tsv HEADER: the markdown results table of bench/run.

Groups the raw runs by (scenario, speaker, variant, N), reports the medians, and checks
the targets of issue 6 with ratios taken from the same run. Run by bench/run; usage:
    python3 bench/table.py bench/results/<stamp>.tsv header.txt > bench/results/<stamp>.md
"""
import csv
import math
import statistics
import sys

SCENARIOS = {
    "s1": "S1 API → peer (helper prints N `announce route`; time from its first line to the N-th route at bgp-sink)",
    "s1bird": "S1 API → BIRD 2 (time from the first line, or from Established for BIRD's own static routes, to BIRD holding N)",
    "s2": "S2 peer → API JSON (bgp-blast replays pre-encoded UPDATEs; time from its first octet to the helper counting N)",
    "s3": "S3 withdraw all (time from the first `withdraw route` line to the N-th withdrawal at bgp-sink)",
    "s4": "S4 peer restart with N routes in the Adj-RIB-Out (time from bgp-sink closing the session to the N-th route of the new one: the speaker's reconnect, in the note, plus the re-advertisement)",
    "s5": "S5 100 peers on 127.0.1.x (N/100 routes each, to every peer; time from the first line to the last route)",
    "s6": "S6 start-up with N `static` routes (time from process start to the N-th route at bgp-sink)",
}


def num(text):
    try:
        v = float(text)
        return None if math.isnan(v) else v
    except ValueError:
        return None


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(v, digits=2):
    if v is None:
        return "—"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    return f"{v:.{digits}f}"


def human(n):
    n = int(n)
    if n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n % 1000 == 0:
        return f"{n // 1000}k"
    return str(n)


def main():
    rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
    header = open(sys.argv[2]).read().strip().splitlines()
    groups = {}
    for r in rows:
        if r["scenario"] == "s5":
            r["variant"] = "100 peers"
        if r["scenario"] == "s4" and r["note"].startswith("reconnect ") and num(r["seconds"]) is not None:
            r["seconds"] = str(num(r["seconds"]) + float(r["note"].split()[1]))
        key = (r["scenario"], r["speaker"], r["variant"], int(r["n"]))
        groups.setdefault(key, []).append(r)
    out = ["# Herald benchmark results", ""]
    out += [f"- {line}" for line in header]
    out += ["", "Medians of the runs; routes/s = N / seconds; CPU s and peak RSS (VmHWM) are the "
            "speaker process's own (the sending BIRD for BIRD's static rows), sampled when the "
            "scenario is done; wall = from the speaker's start; load = 1-minute load average "
            "when each run started.", ""]
    med = {}
    for scen, title in SCENARIOS.items():
        keys = sorted((k for k in groups if k[0] == scen), key=lambda k: (k[3], k[1], k[2]))
        if not keys:
            continue
        out += [f"## {title}", "",
                "| speaker | variant | N | runs | seconds | routes/s | CPU s | peak RSS MiB | wall s | load | note |",
                "|---|---|---|---|---|---|---|---|---|---|---|"]
        for k in keys:
            runs = groups[k]
            # A run without its time (a milestone file missing) is not counted as done.
            ok = [r for r in runs if not r["note"].startswith(("incomplete", "not run"))
                  and num(r["seconds"]) is not None]
            secs = median(num(r["seconds"]) for r in ok)
            cpu = median(num(r["cpu_s"]) for r in ok)
            rss = median(num(r["rss_kib"]) for r in ok)
            wall = median(num(r["wall_s"]) for r in ok)
            rate = k[3] / secs if secs else None
            med[k] = {"secs": secs, "rate": rate, "rss": rss / 1024 if rss else None, "cpu": cpu}
            loads = "/".join(r["load"] for r in runs)
            notes = sorted({r["note"] for r in runs if r["note"]})
            done = len(ok)
            out.append(f"| {k[1]} | {k[2]} | {human(k[3])} | {done}/{len(runs) if runs[0]['run'] != '-' else 0} | "
                       f"{fmt(secs, 3)} | {fmt(rate, 0)} | {fmt(cpu)} | {fmt(rss / 1024 if rss else None, 1)} | "
                       f"{fmt(wall)} | {loads} | {'; '.join(notes)} |")
        out.append("")
    out += targets(med)
    print("\n".join(out))


def get(med, scen, speaker, variant, n, field):
    v = med.get((scen, speaker, variant, n))
    return v[field] if v else None


def targets(med):
    lines = ["## Targets of issue 6 (ratios from this run)", "",
             "| target | measured | verdict |", "|---|---|---|"]

    def row(name, measured, ok):
        verdict = "n/a (not measured)" if ok is None else ("met" if ok else "**missed**")
        lines.append(f"| {name} | {measured} | {verdict} |")

    ns = sorted({k[3] for k in med})
    top = max(ns) if ns else 0
    h1 = get(med, "s1", "herald", "v4 sets=1", top, "secs")
    hr = get(med, "s1", "herald", "v4 sets=1", top, "rate")
    exa = [(n, get(med, "s1", "exabgp", "v4 sets=1", n, "rate")) for n in ns]
    exa = [(n, r) for n, r in exa if r]
    if hr and exa:
        en, er = exa[-1]
        same = " (same N)" if en == top else f" (ExaBGP at {human(en)}, its rate only falls with N)"
        row(f"S1 {human(top)} v4: Herald ≥ 100× ExaBGP 5 routes/s", f"{hr / er:,.0f}×{same}", hr / er >= 100)
    else:
        row("S1: Herald ≥ 100× ExaBGP 5 routes/s", "—", None)
    row(f"S1 {human(top)} v4 to bgp-sink ≤ 1.5 s", f"{fmt(h1, 3)} s", None if h1 is None else h1 <= 1.5)
    hb = get(med, "s1bird", "herald", "v4 sets=1 -> BIRD", top, "secs")
    bb = get(med, "s1bird", "bird", "v4 sets=1 -> BIRD", top, "secs")
    row(f"S1 {human(top)} to BIRD within 1.2× BIRD's static routes",
        f"{fmt(hb, 3)} s vs {fmt(bb, 3)} s" + (f" = {hb / bb:.2f}×" if hb and bb else ""),
        None if not (hb and bb) else hb <= 1.2 * bb)
    h2 = get(med, "s2", "herald", "v4 raw sender", top, "secs")
    h2r = get(med, "s2", "herald", "v4 raw sender", top, "rate")
    e2r = get(med, "s2", "exabgp", "v4 raw sender", top, "rate")
    g2r = get(med, "s2", "gobgp", "v4 raw sender", top, "rate")
    row(f"S2 {human(top)}: Herald ≥ 20× ExaBGP 5", f"{h2r / e2r:.1f}×" if h2r and e2r else "—",
        None if not (h2r and e2r) else h2r >= 20 * e2r)
    row(f"S2 {human(top)} under 0.8 s", f"{fmt(h2, 3)} s", None if h2 is None else h2 < 0.8)
    row(f"S2 {human(top)}: faster than GoBGP", f"{h2r / g2r:.1f}×" if h2r and g2r else "—",
        None if not (h2r and g2r) else h2r > g2r)
    rss = get(med, "s1", "herald", "v4 sets=1", top, "rss")
    row(f"S1 {human(top)} shared attributes: peak RSS ≤ 150 MiB", f"{fmt(rss, 1)} MiB",
        None if rss is None else rss <= 150)
    s6 = get(med, "s6", "herald", "static in config", 100_000, "secs")
    row("S6 100k static routes: starts (all routes sent) in under 1 s", f"{fmt(s6, 3)} s", None if s6 is None else s6 < 1)
    if len(ns) >= 2:
        small, big = ns[0], ns[-1]
        factor = big / small
        for k in sorted({(k[0], k[2]) for k in med if k[1] == "herald"}):
            a = get(med, k[0], "herald", k[1], small, "secs")
            b = get(med, k[0], "herald", k[1], big, "secs")
            limit = 1.1 * factor
            row(f"scaling {k[0]} {k[1]}: {human(big)} ≤ {limit:.0f}× {human(small)}",
                f"{b / a:.1f}×" if a and b else "—", None if not (a and b) else b <= limit * a)
    lines.append("")
    return lines


if __name__ == "__main__":
    main()
