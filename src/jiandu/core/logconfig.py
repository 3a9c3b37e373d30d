"""Logging set-up without Django's e-mail handler when nobody would get its mail.

Django applies ``DEFAULT_LOGGING`` and then the project's ``LOGGING``. Its
``mail_admins`` handler sends nothing while ``ADMINS`` is empty, yet creating it imports
Django's debug page (``django.views.debug`` with the template filters), some 20—40 ms
of every command's start (bench/cli_startup.py). Settings therefore set
``LOGGING_CONFIG = None`` and call :func:`configure`: the same configuration, with the
handler only when ``ADMINS`` names someone."""

from __future__ import annotations

import copy
import logging.config
from typing import Any


def configure(logging_settings: dict[str, Any], *, admins: list[Any]) -> None:
    from django.utils.log import DEFAULT_LOGGING

    config = copy.deepcopy(DEFAULT_LOGGING)
    if not admins:
        del config["handlers"]["mail_admins"]
        config["loggers"]["django"]["handlers"].remove("mail_admins")
    logging.config.dictConfig(config)
    logging.config.dictConfig(logging_settings)
