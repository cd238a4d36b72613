"""``python -m nnkit ...`` runs the nnkit command line."""

from .cli import main

raise SystemExit(main())
