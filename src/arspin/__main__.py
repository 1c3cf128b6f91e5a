"""`python -m arspin` is the `arspin` command."""

import sys

from arspin.cli import main

sys.exit(main())
