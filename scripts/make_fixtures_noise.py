#!/usr/bin/env python3
"""Independent numpy reference for the SEEDED noise stream → tests/fixtures/noise.json.

The reproducible (seeded) noise of certified unlearning, written again from its definition:

  SplitMix64 (Steele, Lea & Flood, OOPSLA 2014): state += 0x9E3779B97F4A7C15, then the
  xor-shift-multiply finaliser; two 64-bit words (w₁, w₂) per pair of normals;
  u = ((w₁ >> 11) + 1)·2⁻⁵³ ∈ (0, 1],  v = (w₂ >> 11)·2⁻⁵³ ∈ [0, 1)   (exact 53-bit grids);
  Box & Muller (1958): r = √(−2 ln u), z = (r cos 2πv, r sin 2πv).

The secret stream cannot have a reference (that is its point); the tests check its statistics.

Usage:  python3 scripts/make_fixtures_noise.py   (numpy as pinned in scripts/requirements.txt)
"""

import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import FIXTURES, SplitMix64  # noqa: E402

def normals(seed, n):
    rng = SplitMix64(seed)
    pairs = [(rng.next(), rng.next()) for _ in range((n + 1) // 2)]
    u = np.array([((a >> 11) + 1) for a, _ in pairs], dtype=np.float64) * 2.0**-53
    v = np.array([(b >> 11) for _, b in pairs], dtype=np.float64) * 2.0**-53
    r = np.sqrt(-2.0 * np.log(u))
    z = np.column_stack([r * np.cos(2 * np.pi * v), r * np.sin(2 * np.pi * v)]).ravel()
    return z[:n]


def main():
    cases = [{"seed": seed, "n": n, "z": normals(seed, n).tolist()} for seed, n in [(0, 8), (2026, 9)]]
    out = {
        "source": "scripts/make_fixtures_noise.py (numpy " + np.__version__ + ")",
        "tolerance": "1e-15 absolute (libm's sin, cos and log may differ by an ulp)",
        "cases": cases,
    }
    path = os.path.join(FIXTURES, "noise.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print("wrote", os.path.normpath(path))


if __name__ == "__main__":
    main()
