"""The demo: a deterministic synthetic 昆明市 to try Jiandu with (``jiandu demo``).

A package of its own at the top, since it writes into every app (``core`` depends on
none). :mod:`.build` assembles it; :mod:`.orgs`, :mod:`.accounts`, :mod:`.people`,
:mod:`.plan` and :mod:`.cases` draw up and write its parts.
"""
