#!/usr/bin/env python3
"""Times commands in interleaved rounds and compares each with the first (the baseline).

    interleave.py ROUNDS WARMUP 'LABEL=COMMAND' 'LABEL=COMMAND' ...

Each round runs every command once, in a fresh random order, and records its wall time (from spawn
to exit, output discarded). Why not one block of runs per command, as hyperfine does: this machine's
speed drifts by 10-20% over tens of seconds (other tenants, CPU boost), and a block measured later
then looks slower for reasons of its own. Interleaving gives every command the same conditions, and
the ratio within a round cancels whatever the machine was doing in it.

Prints, per command, the median, mean, 10th and 90th percentiles, the ratio of its median to the
baseline's, and the median of its per-round ratios. Exits non-zero if a command fails.
"""
import os
import random
import shlex
import statistics
import sys
import time


def spawn_and_wait(argv, devnull):
    start = time.perf_counter()
    try:
        pid = os.posix_spawnp(argv[0], argv, os.environ,
                              file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)])
    except OSError as e:
        sys.exit(f"cannot run {argv[0]}: {e.strerror}")
    _, status = os.waitpid(pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        # Once more with its output shown, so that the reason is on the screen.
        print(f"command failed (exit {code}): {shlex.join(argv)}; running it again to show why:", file=sys.stderr)
        os.waitpid(os.posix_spawnp(argv[0], argv, os.environ), 0)
        sys.exit(1)
    return elapsed


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    try:
        rounds, warmup = int(sys.argv[1]), int(sys.argv[2])
    except ValueError:
        sys.exit(f"ROUNDS and WARMUP must be whole numbers, got {sys.argv[1]!r} and {sys.argv[2]!r}")
    if rounds < 1 or warmup < 0:
        sys.exit(f"ROUNDS must be at least 1 and WARMUP at least 0, got {rounds} and {warmup}")
    commands = []
    for spec in sys.argv[3:]:
        label, _, command = spec.partition("=")
        if not command:
            sys.exit(f"expected LABEL=COMMAND, got {spec!r}")
        if any(label == seen for seen, _ in commands):
            sys.exit(f"two commands are labelled {label!r}")
        commands.append((label, shlex.split(command)))
    devnull = os.open(os.devnull, os.O_WRONLY)
    for _ in range(warmup):
        for _, argv in commands:
            spawn_and_wait(argv, devnull)
    times = {label: [] for label, _ in commands}
    for _ in range(rounds):
        order = list(commands)
        random.shuffle(order)
        for label, argv in order:
            times[label].append(spawn_and_wait(argv, devnull))
    base_label = commands[0][0]
    base = times[base_label]
    width = max(len(label) for label, _ in commands)
    print(f"{rounds} interleaved rounds after {warmup} warm-up; times in ms")
    for label, _ in commands:
        t = times[label]
        per_round = [x / y for x, y in zip(t, base)]
        line = (f"{label:<{width}}  median {statistics.median(t) * 1000:6.1f}  mean {statistics.mean(t) * 1000:6.1f}"
                f"  p10 {percentile(t, 0.1) * 1000:6.1f}  p90 {percentile(t, 0.9) * 1000:6.1f}")
        if label != base_label:
            line += (f"  ratio of medians {statistics.median(t) / statistics.median(base):.2f}"
                     f"  median of per-round ratios {statistics.median(per_round):.2f}")
        print(line)


if __name__ == "__main__":
    main()
