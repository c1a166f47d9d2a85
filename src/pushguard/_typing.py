"""`typing`'s run-time part that the records need, without importing `typing` on a hook's path.

Importing `typing` and building the records through `typing.NamedTuple` (it compiles every
string annotation into a ForwardRef) cost a commit-msg hook about 7 ms of its start-up. Type
checkers see `typing` itself (they treat `if TYPE_CHECKING:` as true); at run time `NamedTuple`
builds the same `collections.namedtuple` that `typing.NamedTuple` does, from the class body's
annotations, defaults, methods and docstring. Modules import `typing` names they use only in
annotations under `if TYPE_CHECKING:`.
"""
from __future__ import annotations

import collections

TYPE_CHECKING = False

if TYPE_CHECKING:
    from typing import NamedTuple as NamedTuple
else:
    _NOT_COPIED = frozenset({'__annotations__', '__module__', '__qualname__', '__doc__'})

    class _RecordMaker(type):
        """`class Finding(NamedTuple): check: str; line: int | None = None` -> a namedtuple."""

        def __new__(cls, name, bases, namespace):
            fields = tuple(namespace.get('__annotations__', {}))
            has_default = [field in namespace for field in fields]
            if has_default != sorted(has_default):
                raise TypeError(f'{name}: a field without a default follows one with a default')
            defaults = [namespace[field] for field in fields if field in namespace]
            record = collections.namedtuple(name, fields, defaults=defaults,
                                            module=namespace.get('__module__'))
            for key, value in namespace.items():
                if key not in fields and key not in _NOT_COPIED:
                    setattr(record, key, value)
            if namespace.get('__doc__'):
                record.__doc__ = namespace['__doc__']
            record.__qualname__ = namespace.get('__qualname__', name)
            return record

    NamedTuple = type.__new__(_RecordMaker, 'NamedTuple', (), {})
