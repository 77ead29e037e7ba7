"""`python -m paperdeck.tui.cli` runs the command line as `paperdeck` does."""

import sys

from paperdeck.tui.cli import main

sys.exit(main())
