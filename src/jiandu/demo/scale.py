"""The demo's scale limit: read by the ``demo`` command's help without loading the
generator (and every app's models) behind it."""

MAX_SCALE = 5.0
