"""Where a JFR recording's CPU samples went: the methods on the most sampled stacks, self and inclusive.

Reads the text of `jfr print --events jdk.ExecutionSample --stack-depth 128 REC.jfr` on standard input and
prints, for the thread that has the most samples (the event loop), the top methods by self samples (the top
frame) and by inclusive samples (anywhere on the stack, once per sample).

Usage: jfr print --events jdk.ExecutionSample --stack-depth 128 rec.jfr | python3 jfr_frames.py [TOP]
"""
import collections
import re
import sys


def main():
    top = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    samples = []  # (thread, [frames top first])
    thread, frames, in_stack = None, [], False
    for line in sys.stdin:
        s = line.strip()
        if s.startswith("jdk.ExecutionSample"):
            thread, frames, in_stack = None, [], False
        elif s.startswith("sampledThread"):
            m = re.search(r'"([^"]*)"', s)
            thread = m.group(1) if m else s
        elif s.startswith("stackTrace = ["):
            in_stack = True
        elif in_stack and s.startswith("]"):
            in_stack = False
            samples.append((thread, frames))
        elif in_stack and s and s != "...":
            frames.append(re.sub(r"\s+line:.*$", "", s))
    if not samples:
        print("no execution samples")
        return
    threads = collections.Counter(t for t, _ in samples)
    print("samples per thread:", ", ".join(f"{t}: {n}" for t, n in threads.most_common(5)))
    loop = threads.most_common(1)[0][0]
    mine = [f for t, f in samples if t == loop]
    total = len(mine)
    self_c = collections.Counter(f[0] for f in mine if f)
    incl = collections.Counter()
    for f in mine:
        incl.update(set(f))
    print(f"\nthread {loop!r}: {total} samples\n\nself:")
    for m, n in self_c.most_common(top):
        print(f"  {n * 100 / total:5.1f}%  {m}")
    print("\ninclusive:")
    for m, n in incl.most_common(top):
        print(f"  {n * 100 / total:5.1f}%  {m}")


if __name__ == "__main__":
    main()
