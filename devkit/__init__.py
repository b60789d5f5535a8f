"""What tests and benchmarks share: generated corpora, the relevance set, the browser's flags.

Tests import this package and never ``bench/``; the benchmarks import it too, so both measure
and check the same corpus. It is a plain package, not a Django app: modules that need Django
import it inside their functions, and ``python -m devkit.corpus OUT_DIR`` runs without it.
"""
