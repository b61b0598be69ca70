#!/usr/bin/env python3
"""Derive www/data/digits.csv from the copy shipped with scikit-learn.

Source: Optical Recognition of Handwritten Digits, UCI Machine Learning Repository
(E. Alpaydin, C. Kaynak, 1998), DOI 10.24432/C50P49, CC BY 4.0, as shipped in
scikit-learn (sklearn/datasets/data/digits.csv.gz, BSD-3-Clause).  scikit-learn's
copy is the 1,797-row test part of the UCI data (optdigits.tes).

Changes made:
  * the file is decompressed and a header line is added: `px_r_c` for row r and
    column c of the 8×8 image (px_0_0, px_0_1, …, px_7_7; row-major, the same order
    as the source columns and `load_digits().images[i].ravel()`), then `digit`;
  * nothing else: every value is copied verbatim (integers 0–16, digit 0–9), the
    row order is unchanged, Unix newlines, trailing newline, no index column.

Also updates the `digits.csv` section of www/data/ATTRIBUTION.md (other sections are
kept).  Deterministic: running twice yields identical bytes.

Usage:  python3 scripts/derive_digits.py
"""

import gzip
import hashlib
import os
import sys

import sklearn
from sklearn.datasets import load_digits

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import REPO, update_section  # noqa: E402
OUT_DIR = os.path.join(REPO, "www", "data")
OUT_CSV = os.path.join(OUT_DIR, "digits.csv")
OUT_ATTR = os.path.join(OUT_DIR, "ATTRIBUTION.md")
N_ROWS, SIDE = 1797, 8
N_FEATURES = SIDE * SIDE


def source_path():
    return os.path.join(os.path.dirname(sklearn.__file__), "datasets", "data", "digits.csv.gz")


def read_source(path):
    """Return the rows as lists of 65 strings (64 pixel counts, then the digit)."""
    with gzip.open(path, "rb") as fh:
        text = fh.read().decode("ascii")
    assert "\r" not in text
    lines = text.split("\n")
    assert lines[-1] == "", "expected a trailing newline"
    rows = [ln.split(",") for ln in lines[:-1]]
    assert len(rows) == N_ROWS, len(rows)
    for r in rows:
        assert len(r) == N_FEATURES + 1, r
        # Canonical non-negative integers (no "0.0", no sign, no leading zeros).
        assert all(s.isdigit() and str(int(s)) == s for s in r), r
        assert all(0 <= int(s) <= 16 for s in r[:N_FEATURES]), r
        assert 0 <= int(r[N_FEATURES]) <= 9, r
    return rows


def check_against_loader(rows):
    """The verbatim strings must be exactly what sklearn's loader returns."""
    bunch = load_digits()
    assert bunch.data.shape == (N_ROWS, N_FEATURES)
    for i, r in enumerate(rows):
        assert [int(s) for s in r[:N_FEATURES]] == bunch.data[i].astype(int).tolist(), i
        assert [int(s) for s in r[:N_FEATURES]] == bunch.images[i].ravel().astype(int).tolist(), i
        assert int(r[N_FEATURES]) == int(bunch.target[i]), i
    # sklearn names pixel_r_c in the same row-major order.
    assert list(bunch.feature_names) == [f"pixel_{r}_{c}" for r in range(SIDE) for c in range(SIDE)]


def header():
    return [f"px_{r}_{c}" for r in range(SIDE) for c in range(SIDE)] + ["digit"]


def render_csv(rows):
    out = [",".join(header())] + [",".join(r) for r in rows]
    return ("\n".join(out) + "\n").encode("ascii")


def class_counts(rows):
    counts = [0] * 10
    for r in rows:
        counts[int(r[N_FEATURES])] += 1
    return counts


def constant_columns(rows):
    names = header()
    const = [j for j in range(N_FEATURES) if len({r[j] for r in rows}) == 1]
    assert all(rows[0][j] == "0" for j in const), "a constant column is not all zeros"
    return [names[j] for j in const]


def render_section(sha256, counts, constant):
    counts_text = ", ".join(f"{k}: {c}" for k, c in enumerate(counts))
    const_text = ", ".join(f"`{n}`" for n in constant)
    return f"""## `digits.csv`

- **Dataset:** Optical Recognition of Handwritten Digits.
- **Creators:** E. Alpaydin, C. Kaynak (1998).
- **Source:** UCI Machine Learning Repository, DOI 10.24432/C50P49 (resolve at doi.org).
- **Licence:** Creative Commons Attribution 4.0 International (CC BY 4.0).
- **Obtained from:** the copy shipped in scikit-learn {sklearn.__version__}
  (`sklearn/datasets/data/digits.csv.gz`; scikit-learn is BSD-3-Clause). That copy is the
  {N_ROWS:,}-row test part of the UCI data (`optdigits.tes`).

### Changes from the source

- The gzip file was decompressed and a header line was added: `px_r_c` is the pixel in row r
  and column c of the 8×8 image (`px_0_0`, `px_0_1`, …, `px_7_7`, row by row, the source's
  column order), followed by the label column `digit`.
- Nothing else was changed: every value is copied verbatim (pixel counts are integers 0–16,
  the number of "on" pixels in a 4×4 block of the original 32×32 bitmap; `digit` is 0–9);
  row order is unchanged; Unix newlines, trailing newline, no index column.
- The file has {N_ROWS:,} rows and {N_FEATURES} pixel columns. Rows per digit: {counts_text}.
  Columns that are constant (always 0) in the whole file: {const_text}.

### Regeneration

```
pip install -r scripts/requirements.txt
python3 scripts/derive_digits.py
```

The script is deterministic. SHA-256 of `digits.csv`:

```
{sha256}  digits.csv
```
"""


def main():
    rows = read_source(source_path())
    check_against_loader(rows)
    data = render_csv(rows)
    sha = hashlib.sha256(data).hexdigest()
    os.makedirs(OUT_DIR, exist_ok=True)
    with open(OUT_CSV, "wb") as fh:
        fh.write(data)
    counts, constant = class_counts(rows), constant_columns(rows)
    update_section(OUT_ATTR, "digits.csv", render_section(sha, counts, constant))
    print(f"wrote {os.path.relpath(OUT_CSV, REPO)}: {N_ROWS} rows x {N_FEATURES} pixels + digit "
          f"({len(data):,} bytes); rows per digit {counts}; constant columns {constant}")
    print(f"sha256 {sha}")
    print(f"updated the digits.csv section of {os.path.relpath(OUT_ATTR, REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
