"""The demo seeder registry. Each app declares its seeders in its own ``seed.py``; ``massline seed`` runs
them in dependency order. A seeder must be idempotent: running ``make demo`` twice changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.module_loading import autodiscover_modules

SeedFunction = Callable[["SeedContext"], None]


@dataclass
class SeedContext:
    """What seeders share: where to write progress, and the demo password for staff accounts."""

    write: Callable[[str], None]
    demo_password: str
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (role, username, description)


@dataclass(frozen=True)
class Seeder:
    name: str
    function: SeedFunction
    after: tuple[str, ...]


_registry: dict[str, Seeder] = {}


def seeder(name: str, *, after: tuple[str, ...] = ()) -> Callable[[SeedFunction], SeedFunction]:
    """Register ``function`` as the seeder ``name``, to run after the seeders named in ``after``."""

    def register(function: SeedFunction) -> SeedFunction:
        _registry[name] = Seeder(name=name, function=function, after=after)
        return function

    return register


def ordered_seeders() -> list[Seeder]:
    """All registered seeders, each after the ones it depends on (a stable topological order)."""
    autodiscover_modules("seed")
    ordered: list[Seeder] = []
    placed: set[str] = set()
    visiting: set[str] = set()

    def place(name: str) -> None:
        if name in placed:
            return
        if name not in _registry:
            raise LookupError(f"seeder {name!r} is named as a dependency but not registered")
        if name in visiting:
            raise ValueError(f"seeders depend on each other in a cycle through {name!r}")
        visiting.add(name)
        for dependency in _registry[name].after:
            place(dependency)
        visiting.discard(name)
        placed.add(name)
        ordered.append(_registry[name])

    for name in sorted(_registry):
        place(name)
    return ordered
