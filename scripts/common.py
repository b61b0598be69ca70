"""Pieces the data and fixture scripts share: the repository's paths, SplitMix64 (the crate's
seeded generator, written again from its definition) and the ATTRIBUTION.md section writer."""

import os

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA_DIR = os.path.join(REPO, "www", "data")
FIXTURES = os.path.join(REPO, "tests", "fixtures")
MASK64 = (1 << 64) - 1


class SplitMix64:
    """SplitMix64 (Steele, Lea & Flood, OOPSLA 2014) in exact integer arithmetic mod 2^64."""

    def __init__(self, seed):
        self.state = seed & MASK64

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)


# Published reference value: the first SplitMix64 output for seed 0.
assert SplitMix64(0).next() == 0xE220A8397B1DCDAF


# ---- ATTRIBUTION.md: replace one "## `file`" section, keep the others -------------
# (derive_breast_cancer.py rewrites the whole file, so run it first)

SECTION_ORDER = ("breast_cancer.csv", "digits.csv", "adult.csv")


def update_section(path, filename, section):
    """Replace (or add) the section headed "## `filename`"; sections sorted by SECTION_ORDER."""
    text = open(path, encoding="utf-8").read() if os.path.exists(path) else "# Data attribution\n"
    chunks, current = [], []
    for line in text.splitlines(keepends=True):
        if line.startswith("## ") and current:
            chunks.append("".join(current))
            current = []
        current.append(line)
    chunks.append("".join(current))
    preamble, sections = chunks[0], chunks[1:]
    if preamble.startswith("## "):  # no preamble at all
        preamble, sections = "# Data attribution\n", chunks

    def key(chunk):
        return chunk.split("\n", 1)[0][3:].strip().strip("`")

    sections = [s for s in sections if key(s) != filename] + [section]
    rank = {name: i for i, name in enumerate(SECTION_ORDER)}
    sections.sort(key=lambda s: rank.get(key(s), len(SECTION_ORDER)))
    out = "\n".join(c.rstrip("\n") + "\n" for c in [preamble] + sections)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(out)


# ---- the reference solver ------------------------------------------------------------

def damped_newton(theta, loss, grad, direction, max_iter=200, target=1e-12):
    """Newton's method with Armijo step halving: step = direction(θ, ∇L(θ)), until ‖∇L‖ < target,
    or until float64 can no longer reduce ‖∇L‖ (three steps without progress). Returns θ; the
    callers assert how small ‖∇L‖ got."""
    import numpy as np  # here, so that the data scripts need no numpy

    g = grad(theta)
    best, stall = np.linalg.norm(g), 0
    for _ in range(max_iter):
        if np.linalg.norm(g) < target:
            break
        step = direction(theta, g)
        f0, slope, t = loss(theta), float(g @ step), 1.0
        if -slope > 1e-13 * max(1.0, abs(f0)):  # below float64 resolution: take the full step
            while loss(theta + t * step) > f0 + 1e-4 * t * slope and t > 2.0**-40:
                t *= 0.5
        theta = theta + t * step
        g = grad(theta)
        gnorm = np.linalg.norm(g)
        stall = stall + 1 if gnorm >= best else 0
        best = min(best, gnorm)
        if stall >= 3:
            break
    return theta
