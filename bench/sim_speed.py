#!/usr/bin/env python3
"""Simulation speed: how many simulated seconds `kactor sim` covers per wall second while every invariant
still holds, and a seed sweep's throughput.

  - the default scenario at scales 100, 200, 500, 1000 (--small: 100 only): passed?, the scale reached
    (simulated / wall time) — the highest passing scale is the figure (goal >= 100x);
  - a sweep of examples/scenarios/sweep.yaml (1,000 seeds; --small: 10): runs, passed, wall time, runs/s;
  - the data-loss hunt, examples/scenarios/removal-sweep.yaml (1,000 seeds; --small: 10): runs, passed
    (goal: every one), and the seeds that failed with their violations.

Usage: sim_speed.py KACTOR SOURCE_DIR [--small] [--json FILE]
"""
import json, subprocess, sys, tempfile, time, os

def main():
    kactor, src = sys.argv[1], sys.argv[2]
    small = "--small" in sys.argv
    out = sys.argv[sys.argv.index("--json") + 1] if "--json" in sys.argv else None
    rows = []
    def add(name, value, unit=""):
        rows.append({"name": name, "value": value, "unit": unit})
        print(f"{name:<60} {value:>10.3f} {unit}")
    best = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for scale in ([100] if small else [100, 200, 500, 1000]):
            d = os.path.join(tmp, f"default-{scale}")
            code = subprocess.run([kactor, "sim", "--scale", str(scale), "--report", d],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
            r = json.load(open(os.path.join(d, "report.json")))
            add(f"default scenario at {scale}x: passed (1/0)", 1.0 if code == 0 else 0.0)
            add(f"default scenario at {scale}x: scale reached", r["scaleReached"], "x")
            if code == 0:
                best = max(best, r["scaleReached"])
        add("simulation speed: highest scale with every invariant held, goal >= 100", best, "x")
        runs = 10 if small else 1000
        d = os.path.join(tmp, "sweep")
        t0 = time.monotonic()
        subprocess.run([kactor, "sim", "-f", os.path.join(src, "examples/scenarios/sweep.yaml"), "--runs", str(runs),
                        "--seed", "1", "--report", d], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall = time.monotonic() - t0
        sweep = json.load(open(os.path.join(d, "sweep.json")))
        add(f"sweep.yaml seeds run", len(sweep["runs"]))
        add(f"sweep.yaml seeds passed", sweep["passed"])
        add(f"sweep wall time", wall, "s")
        add(f"sweep simulated seconds per wall second",
            sum(r["simulatedMs"] for r in sweep["runs"]) / 1000.0 / wall, "x")
        d = os.path.join(tmp, "removal")
        t0 = time.monotonic()
        subprocess.run([kactor, "sim", "-f", os.path.join(src, "examples/scenarios/removal-sweep.yaml"), "--runs",
                        str(runs), "--seed", "1", "--report", d], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall = time.monotonic() - t0
        removal = json.load(open(os.path.join(d, "sweep.json")))
        add("removal-sweep.yaml seeds run", len(removal["runs"]))
        add("removal-sweep.yaml seeds passed (goal: all)", removal["passed"])
        add("removal-sweep wall time", wall, "s")
        for r in removal["runs"]:
            report = os.path.join(d, f"seed-{r['seed']}", "report.json")
            if os.path.exists(report):
                for v in json.load(open(report)).get("violations", []):
                    print(f"  seed {r['seed']}: {v['invariant']}: {v['detail']}")
    if out:
        json.dump({"benchmark": "sim", "figures": rows}, open(out, "w"), indent=2)

if __name__ == "__main__":
    main()
