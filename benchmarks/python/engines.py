"""CPython asyncio and uvloop, for the engine table of benchmarks/README.md (run by benchmarks/run-engines.sh).

The same three measurements as the JMH benchmarks, on the stock event loop and on uvloop, several rounds each
(printed as a range, not the best):
  switch        two tasks ping-ponging with sleep(0), per switch (SwitchBenchmark)
  create+await  create_task(coro) then await it, one at a time inside one coroutine (TaskBenchmark)
  task bytes    a task in sleep(3600), by tracemalloc (HeapPerTask)
"""
import asyncio
import gc
import sys
import time
import tracemalloc

try:
    import uvloop
except ImportError:  # apt-get install python3-uvloop
    uvloop = None

SWITCHES = 200_000
TASKS = 100_000
ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 5


async def _yield_half():
    for _ in range(SWITCHES // 2):
        await asyncio.sleep(0)


async def switch_ns():
    t0 = time.perf_counter_ns()
    await asyncio.gather(_yield_half(), _yield_half())
    return (time.perf_counter_ns() - t0) / SWITCHES


async def _value(n):
    return n


async def create_await_ns():
    t0 = time.perf_counter_ns()
    total = 0
    for i in range(TASKS):
        total += await asyncio.create_task(_value(i))
    return (time.perf_counter_ns() - t0) / TASKS


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


def measure(name, new_loop):
    switches, creates = [], []
    for _ in range(ROUNDS):
        loop = new_loop()
        try:
            switches.append(loop.run_until_complete(switch_ns()))
            creates.append(loop.run_until_complete(create_await_ns()))
        finally:
            loop.close()
    loop = new_loop()
    try:
        size = loop.run_until_complete(task_bytes())
    finally:
        loop.close()
    def rng(xs):
        xs = sorted(xs)
        return f"{xs[0]:7.0f} - {xs[-1]:7.0f} (median {xs[len(xs) // 2]:7.0f})"
    print(f"{name:16s} switch ns:        {rng(switches)}")
    print(f"{name:16s} create+await ns:  {rng(creates)}")
    print(f"{name:16s} task in sleep(3600): {size:6.0f} bytes (tracemalloc)")


print(f"# CPython {sys.version.split()[0]}, uvloop {uvloop.__version__ if uvloop else 'missing'}, {ROUNDS} rounds")
measure("cpython-asyncio", asyncio.new_event_loop)
if uvloop:
    measure("uvloop", uvloop.new_event_loop)
