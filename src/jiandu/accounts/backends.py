"""Permissions from roles, cached per process under the access stamp.

Django's ModelBackend reads a user's permissions with two queries on every request (it
caches them on the user object, which is loaded afresh per request). Roles change
rarely, and every change renews the access stamp (core.signals), so the permission set
is kept per (user, superuser flag, stamp) and the request pays one short read of the
stamp, which the jurisdiction shares. The signed-in user is read with their org (one
join, not a second query when the page header names the org).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from jiandu.core.access import access_stamp, remember

_permissions: dict[tuple[int, bool, str], set[str]] = {}


class RoleBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        from django.contrib.auth import get_user_model

        model = get_user_model()
        try:
            user = model._default_manager.select_related("org").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if obj is not None or not user_obj.is_active or user_obj.is_anonymous:
            return super().get_all_permissions(user_obj, obj)
        if hasattr(user_obj, "_perm_cache"):
            return user_obj._perm_cache
        stamp = access_stamp(user_obj)
        key = (user_obj.pk, user_obj.is_superuser, stamp or "")
        perms = _permissions.get(key) if stamp else None
        if perms is None:
            perms = super().get_all_permissions(user_obj)
            if stamp:
                remember(_permissions, key, perms)
        user_obj._perm_cache = perms
        return perms
