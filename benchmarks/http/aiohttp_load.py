"""One round of the HTTP benchmark with Python's aiohttp, for HttpLoad to run beside the Java clients.

    python3 benchmarks/http/aiohttp_load.py URL REQUESTS CONCURRENCY [--uvloop]

CONCURRENCY tasks share one ClientSession (a TCPConnector limited to CONCURRENCY connections, keep-alive) and
fetch URL until REQUESTS responses were read; prints one line: requests/s, p50 and p99 latency in
microseconds, failed requests.
"""
import asyncio
import sys
import time

import aiohttp


async def main(url, n, concurrency):
    latency = [0.0] * n
    state = {"next": 0, "errors": 0}
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        async def worker():
            while state["next"] < n:
                i = state["next"]
                state["next"] += 1
                start = time.perf_counter()
                try:
                    async with session.get(url) as r:
                        body = await r.read()
                        if r.status != 200 or not body:
                            state["errors"] += 1
                except aiohttp.ClientError:
                    state["errors"] += 1
                latency[i] = time.perf_counter() - start

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - t0
    latency.sort()
    print(n / elapsed, latency[max(0, int(0.5 * n) - 1)] * 1e6, latency[max(0, int(0.99 * n) - 1)] * 1e6, state["errors"])


if __name__ == "__main__":
    if "--uvloop" in sys.argv:
        import uvloop
        uvloop.install()
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))
