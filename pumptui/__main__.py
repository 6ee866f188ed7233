"""`python -m pumptui` runs the same command line as the `pumptui` script."""

from pumptui.cli import main

raise SystemExit(main())
