"""Instance families and instance files.

    generate(family, size, index, seed_rule="default", **options) -> IsingModel
    FAMILIES            name -> description, size meaning, options with defaults (plain JSON)
    validate_options    fill in defaults and check an options dict
    import_npz / import_edgelist / export_npz / export_edgelist

Seed rule 'default' (:mod:`.seeding`): seed = SeedSequence([PROJECT_ENTROPY, crc32(family),
size, index]) -> one 63-bit integer (stored in meta["seed"]); every draw comes from
numpy.random.default_rng(seed) in the order the family's module documents. Options are not
part of the seed. Seed rule 'twobo-reference' (ea2d, ea3d; :mod:`.lattice`) replays the TwoBo
paper's legacy numpy.random.seed(0) stream. See docs/instances.md.
"""

from arspin.instances.fileformats import export_edgelist, export_npz, import_edgelist, import_npz
from arspin.instances.registry import FAMILIES, SEED_RULES, generate, validate_options
from arspin.instances.seeding import default_seed

__all__ = [
    "FAMILIES", "SEED_RULES", "default_seed", "export_edgelist", "export_npz", "generate",
    "import_edgelist", "import_npz", "validate_options",
]
