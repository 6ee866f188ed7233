"""`python -m pumptui` runs the same command line as the `pumptui` script."""

try:
    from pumptui.cli import main
except KeyboardInterrupt:  # Ctrl-C while Python still loads pumptui: quiet, like `main`'s 130
    raise SystemExit(130) from None

raise SystemExit(main())
