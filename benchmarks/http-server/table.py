"""Markdown table of benchmarks/http-server/run.sh's measurements.

Reads the tab-separated rows that run.sh wrote (one per round, server, endpoint and connection count:
round server endpoint connections seconds requests rps p99_ms cpu_ticks errors) and prints, per endpoint and
connection count, each server's median and min - max over the rounds of: requests per second, p99 latency,
server CPU time per request, and the ratios to the floor (raw Netty) taken round by round, so that a slow
round of the whole machine falls on both sides of a ratio.

Usage: python3 table.py ROWS.tsv CLK_TCK [FLOOR] [SERVER ...]  (the servers in the order to print)
"""
import statistics
import sys


def spread(values, fmt):
    if not values:
        return "-"
    med = statistics.median(values)
    if len(values) == 1:
        return fmt(med)
    return f"{fmt(med)} ({fmt(min(values))} - {fmt(max(values))})"


def main():
    path, clk_tck = sys.argv[1], int(sys.argv[2])
    floor = sys.argv[3] if len(sys.argv) > 3 else "netty"
    order = sys.argv[4:]
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            r = line.rstrip("\n").split("\t")
            rows.append({
                "round": int(r[0]), "server": r[1], "endpoint": r[2], "conns": int(r[3]), "seconds": float(r[4]),
                "requests": int(r[5]), "rps": float(r[6]), "p99": float(r[7]), "ticks": int(r[8]), "errors": int(r[9]),
            })
    if not rows:
        print("no measurements")
        return
    servers = order or sorted({r["server"] for r in rows})
    groups = []
    for r in rows:
        if (r["endpoint"], r["conns"]) not in groups:
            groups.append((r["endpoint"], r["conns"]))
    for endpoint, conns in groups:
        print(f"\n### `GET {'/' if endpoint == 'plaintext' else '/json'}` ({endpoint}), {conns} connections\n")
        print("| server | req/s | p99 ms | server CPU µs/request | server CPU busy | req/s × Netty | CPU/request × Netty | errors |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        by = {}
        for r in rows:
            if r["endpoint"] == endpoint and r["conns"] == conns:
                by.setdefault(r["server"], {})[r["round"]] = r
        floor_rows = by.get(floor, {})
        for server in servers:
            runs = by.get(server)
            if not runs:
                continue
            ok = [r for r in runs.values() if r["requests"] > 0]
            rps = [r["rps"] for r in ok]
            p99 = [r["p99"] for r in ok]
            cpu = [r["ticks"] * 1e6 / clk_tck / r["requests"] for r in ok]
            busy = [r["ticks"] / clk_tck / r["seconds"] * 100 for r in ok]
            rps_x, cpu_x = [], []
            for rnd, r in runs.items():
                f = floor_rows.get(rnd)
                if f and f["requests"] > 0 and r["requests"] > 0:
                    rps_x.append(r["rps"] / f["rps"])
                    if f["ticks"] > 0:
                        cpu_x.append((r["ticks"] / r["requests"]) / (f["ticks"] / f["requests"]))
            errors = sum(r["errors"] for r in runs.values())
            name = f"**{server}**" if server == "asyncio" else server
            print(f"| {name} | {spread(rps, lambda v: f'{v:,.0f}')} | {spread(p99, lambda v: f'{v:.2f}')} "
                  f"| {spread(cpu, lambda v: f'{v:.1f}')} | {spread(busy, lambda v: f'{v:.0f}%')} "
                  f"| {spread(rps_x, lambda v: f'{v:.2f}')} | {spread(cpu_x, lambda v: f'{v:.2f}')} | {errors} |")


if __name__ == "__main__":
    main()
