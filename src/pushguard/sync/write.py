"""Write the synced rules into the policy file, editing its text (pushguard.sync.toml_edit)."""
from __future__ import annotations


from pushguard.config import CONFIG_FILE, DEFAULT_SOURCE
from pushguard.errors import ConfigError
from pushguard.forges.rules import Rule
from pushguard.sync.policy import plan
from pushguard.sync.toml_edit import set_key


def write(source: str, found: dict[str, tuple[Rule, ...]]
          ) -> tuple[list[str], dict[str, tuple[Rule, ...]]]:
    """Set the keys in `.pushguard.toml` (made when missing); (what was written, per ref the
    rules no key holds, which stay in the git dir for the commit-time hooks)."""
    path = _policy_path(source)
    try:
        with open(path, encoding='utf-8') as f:
            text = f.read()
    except FileNotFoundError:
        text = ''
    except (OSError, UnicodeError) as e:
        raise ConfigError(f'{path}: cannot be read ({e})') from None
    current = _parsed(text, path)
    rules = tuple(dict.fromkeys(r for rules in found.values() for r in rules))
    said: list[str] = []
    left: set[Rule] = set()
    for rule, target, what, held in plan(rules, current):
        said.append(f'{what}   # {rule.check}, {rule.source}' if held else
                    f'not written: {rule.check} ({rule.source}): {what}')
        if not held:
            left.add(rule)
        if target is not None:
            table, key, value = target
            text = set_key(text, table, key, value)
            current.setdefault(table, {})[key] = value
    _valid(text, path)  # never leave a policy the hooks would refuse
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)
    return said, {ref: tuple(r for r in rules if r in left) for ref, rules in found.items()}


def _policy_path(source: str) -> str:
    if source == DEFAULT_SOURCE:
        return CONFIG_FILE
    if source.endswith('[tool.pushguard]'):
        raise ConfigError(f'{source}: --write edits .pushguard.toml only; move the policy there '
                          'or sync into the git dir (without --write)')
    return source


def _valid(text: str, path: str) -> None:
    import tomllib

    from pushguard import config
    try:
        config.validate(tomllib.loads(text), path)
    except (ConfigError, tomllib.TOMLDecodeError) as e:
        raise ConfigError(f"{path}: the forge's rules would not make a valid policy, nothing "
                          f'written ({e}); sync without --write keeps them in the git dir'
                          ) from None


def _parsed(text: str, path: str) -> dict[str, dict[str, object]]:
    import tomllib
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f'{path}: not valid TOML ({e})') from None
    return {k: dict(v) for k, v in data.items() if isinstance(v, dict)}
