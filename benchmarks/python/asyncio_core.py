"""CPython asyncio reference numbers for benchmarks/run-core.sh: sleep(0) switch cost and task size."""
import asyncio
import gc
import time
import tracemalloc

SWITCHES = 200_000


async def _yield_half():
    for _ in range(SWITCHES // 2):
        await asyncio.sleep(0)


async def switch_ns():
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter_ns()
        await asyncio.gather(_yield_half(), _yield_half())
        best = min(best, (time.perf_counter_ns() - t0) / SWITCHES)
    return best


async def task_bytes(n=100_000):
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    tasks = [asyncio.create_task(asyncio.sleep(3600)) for _ in range(n)]
    await asyncio.sleep(0)
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return (after - before) / n


async def main():
    print(f"cpython asyncio sleep(0) switch:        {await switch_ns():8.1f} ns (best of 5)")
    print(f"cpython asyncio task in sleep(3600):    {await task_bytes():8.0f} bytes (tracemalloc)")


asyncio.run(main())
