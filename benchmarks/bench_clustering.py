"""Common-input clustering at scale: the course's union-find against networkx, side by side.

    python benchmarks/bench_clustering.py                       # 10k and 100k transactions
    python benchmarks/bench_clustering.py --scale 1000000       # add a 1M ledger
    python benchmarks/bench_clustering.py --scale 100000 --csv  # also time reading CSV tables

For each size, a synthetic ledger is made once by a vectorised generator
(seconds, not the world's minutes) and cached as the ``.npz`` file that
:meth:`course.tracing.ledger.Ledger.save` writes (``--cache``, default
``/tmp/nps-course-bench``). Then, each in a fresh process so that its peak
memory is its own:

* **course**: load the cached columnar ledger, build the common-input links,
  run :func:`course.tracing.clustering.union_find`;
* **networkx**: load the same ledger and links, build an ``nx.Graph`` of them,
  run ``nx.connected_components``.

``ratio`` compares the clustering step alone (union-find against graph
building plus connected components); ``w/ links`` adds to both the shared
step that extracts the links from the inputs.

The two clusterings must be the same partition of the addresses (checked;
the run fails otherwise). With ``--csv`` the ledger is also written as day
4's CSV tables and read back with :func:`course.tracing.ledger.read_csv`
(the format a trainee has; parsed once, then the ``.npz`` is the cache).

The synthetic ledger: owners hold blocks of addresses; a transaction spends
1 to 10 inputs of one owner (1 in 100 multi-input transactions also spends
another owner's address: a false link, so super-clusters form) and pays a
payee and a change address; 1 in 500 transactions is a 5x5 equal-output
CoinJoin of five owners. Addresses and txids are random strings of the right
length (no checksum: only clustering is measured).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from course.tracing.ledger import SCRIPT_TYPES, Ledger, load, read_csv  # noqa: E402

DEFAULT_SCALES = (10_000, 100_000)
ADDRESSES_PER_OWNER = 8
MAX_SECONDS, MAX_MB, MIN_RATIO = 10.0, 2048.0, 10.0
_HEX = np.array([f"{i:02x}".encode() for i in range(256)], dtype="S2")


def _hex(rng: np.random.Generator, n: int, nbytes: int) -> np.ndarray:
    """``n`` random hex strings of ``2 * nbytes`` characters, as a bytes array."""
    raw = rng.integers(0, 256, size=(n, nbytes), dtype=np.uint8)
    return np.ascontiguousarray(_HEX[raw]).view(f"S{2 * nbytes}").ravel()


def synthetic(n_tx: int, seed: int = 2026) -> Ledger:
    """A ledger of ``n_tx`` transactions, made with whole-array operations."""
    rng = np.random.default_rng(seed)
    n_owners = max(n_tx // 4, 10)
    n_addr = n_owners * ADDRESSES_PER_OWNER
    owner = rng.integers(0, n_owners, n_tx)
    n_in = rng.choice([1, 2, 3, 4, 6, 10], p=[0.6, 0.2, 0.1, 0.05, 0.03, 0.02], size=n_tx)
    join = rng.random(n_tx) < 0.002
    n_in[join] = 5
    in_tx = np.repeat(np.arange(n_tx), n_in)
    in_owner = owner[in_tx]
    j_rows = join[in_tx]
    in_owner[j_rows] = rng.integers(0, n_owners, j_rows.sum())  # five strangers
    false = (rng.random(len(in_tx)) < 0.01 / 3) & (n_in[in_tx] > 1)
    in_owner[false] = rng.integers(0, n_owners, false.sum())
    in_addr = in_owner * ADDRESSES_PER_OWNER + rng.integers(0, ADDRESSES_PER_OWNER, len(in_tx))
    in_value = rng.integers(10_000, 50_000_000, len(in_tx))
    back = rng.integers(1, 1000, len(in_tx))
    in_prev = np.where(in_tx >= back, in_tx - back, -1)
    n_out = np.where(join, 5, 2)
    out_tx = np.repeat(np.arange(n_tx), n_out)
    first = np.r_[True, out_tx[1:] != out_tx[:-1]]
    out_vout = np.arange(len(out_tx)) - np.repeat(np.flatnonzero(first), n_out)
    out_addr = rng.integers(0, n_addr, len(out_tx))
    change = (out_vout == 1) & ~join[out_tx]
    out_addr[change] = owner[out_tx[change]] * ADDRESSES_PER_OWNER + rng.integers(
        0, ADDRESSES_PER_OWNER, change.sum())
    out_value = rng.integers(5_000, 40_000_000, len(out_tx))
    out_value[join[out_tx]] = 1_000_000
    prefix = np.array(b"bc1q", dtype="S4")
    addresses = np.char.add(prefix, np.char.ljust(_hex(rng, n_addr, 19), 38, b"0"))
    return Ledger(
        txids=_hex(rng, n_tx, 32), addresses=addresses,
        tx_height=np.arange(n_tx, dtype=np.int64) // 2500 + 870_000,
        tx_coinbase=np.zeros(n_tx, dtype=bool),
        in_tx=in_tx.astype(np.int32), in_addr=in_addr.astype(np.int32), in_value=in_value,
        in_prev_tx=in_prev.astype(np.int32), in_prev_vout=np.zeros(len(in_tx), dtype=np.int32),
        out_tx=out_tx.astype(np.int32), out_vout=out_vout.astype(np.int32),
        out_addr=out_addr.astype(np.int32), out_value=out_value,
        out_type=np.full(len(out_tx), SCRIPT_TYPES.index("p2wpkh"), dtype=np.int8))


def write_csv(ledger: Ledger, folder: Path) -> None:
    """Day 4's three tables for ``ledger`` (only the columns the ledger reads)."""
    import pandas as pd

    folder.mkdir(parents=True, exist_ok=True)
    txids = ledger.txids.astype(str)
    addr = ledger.addresses.astype(str)
    pd.DataFrame({"txid": txids, "block_height": ledger.tx_height,
                  "is_coinbase": ledger.tx_coinbase.astype(int)}).to_csv(
        folder / "transactions.csv", index=False)
    prev = np.where(ledger.in_prev_tx >= 0, txids[ledger.in_prev_tx], "")
    pd.DataFrame({"txid": txids[ledger.in_tx], "prev_txid": prev,
                  "prev_vout": ledger.in_prev_vout, "address": addr[ledger.in_addr],
                  "value": ledger.in_value}).to_csv(folder / "inputs.csv", index=False)
    pd.DataFrame({"txid": txids[ledger.out_tx], "vout": ledger.out_vout,
                  "address": addr[ledger.out_addr], "value": ledger.out_value,
                  "script_type": "p2wpkh"}).to_csv(folder / "outputs.csv", index=False)


def _peak_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ``ru_maxrss`` it does not carry
    over the parent's peak through ``exec``)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(part: str, npz: Path, labels_out: Path) -> dict[str, float]:
    """One measured part, in its own process: ``course``, ``networkx`` or ``csv``."""
    from course.tracing.clustering import input_links, union_find
    from course.tracing.coinjoin import coinjoin_mask_of

    start = time.perf_counter()
    if part == "csv":
        ledger = read_csv(npz.parent / (npz.stem + "-csv"))
    else:
        ledger = load(npz)
    loaded = time.perf_counter()
    skip = coinjoin_mask_of(ledger)
    a, b = input_links(ledger, skip)
    linked = time.perf_counter()
    if part == "networkx":
        import networkx as nx

        graph = nx.Graph()
        graph.add_edges_from(zip(a.tolist(), b.tolist(), strict=True))
        components = list(nx.connected_components(graph))
        done = time.perf_counter()  # the labels below are for the check, not timed
        labels = np.arange(ledger.n_addresses)
        for component in components:
            nodes = np.fromiter(component, dtype=np.int64)
            labels[nodes] = nodes.min()
    else:
        labels = union_find(ledger.n_addresses, a, b)
        done = time.perf_counter()
    np.save(labels_out, labels)
    return {"load_s": loaded - start, "links_s": linked - loaded, "cluster_s": done - linked,
            "total_s": done - start, "peak_mb": _peak_mb(), "n_tx": ledger.n_tx,
            "n_addresses": ledger.n_addresses, "n_inputs": len(ledger.in_tx),
            "coinjoins": int(skip.sum())}


def run_child(part: str, npz: Path, labels_out: Path) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "--child", part, "--npz", str(npz),
                          "--labels", str(labels_out)], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def ensure(n_tx: int, cache: Path, csv: bool) -> tuple[Path, float]:
    """The cached ledger of ``n_tx`` transactions (made now if missing) and the seconds it took."""
    cache.mkdir(parents=True, exist_ok=True)
    npz = cache / f"synthetic-{n_tx}.npz"
    start = time.perf_counter()
    if not npz.is_file():
        synthetic(n_tx).save(npz)
    if csv and not (cache / f"synthetic-{n_tx}-csv" / "outputs.csv").is_file():
        write_csv(load(npz), cache / f"synthetic-{n_tx}-csv")
    return npz, time.perf_counter() - start


def same_partition(x: np.ndarray, y: np.ndarray) -> bool:
    """True if two label arrays split the nodes into the same groups."""
    pairs = np.unique(np.stack([x, y]), axis=1)
    return pairs.shape[1] == len(np.unique(x)) == len(np.unique(y))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, action="append", help="transactions (repeatable)")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) /
                        "nps-course-bench")
    parser.add_argument("--csv", action="store_true", help="also time reading the CSV tables")
    parser.add_argument("--child", choices=("course", "networkx", "csv"), help=argparse.SUPPRESS)
    parser.add_argument("--npz", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--labels", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.npz, args.labels)))
        return 0
    print(f"{'txs':>9} {'addresses':>10} {'inputs':>9} {'made':>6} | {'load':>6} {'links':>6} "
          f"{'union-find':>10} {'total':>6} {'peak MB':>8} | {'nx graph+cc':>11} "
          f"{'peak MB':>8} | {'ratio':>6} {'w/ links':>8} same"
          + ("  | csv load" if args.csv else ""), flush=True)
    status = 0
    for n_tx in args.scale or DEFAULT_SCALES:
        npz, made = ensure(n_tx, args.cache, args.csv)
        ours = run_child("course", npz, args.cache / "labels-course.npy")
        theirs = run_child("networkx", npz, args.cache / "labels-networkx.npy")
        same = same_partition(np.load(args.cache / "labels-course.npy"),
                              np.load(args.cache / "labels-networkx.npy"))
        ratio = theirs["cluster_s"] / max(ours["cluster_s"], 1e-9)
        ratio_links = (theirs["links_s"] + theirs["cluster_s"]) / max(
            ours["links_s"] + ours["cluster_s"], 1e-9)
        line = (f"{ours['n_tx']:>9,} {ours['n_addresses']:>10,} {ours['n_inputs']:>9,} "
                f"{made:>5.1f}s | {ours['load_s']:>5.2f}s {ours['links_s']:>5.2f}s "
                f"{ours['cluster_s']:>9.2f}s {ours['total_s']:>5.2f}s {ours['peak_mb']:>8.0f} | "
                f"{theirs['cluster_s']:>10.2f}s {theirs['peak_mb']:>8.0f} | {ratio:>5.1f}x "
                f"{ratio_links:>7.1f}x "
                f"{'yes' if same else 'NO'}")
        if args.csv:
            csv = run_child("csv", npz, args.cache / "labels-csv.npy")
            line += f"  | {csv['load_s']:.2f}s (peak {csv['peak_mb']:.0f} MB)"
        print(line, flush=True)
        ok = same and ratio >= MIN_RATIO
        if n_tx >= 1_000_000:
            ok = ok and ours["total_s"] <= MAX_SECONDS and ours["peak_mb"] <= MAX_MB
        status |= 0 if ok else 1
    print(f"cpu: {os.cpu_count()} cores; limits at 1M: load+clustering <= {MAX_SECONDS:.0f} s, "
          f"<= {MAX_MB:.0f} MB, >= {MIN_RATIO:.0f}x networkx, same clusters")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
