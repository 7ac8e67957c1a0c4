"""``python -m xpander_io.platform serve|org|key|agent|task``: the platform's own commands."""

import sys

from ._cli import main

sys.exit(main())
