"""Benchmarks print figures for the README; they assert nothing about time."""

import statistics
import time


def median_ms(fn, *, repeat: int = 200, warmup: int = 20) -> float:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)
