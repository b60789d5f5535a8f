"""How the fixture parsers' time grows with hostile input: each should be linear.

    python -m bench.parsers [--sizes 1000,4000,16000]

The inputs are those that once tied up a worker for 6 to 25 s (an unclosed inline list read
again on every line, runs of capitalised sentence ends in heading recovery). For each size it
prints the seconds and the ratio to the previous size: about the size ratio (4) is linear,
about its square (16) quadratic. Speed lives here, not in the tests
(tests/importer/test_parsers_bounded.py checks what the parsers answer).
"""

import argparse
import contextlib
import datetime
import os
import platform
import time

import django


def unclosed_list(size):
    return '---\nname: Open\nkey_words: ["a",\n' + '"more words in the list",\n' * size + "---\n"


def sentence_ends(size):
    return "Ab.) " * size


def seconds(function, argument, repeat=3):
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function(argument)
        best = min(best, time.perf_counter() - start)
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,4000,16000")
    sizes = [int(size) for size in parser.parse_args().sizes.split(",")]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    django.setup()
    from importer.dialect import decode, parse
    from importer.errors import FixtureError
    from importer.structure import recover_headings

    def read_list(text):
        with contextlib.suppress(FixtureError):  # refused, with its line: what the test checks
            parse(decode(text.encode(), "bench.txt"), "bench.txt")

    cases = [
        ("unclosed inline list (lines)", read_list, unclosed_list),
        ("heading recovery on 'Ab.)' runs", recover_headings, sentence_ends),
    ]
    print(f"# parser growth, {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC")
    print(
        f"# machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print("\n| input | size | seconds | ratio to previous |\n|---|---:|---:|---:|")
    for label, function, make in cases:
        previous = None
        for size in sizes:
            took = seconds(function, make(size))
            ratio = f"{took / previous:.1f}" if previous else "–"
            print(f"| {label} | {size:,} | {took:.4f} | {ratio} |")
            previous = took


if __name__ == "__main__":
    main()
