"""The HDF5 data layer: round trips, validation of bad files, atomic writes, provenance.

Reference values come from an explicit loop over all 2^N states of a tiny model written here
(not from arspin.exact), so the physics cross-checks of the schemas are tested against
independently computed, consistent data.
"""

from __future__ import annotations

import itertools
import json
import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import h5py
import numpy as np
import pytest

from arspin import __version__, io
from arspin.hamiltonian import IsingModel

N = 5
BETAS = np.array([0.3, 1.0, 2.5])


# ------------------------------------------------------------------ independent references
def _energy_loop(i, j, J, h, x) -> float:
    """H(x) = -sum_b J_b x_i x_j - sum_k h_k x_k, one bond at a time."""
    bonds = sum(Jb * x[a] * x[b] for a, b, Jb in zip(i, j, J))
    return -bonds - sum(hk * xk for hk, xk in zip(h, x))


@pytest.fixture(scope="module")
def model() -> IsingModel:
    rng = np.random.default_rng(7)
    pairs = [(a, b) for a in range(N) for b in range(a + 1, N) if rng.random() < 0.7]
    i, j = np.array(pairs).T
    J, h = rng.normal(size=i.size), 0.3 * rng.normal(size=N)
    planted = rng.choice([-1, 1], size=N)
    meta = {"family": "test", "seed": 7, "options": {"p": 0.7}, "planted_state": planted.tolist(),
            "planted_energy": _energy_loop(i, j, J, h, planted)}
    return IsingModel.from_edges(N, i, j, J, h, meta=meta)


@pytest.fixture(scope="module")
def states(model):
    xs = np.array(list(itertools.product([-1, 1], repeat=N)))
    energies = np.array([_energy_loop(model.i, model.j, model.J, model.h, x) for x in xs])
    return xs, energies


def _exact(states) -> dict:
    xs, energies = states
    out = {k: [] for k in ("log_z", "free_energy", "energy", "entropy", "abs_magnetization")}
    for beta in BETAS:
        w = np.exp(-beta * (energies - energies.min()))
        z = w.sum()
        p = w / z
        log_z = np.log(z) - beta * energies.min()
        out["log_z"].append(log_z)
        out["free_energy"].append(-log_z / (beta * N))
        out["energy"].append(p @ energies / N)
        out["entropy"].append(-(p[p > 0] @ np.log(p[p > 0])) / N)
        out["abs_magnetization"].append(p @ np.abs(xs.sum(1)) / N)
    out = {k: np.array(v) for k, v in out.items()}
    ground = energies.min()
    return {"beta": BETAS, **out, "ground_energy": ground,
            "n_ground_states": int(np.sum(np.isclose(energies, ground, rtol=0, atol=1e-12)))}


def _run(model, states) -> dict:
    """Metrics of a uniform 'net' (ln q = -N ln 2) on random batches: a consistent run file."""
    rng = np.random.default_rng(1)
    step_beta = np.repeat(BETAS, 4)
    curves = {k: [] for k in ("free_energy", "free_energy_std", "energy", "energy_min",
                              "entropy", "abs_magnetization")}
    best_e, best_x = np.inf, None
    for beta in step_beta:
        x = rng.choice([-1, 1], size=(16, N))
        e = np.array([_energy_loop(model.i, model.j, model.J, model.h, xb) for xb in x])
        loss = beta * e - N * np.log(2)
        curves["free_energy"].append(loss.mean() / (beta * N))
        curves["free_energy_std"].append(loss.std() / (beta * N))
        curves["energy"].append(e.mean() / N)
        curves["energy_min"].append(e.min() / N)
        curves["entropy"].append(np.log(2))
        curves["abs_magnetization"].append(np.abs(x.sum(1)).mean() / N)
        if e.min() < best_e:
            best_e, best_x = e.min(), x[e.argmin()]
    curves = {k: np.array(v) for k, v in curves.items()}
    last = np.arange(3, step_beta.size, 4)  # per-beta summary = last step of each block
    data = {k: v[last] for k, v in curves.items()}
    data.update({f"curves/{k}": v for k, v in curves.items()})
    data.update({"beta": BETAS, "steps": np.full(3, 4), "wall_time": np.array([0.1, 0.2, 0.3]),
                 "curves/step_beta": step_beta, "curves/wall_time": np.linspace(0, 0.3, 12),
                 "best_configuration": best_x, "best_energy": best_e})
    return data


def _prov(seed=None):
    return io.provenance("test_io", {"n": N}, seed)


# a run's hyperparameters as `arspin train` records them (the schema checks this shape)
HYPER = '{"net":{},"train":{"batch":16,"lr":0.1,"steps_per_beta":4}}'


def _write_kind(kind, path, model, states):
    if kind == "instance":
        io.write_instance(path, model, _prov(7))
    elif kind == "exact":
        io.write_exact(path, {**_exact(states), "n": N},
                       {"instance": "i.h5", "method": "enumeration", **_prov()})
    elif kind == "run":
        io.write(path, "run", _run(model, states),
                 {"n": N, "net": "uniform", "hyperparameters": {"net": {}, "train": {"lr": 1e-3, "batch": 16, "steps_per_beta": 4}},
                  "device": "cpu", "n_params": 0, "instance": "i.h5", **_prov(1)})
    elif kind == "groundstate":
        xs, energies = states
        k = int(np.argmin(energies))
        io.write(path, "groundstate",
                 {"energy": energies[k], "configuration": xs[k], "bound": -np.inf,
                  "sources": np.array(["enumeration", "sa"]),
                  "source_energies": np.array([energies[k], np.nan])},
                 {"n": N, "instance": "i.h5", "method": "best-of", "proven_optimal": False,
                  **_prov()})
    else:
        io.write(path, "table", {"net": np.array(["made", "twobo", "made"]),
                                 "n": np.array([4, 9, 16]), "f": np.array([-1.5, np.nan, -1.2]),
                                 "ok": np.array([True, False, True])}, _prov())


KINDS = ["instance", "exact", "run", "groundstate", "table"]


# ------------------------------------------------------------------ round trips
@pytest.mark.parametrize("kind", KINDS)
def test_round_trip_every_kind(tmp_path, model, states, kind):
    path = tmp_path / f"{kind}.h5"
    _write_kind(kind, path, model, states)
    rec = io.read(path)
    assert rec.kind == kind and rec.attrs["kind"] == kind
    assert rec.attrs["schema_version"] == io.SCHEMA_VERSION[kind] == 1
    assert rec.attrs["arspin_version"] == __version__
    for spec in io.SCHEMAS[kind].datasets:
        if spec.name in rec.data and spec.kind != "str":
            assert rec.data[spec.name].dtype == np.dtype(spec.dtype), spec.name
    assert list(tmp_path.iterdir()) == [path]  # no temp file left next to it


def test_instance_round_trip_restores_model_and_meta(tmp_path, model):
    path = tmp_path / "inst.h5"
    io.write_instance(path, model, _prov(7))
    back = io.read_instance(path)
    assert back.n == model.n
    for name in ("i", "j", "J", "h"):
        np.testing.assert_array_equal(getattr(back, name), getattr(model, name))
    assert back.meta == model.meta  # planted state back as a list, energy as a float
    rec = io.read(path, "instance")
    assert rec.attrs["family"] == "test" and "planted_state" not in json.loads(rec.attrs["meta"])
    assert back.energy(np.array(back.meta["planted_state"])) == pytest.approx(
        back.meta["planted_energy"], abs=1e-12)


def test_exact_round_trip_values(tmp_path, states):
    path = tmp_path / "exact.h5"
    ref = _exact(states)
    io.write_exact(path, {**ref, "n": N}, {"instance": "i.h5", "method": "enumeration", **_prov()})
    rec = io.read_exact(path)
    assert rec.attrs["n"] == N and "n" not in rec.data
    for key, value in ref.items():
        np.testing.assert_array_equal(rec.data[key], value)


def test_table_keeps_strings_nan_and_column_order(tmp_path, model, states):
    path = tmp_path / "t.h5"
    _write_kind("table", path, model, states)
    rec = io.read(path, "table")
    assert json.loads(rec.attrs["columns"]) == ["net", "n", "f", "ok"]
    assert rec.data["net"].tolist() == ["made", "twobo", "made"]
    assert np.isnan(rec.data["f"][1]) and rec.data["ok"].dtype == bool


def test_run_keeps_extra_content(tmp_path, model, states):
    path = tmp_path / "run.h5"
    data = {**_run(model, states), "checkpoint/params/w": np.ones((2, 3), np.float32),
            "energy_last20": np.zeros(3)}
    io.write(path, "run", data, {"n": N, "net": "u", "hyperparameters": HYPER, "device": "cpu",
                                 "n_params": 6, "instance": "i.h5", "note": "x",
                                 **_prov(2**64 - 1)})
    rec = io.read(path, "run")
    assert rec.attrs["seed"] == 2**64 - 1  # 64 random bits survive as an attribute
    assert rec.data["checkpoint/params/w"].dtype == np.float32
    assert rec.attrs["note"] == "x" and rec.data["curves/energy"].shape == (12,)


# ------------------------------------------------------------------ bad files
def _set(name, value):
    def damage(f):
        del f[name]
        f[name] = value
    return damage


def _swap_first_bond(f):
    i, j = f["i"][()], f["j"][()]
    i[0], j[0] = j[0], i[0]
    _set("i", i)(f)
    _set("j", j)(f)


BAD_INSTANCE = [
    ("missing dataset", lambda f: f.__delitem__("h"), "h"),
    ("missing attribute", lambda f: f.attrs.__delitem__("family"), "family"),
    ("missing provenance", lambda f: f.attrs.__delitem__("created"), "created"),
    ("float bond index", lambda f: _set("i", f["i"][()].astype(float))(f), "i"),
    ("string coupling", lambda f: _set("J", np.array(["a"] * f["J"].size, dtype="S1"))(f), "J"),
    ("short fields", lambda f: _set("h", np.zeros(N + 1))(f), "h"),
    ("J shorter than i", lambda f: _set("J", f["J"][1:])(f), "J"),
    ("2-d fields", lambda f: _set("h", np.zeros((N, 1)))(f), "h"),
    ("NaN coupling", lambda f: f["J"].__setitem__(0, np.nan), "J"),
    ("Inf field", lambda f: f["h"].__setitem__(1, np.inf), "h"),
    ("i >= j", _swap_first_bond, "i"),
    ("j >= n", lambda f: f["j"].__setitem__(-1, N), "j"),
    ("n attr of wrong type", lambda f: f.attrs.__setitem__("n", "five"), "n"),
    ("bad JSON meta", lambda f: f.attrs.__setitem__("meta", "{oops"), "meta"),
    ("planted state not +-1", lambda f: f["planted_state"].__setitem__(0, 0), "planted_state"),
    ("planted energy per spin", lambda f: f["planted_energy"].write_direct(
        np.asarray(f["planted_energy"][()] / N)), "planted_energy"),
    ("newer schema", lambda f: f.attrs.__setitem__("schema_version", 2), "schema_version"),
    ("unknown kind", lambda f: f.attrs.__setitem__("kind", "nosuch"), "kind"),
    ("no kind", lambda f: f.attrs.__delitem__("kind"), "kind"),
    ("kind not text", lambda f: f.attrs.__setitem__("kind", [1, 2]), "kind"),
]


@pytest.mark.parametrize("case, damage, field", BAD_INSTANCE, ids=[c[0] for c in BAD_INSTANCE])
def test_bad_instance_names_path_and_field(tmp_path, model, case, damage, field):
    path = tmp_path / "inst.h5"
    io.write_instance(path, model, _prov(7))
    with h5py.File(path, "r+") as f:
        damage(f)
    with pytest.raises(io.ArspinFileError) as err:
        io.read_instance(path)
    assert str(err.value).startswith(f"{path}: field '{field}': "), str(err.value)
    assert err.value.field == field
    if case == "newer schema":
        assert "upgrade arspin" in str(err.value)


BAD_OTHER = [
    ("exact", "free energy stored in total", lambda f: f["free_energy"].write_direct(
        f["free_energy"][()] * N), "free_energy"),
    ("exact", "entropy of another beta", lambda f: f["entropy"].write_direct(
        f["entropy"][()][::-1].copy()), "entropy"),
    ("exact", "|M| in total", lambda f: f["abs_magnetization"].write_direct(
        f["abs_magnetization"][()] * N), "abs_magnetization"),
    ("exact", "beta missing", lambda f: f.__delitem__("beta"), "beta"),
    ("exact", "energy of other length", lambda f: _set("energy", np.zeros(4))(f), "energy"),
    ("run", "curves group missing", lambda f: f.__delitem__("curves"), "curves/step_beta"),
    ("run", "curve of other length", lambda f: _set("curves/energy", np.zeros(5))(f),
     "curves/energy"),
    ("run", "best configuration not +-1", lambda f: f["best_configuration"].__setitem__(0, 0),
     "best_configuration"),
    ("run", "steps as floats", lambda f: _set("steps", np.ones(3))(f), "steps"),
    ("run", "NaN free energy", lambda f: f["free_energy"].__setitem__(1, np.nan), "free_energy"),
    ("run", "best energy per spin", lambda f: f["best_energy"].write_direct(
        np.asarray(f["best_energy"][()] / N)), "best_energy"),
    ("groundstate", "bound above energy", lambda f: f["bound"].write_direct(
        np.asarray(f["energy"][()] + 1.0)), "bound"),
    ("groundstate", "proven_optimal not bool", lambda f: f.attrs.__setitem__(
        "proven_optimal", 1), "proven_optimal"),
    ("table", "ragged columns", lambda f: _set("n", np.arange(4))(f), "n"),
    ("table", "listed column missing", lambda f: f.__delitem__("f"), "f"),
]


@pytest.mark.parametrize("kind, case, damage, field", BAD_OTHER, ids=[c[1] for c in BAD_OTHER])
def test_bad_result_files_name_path_and_field(tmp_path, model, states, kind, case, damage, field):
    path = tmp_path / f"{kind}.h5"
    _write_kind(kind, path, model, states)
    with h5py.File(path, "r+") as f:
        damage(f)
    with pytest.raises(io.ArspinFileError) as err:
        io.read(path, kind)
    assert str(err.value).startswith(f"{path}: field '{field}': "), str(err.value)


def test_narrower_int_dtype_is_accepted_and_widened(tmp_path, model):
    path = tmp_path / "inst.h5"
    io.write_instance(path, model, _prov(7))
    with h5py.File(path, "r+") as f:
        _set("i", f["i"][()].astype(np.int32))(f)
    assert io.read(path).data["i"].dtype == np.int64


def test_wrong_kind(tmp_path, model):
    path = tmp_path / "inst.h5"
    io.write_instance(path, model, _prov(7))
    with pytest.raises(io.ArspinFileError,
                       match=r"field 'kind': expected kind 'exact', found 'instance'"):
        io.read_exact(path)


def test_truncated_file(tmp_path, model):
    path = tmp_path / "inst.h5"
    io.write_instance(path, model, _prov(7))
    data = path.read_bytes()
    for cut in (len(data) // 2, len(data) - 1, 10, 0):
        path.write_bytes(data[:cut])
        with pytest.raises(io.ArspinFileError) as err:
            io.read(path)
        assert str(err.value).startswith(f"{path}: field '(file)': "), cut


def test_random_corruption_gives_only_clear_errors(tmp_path, model):
    """Flipped bytes anywhere: either a valid model or ArspinFileError, never a traceback."""
    path = tmp_path / "inst.h5"
    io.write_instance(path, model, _prov(7))
    good = path.read_bytes()
    rng = np.random.default_rng(3)
    fields = set()
    for _ in range(60):
        damaged = bytearray(good)
        for k in rng.integers(0, len(good), size=3):
            damaged[k] = rng.integers(0, 256)
        path.write_bytes(bytes(damaged))
        try:
            io.read_instance(path)
        except io.ArspinFileError as err:
            fields.add(err.field)
    assert "(file)" in fields and len(fields) > 2


def test_text_renamed_h5_missing_file_and_foreign_hdf5(tmp_path):
    text = tmp_path / "notes.h5"
    text.write_text("i j J\n0 1 1.0\n")
    with pytest.raises(io.ArspinFileError, match=r"notes.h5: field '\(file\)': not an HDF5"):
        io.read(text)
    with pytest.raises(io.ArspinFileError, match=r"gone.h5: field '\(file\)': no such file"):
        io.read(tmp_path / "gone.h5")
    with pytest.raises(io.ArspinFileError, match=r"field '\(file\)': is a directory"):
        io.read(tmp_path)
    foreign = tmp_path / "foreign.h5"
    with h5py.File(foreign, "w") as f:
        f["x"] = np.arange(3)
    with pytest.raises(io.ArspinFileError, match=r"foreign.h5: field 'kind': missing"):
        io.show(foreign)


# ------------------------------------------------------------------ atomic writes
def test_invalid_write_leaves_nothing(tmp_path, model):
    path = tmp_path / "sub" / "inst.h5"
    bad = IsingModel(N, model.i, model.j, model.J.copy(), model.h, {"family": "x"})
    bad.J[0] = np.nan  # from_edges would refuse it; the data layer must refuse it too
    with pytest.raises(io.ArspinFileError, match=r"field 'J': contains nan"):
        io.write_instance(path, bad, _prov())
    with pytest.raises(io.ArspinFileError, match=r"field 'kind': unknown kind"):
        io.write(path, "nosuch", {}, _prov())
    with pytest.raises(io.ArspinFileError, match=r"field 'kind': attrs say 'run'"):
        io.write(path, "table", {"a": [1]}, {**_prov(), "kind": "run"})
    with pytest.raises(io.ArspinFileError, match=r"field 'x': cannot store dtype object"):
        io.write(path, "table", {"x": np.array([None])}, _prov())
    assert list(tmp_path.iterdir()) == []  # not even the folder: validation comes first


def test_atomic_write_exception_leaves_nothing(tmp_path):
    target = tmp_path / "fig.pdf"
    with pytest.raises(RuntimeError), io.atomic_write(target) as tmp:
        assert tmp.parent == tmp_path and tmp.name.startswith(".fig.pdf.tmp-")
        assert tmp.suffix == ".pdf" and str(os.getpid()) in tmp.name
        tmp.write_bytes(b"half")
        raise RuntimeError("crash mid-write")
    assert list(tmp_path.iterdir()) == []


def test_atomic_write_names_are_unique_and_final_name_appears_last(tmp_path):
    target = tmp_path / "a.h5"
    with io.atomic_write(target) as t1, io.atomic_write(target) as t2:
        assert t1 != t2
        t1.write_bytes(b"one")
        t2.write_bytes(b"two")
        assert not target.exists()
    assert target.read_bytes() == b"one" and list(tmp_path.iterdir()) == [target]


def test_failed_rewrite_keeps_the_good_file(tmp_path, model, monkeypatch):
    path = tmp_path / "inst.h5"
    io.write_instance(path, model, _prov(7))
    before = path.read_bytes()
    bad = IsingModel(N, model.i, model.j, model.J, np.full(N, np.nan), {})
    with pytest.raises(io.ArspinFileError, match="field 'h'"):
        io.write_instance(path, bad, _prov())
    with pytest.raises(io.ArspinFileError, match=r"field 'i/x': 'i' is a dataset, not a group"):
        io.write(path, "table", {"i": [1], "i/x": [2]}, {**_prov(), "columns": ["i"]})
    calls = []

    def disk_full(f, key, arr):  # the second dataset fails after the first reached the temp file
        calls.append(key)
        if len(calls) == 2:
            raise OSError("No space left on device")
        f.create_dataset(key, data=arr)

    monkeypatch.setattr("arspin.io.hdf5._create", disk_full)
    with pytest.raises(io.ArspinFileError, match="cannot write: No space"):
        io.write_instance(path, model, _prov(8))
    assert len(calls) == 2
    assert path.read_bytes() == before and list(tmp_path.iterdir()) == [path]
    assert io.read_instance(path).meta == model.meta


# ------------------------------------------------------------------ provenance, layout, show
def test_provenance():
    prov = io.provenance("arspin exact", {"b": 2, "a": {"d": np.int64(1), "c": [0.5]}}, None)
    assert prov["parameters"] == '{"a":{"c":[0.5],"d":1},"b":2}'
    assert prov["seed"] == -1 and prov["arspin_version"] == __version__
    assert prov["generator"] == "arspin exact"
    created = datetime.fromisoformat(prov["created"])
    assert created.utcoffset() == timedelta(0)
    # a local-time bug would be off by >= 30 min; the window tolerates clock adjustments
    assert abs(created - datetime.now(UTC)) < timedelta(minutes=5)
    assert io.provenance("g", {}, 12)["seed"] == 12
    assert io.provenance("g", {}, 2**64 - 1)["seed"] == 2**64 - 1
    for bad in (-1, 1.5, True):
        with pytest.raises(ValueError):
            io.provenance("g", {}, bad)


def test_source_date_epoch_makes_files_byte_identical(tmp_path, model, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    assert io.provenance("g", {}, None)["created"] == "1970-01-02T00:00:00Z"
    io.write_instance(tmp_path / "a.h5", model, _prov(7))
    time.sleep(1.1)  # any time stamp HDF5 kept would now differ
    io.write_instance(tmp_path / "b.h5", model, _prov(7))
    assert (tmp_path / "a.h5").read_bytes() == (tmp_path / "b.h5").read_bytes()


def test_large_datasets_are_compressed_small_ones_not(tmp_path):
    n = 130  # complete graph: 8385 bonds > COMPRESS_ABOVE
    rng = np.random.default_rng(0)
    dense = IsingModel.from_matrix(np.triu(rng.normal(size=(n, n)), 1), meta={"family": "sk"})
    path = tmp_path / "sk.h5"
    io.write_instance(path, dense, _prov(0))
    with h5py.File(path) as f:
        assert f["J"].size > io.COMPRESS_ABOVE
        for name in ("i", "j", "J"):
            assert (f[name].compression, f[name].compression_opts, f[name].shuffle) == \
                ("gzip", 4, True)
        assert f["h"].compression is None and not f["h"].shuffle
    np.testing.assert_array_equal(io.read_instance(path).J, dense.J)


def test_show_is_strict_json(tmp_path, model, states):
    path = tmp_path / "gs.h5"
    _write_kind("groundstate", path, model, states)
    shown = io.show(path)
    text = json.dumps(shown, allow_nan=False)
    assert json.loads(text)["data"]["bound"] == "-inf"
    assert shown["data"]["source_energies"][1] == "nan"
    assert shown["attrs"]["parameters"] == {"n": N} and shown["kind"] == "groundstate"
    assert shown["data"]["sources"] == ["enumeration", "sa"]
    run = tmp_path / "run.h5"
    data = {**_run(model, states), "checkpoint/big": np.zeros((101, 100), np.float32)}
    io.write(run, "run", data, {"n": N, "net": "u", "hyperparameters": HYPER,
                                "device": "cpu", "n_params": 0, "instance": "i.h5", **_prov(1)})
    shown = io.show(run)
    assert shown["data"]["checkpoint/big"] == {"shape": [101, 100], "dtype": "float32"}
    assert len(shown["data"]["curves/energy"]) == 12
    assert shown["attrs"]["hyperparameters"] == json.loads(HYPER)
    json.dumps(shown, allow_nan=False)


def test_docs_describe_every_schema_field():
    docs = (Path(__file__).resolve().parents[1] / "docs" / "data.md").read_text()
    sections = docs.split("\n## ")
    for kind, schema in io.SCHEMAS.items():
        section = next(s for s in sections if s.startswith(f"`{kind}`"))
        assert f"version {schema.version}" in section, kind
        for name in [a.name for a in schema.attrs] + [d.name for d in schema.datasets]:
            assert f"`{name}`" in section, (kind, name)
    for attr in ("generator", "parameters", "seed", "arspin_version", "created"):
        assert f"`{attr}`" in docs


def _flip_raw_byte(path: Path, value: np.ndarray) -> None:
    """Flip one bit of the stored bytes of ``value`` (found in the file), as a disk would."""
    data = bytearray(path.read_bytes())
    at = bytes(data).find(np.ascontiguousarray(value).tobytes())
    assert at >= 0, "the dataset's bytes were not found uncompressed in the file"
    data[at + 3] ^= 0x10
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", ["raw coupling byte", "coupling value", "attribute",
                                    "digest removed"])
def test_content_checksum_catches_silent_changes(tmp_path, model, damage):
    """A changed value that still satisfies the schema (a flipped sign, another seed) is
    refused with the file named: the content no longer matches content_sha256."""
    path = tmp_path / "inst.h5"
    plain = IsingModel.from_edges(model.n, model.i, model.j, model.J, model.h)  # no planted
    io.write_instance(path, plain, _prov(7))                          # state to contradict
    assert io.read(path).attrs[io.hdf5.DIGEST]                 # written, and it verifies
    if damage == "raw coupling byte":
        _flip_raw_byte(path, io.read(path).data["J"])
    else:
        with h5py.File(path, "r+") as f:
            if damage == "coupling value":
                _set("J", -f["J"][()])(f)
            elif damage == "attribute":
                f.attrs["seed"] = np.int64(8)
            else:
                del f.attrs[io.hdf5.DIGEST]
    # a byte changed in place is named by the dataset's own sha256; a dataset rewritten
    # whole (no sha256 of its own) or an attribute by the file's content_sha256
    field = "J" if damage == "raw coupling byte" else "content_sha256"
    with pytest.raises(io.ArspinFileError, match=rf"{path}: field '{field}'"):
        io.read(path)


def test_unwritable_outputs_are_one_clean_error_and_leave_nothing(tmp_path, model, monkeypatch):
    """An output that is a folder, under a regular file, or on a full disk: ArspinFileError
    naming the output, no temporary file, no partial output (a real full and a read-only
    tmpfs gave the same messages by hand: docs/data.md)."""
    folder = tmp_path / "out.h5"
    folder.mkdir()
    with pytest.raises(io.ArspinFileError, match=r"out\.h5: field '\(file\)': is a directory"):
        io.write_instance(folder, model, _prov(7))
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(io.ArspinFileError, match=r"file/x\.h5: field '\(file\)': cannot write"):
        io.write_instance(blocker / "x.h5", model, _prov(7))

    def full(_fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(io.ArspinFileError, match="cannot write: No space left on device"):
        io.write_instance(tmp_path / "full.h5", model, _prov(7))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "out.h5"]


def test_exclusive_lock_serialises_writers(tmp_path):
    """A second holder waits for the first (a separate process) and the lock file is gone
    afterwards."""
    import subprocess
    import sys

    from arspin.io.lock import exclusive, lock_path

    out = tmp_path / "run.h5"
    code = ("import sys, time; from arspin.io.lock import exclusive\n"
            "with exclusive(sys.argv[1]):\n    print('held', flush=True); time.sleep(1.5)")
    with subprocess.Popen([sys.executable, "-c", code, str(out)], stdout=subprocess.PIPE,
                          text=True) as holder:
        assert holder.stdout.readline().strip() == "held"
        start = time.perf_counter()
        with exclusive(out):
            waited = time.perf_counter() - start  # the holder kept it ~1.5 s after "held"
    assert waited > 1.0 and not lock_path(out).exists()
