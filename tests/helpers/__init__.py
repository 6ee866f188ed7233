"""What tests in several packages share: waiting on a running app, recording its toasts, and
keyring backends. One copy of each, so a fix to how tests wait reaches every test."""
