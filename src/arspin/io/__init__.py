"""The HDF5 data layer: one validated, versioned, atomically written file per result.

Kinds and their schemas are documented in docs/data.md. Every writer goes through
:func:`write` (validate first, then :func:`atomic_write`), every reader through :func:`read`,
so a file on disk always matches its schema and a bad one is named in one clear error::

    write(path, "exact", result, {"n": 9, "instance": "i.h5", "method": "enumeration",
                                  **provenance("arspin exact", {"betas": [1.0]}, None)})
    rec = read(path, "exact")          # Record(path, kind, attrs, data)

Modules: schema (the declarative machinery and the validator), kinds (the five schemas),
hdf5 (read/write/show/atomic_write/provenance), models (IsingModel and exact references).
"""

from arspin.io.hdf5 import (
    COMPRESS_ABOVE,
    SHOW_MAX,
    Record,
    array_digest,
    atomic_write,
    canonical_json,
    hdf5_image,
    provenance,
    read,
    read_datasets,
    refuse_overwriting_inputs,
    show,
    stamp_datasets,
    write,
    write_hdf5,
)
from arspin.io.kinds import SCHEMA_VERSION, SCHEMAS
from arspin.io.models import read_exact, read_instance, write_exact, write_instance
from arspin.io.schema import ArspinFileError, Attr, Dataset, Schema

__all__ = [
    "COMPRESS_ABOVE",
    "SCHEMAS",
    "SCHEMA_VERSION",
    "SHOW_MAX",
    "ArspinFileError",
    "Attr",
    "Dataset",
    "Record",
    "Schema",
    "array_digest",
    "atomic_write",
    "canonical_json",
    "hdf5_image",
    "provenance",
    "read",
    "read_datasets",
    "read_exact",
    "read_instance",
    "refuse_overwriting_inputs",
    "show",
    "stamp_datasets",
    "write",
    "write_exact",
    "write_hdf5",
    "write_instance",
]
