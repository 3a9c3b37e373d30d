"""WSGI entry point (gunicorn jiandu.wsgi)."""

import gc
import os

# A worker's start builds long-lived objects (Django, the models, views, the API's
# schemas) and little garbage: the collector stays off until the warm-up has collected
# once and frozen them.
_enabled = gc.isenabled()
gc.disable()
try:
    from django.core.wsgi import get_wsgi_application

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiandu.settings")
    application = get_wsgi_application()

    from jiandu.core.warmup import warm_up

    warm_up()
finally:
    if _enabled:
        gc.enable()
