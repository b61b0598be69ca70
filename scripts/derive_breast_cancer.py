#!/usr/bin/env python3
"""Derive www/data/breast_cancer.csv from the copy shipped with scikit-learn.

Source: Breast Cancer Wisconsin (Diagnostic), UCI Machine Learning Repository
(Wolberg, Street, Mangasarian, 1995), DOI 10.24432/C5DW2B, CC BY 4.0, as
shipped in scikit-learn (sklearn/datasets/data/breast_cancer.csv, BSD-3-Clause).

Changes made:
  * the sklearn header line ("569,30,malignant,benign") is replaced by the 30
    feature names of `load_breast_cancer().feature_names` plus a label column;
  * the label is recoded to `malignant` = 1 - sklearn target
    (sklearn: 0 = malignant, 1 = benign; here: 1 = malignant, 0 = benign).

Every feature value is copied verbatim as the original string, so every CSV
reader parses exactly the same doubles.  Output: Unix newlines, trailing
newline, no index column.  Deterministic: running twice yields identical bytes.

Also writes www/data/ATTRIBUTION.md (source, licence, changes, command, SHA-256).

Usage:  python3 scripts/derive_breast_cancer.py
"""

import hashlib
import os
import sys

import sklearn
from sklearn.datasets import load_breast_cancer

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(REPO, "www", "data")
OUT_CSV = os.path.join(OUT_DIR, "breast_cancer.csv")
OUT_ATTR = os.path.join(OUT_DIR, "ATTRIBUTION.md")
N_ROWS, N_FEATURES = 569, 30


def source_path():
    return os.path.join(os.path.dirname(sklearn.__file__), "datasets", "data", "breast_cancer.csv")


def read_source(path):
    """Return (rows of 30 feature strings, list of sklearn targets as ints)."""
    with open(path, "r", encoding="ascii", newline="") as fh:
        lines = fh.read().splitlines()
    header = lines[0].split(",")
    assert header == [str(N_ROWS), str(N_FEATURES), "malignant", "benign"], header
    body = [ln for ln in lines[1:] if ln != ""]
    assert len(body) == N_ROWS, len(body)
    features, targets = [], []
    for ln in body:
        cells = ln.split(",")
        assert len(cells) == N_FEATURES + 1, ln
        features.append(cells[:N_FEATURES])
        targets.append(int(cells[N_FEATURES]))
    assert set(targets) == {0, 1}
    return features, targets


def check_against_loader(features, targets):
    """The verbatim strings must parse to exactly what sklearn's loader returns."""
    bunch = load_breast_cancer()
    for i, row in enumerate(features):
        for j, s in enumerate(row):
            assert float(s) == bunch.data[i, j], (i, j, s)
        assert targets[i] == int(bunch.target[i]), i
    assert list(bunch.target_names) == ["malignant", "benign"]
    return [str(name) for name in bunch.feature_names]


def render_csv(names, features, targets):
    assert all("," not in n and '"' not in n for n in names)
    out = [",".join(names + ["malignant"])]
    for row, t in zip(features, targets):
        out.append(",".join(row + [str(1 - t)]))
    return ("\n".join(out) + "\n").encode("ascii")


def render_attribution(sha256, n_malignant, n_benign):
    return f"""# Data attribution

## `breast_cancer.csv`

- **Dataset:** Breast Cancer Wisconsin (Diagnostic).
- **Creators:** William Wolberg, W. Nick Street, Olvi Mangasarian (1995).
- **Source:** UCI Machine Learning Repository, DOI 10.24432/C5DW2B (resolve at doi.org).
- **Licence:** Creative Commons Attribution 4.0 International (CC BY 4.0).
- **Obtained from:** the copy shipped in scikit-learn {sklearn.__version__}
  (`sklearn/datasets/data/breast_cancer.csv`; scikit-learn is BSD-3-Clause).

### Changes from the source

- The scikit-learn header line (`569,30,malignant,benign`) was replaced by a header
  naming the 30 features exactly as `sklearn.datasets.load_breast_cancer().feature_names`
  (e.g. `mean radius`), followed by a label column `malignant`.
- The label was recoded: `malignant` = 1 for malignant and 0 for benign
  (scikit-learn's target is 0 = malignant, 1 = benign, so `malignant` = 1 − target).
  The file has {N_ROWS} rows: {n_malignant} malignant, {n_benign} benign.
- All feature values are copied verbatim as the original strings (no re-formatting);
  row order is unchanged; Unix newlines, trailing newline, no index column.

### Regeneration

```
pip install -r scripts/requirements.txt
python3 scripts/derive_breast_cancer.py
```

The script is deterministic. SHA-256 of `breast_cancer.csv`:

```
{sha256}  breast_cancer.csv
```
"""


def main():
    features, targets = read_source(source_path())
    names = check_against_loader(features, targets)
    data = render_csv(names, features, targets)
    sha = hashlib.sha256(data).hexdigest()
    os.makedirs(OUT_DIR, exist_ok=True)
    with open(OUT_CSV, "wb") as fh:
        fh.write(data)
    n_mal = sum(1 - t for t in targets)
    attr = render_attribution(sha, n_mal, N_ROWS - n_mal)
    with open(OUT_ATTR, "wb") as fh:
        fh.write(attr.encode("utf-8"))
    print(f"wrote {os.path.relpath(OUT_CSV, REPO)}: {N_ROWS} rows x {N_FEATURES} features "
          f"+ malignant ({n_mal} malignant, {N_ROWS - n_mal} benign)")
    print(f"sha256 {sha}")
    print(f"wrote {os.path.relpath(OUT_ATTR, REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
