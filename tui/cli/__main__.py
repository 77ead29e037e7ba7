"""`python -m tui.cli` runs the command line as `paperdeck` does."""

import sys

from tui.cli import main

sys.exit(main())
