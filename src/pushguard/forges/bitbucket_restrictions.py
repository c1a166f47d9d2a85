"""What both Bitbucket forges share: restriction records, who the credential is, the rule.

A restriction comes from the forge (when the token may read them) or from the policy's
`[[remote.restrictions]]`, which an admin fills in so that every developer gets the prediction.
Repository, project and workspace access tokens cannot be exempted from restrictions (Atlassian),
so an access token is never taken to be on an exemption list.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from pushguard._typing import TYPE_CHECKING, NamedTuple
from pushguard.forges._http import Answer
from pushguard.forges.rules import Rule

if TYPE_CHECKING:
    from typing import Any

CLOUD_KINDS = ('push', 'force', 'delete')
SERVER_KINDS = ('read-only', 'pull-request-only', 'fast-forward-only', 'no-deletes')
BRANCH_TYPES = ('development', 'production', 'feature', 'bugfix', 'release', 'hotfix')
ADMIN_NOTE = ('an admin can list them in .pushguard.toml as [[remote.restrictions]] so that every '
              'developer gets the prediction')


class Restriction(NamedTuple):
    """One branch restriction, read from the forge or from `[[remote.restrictions]]`."""

    kind: str                          # the forge's own kind: push, force, delete, read-only, ...
    source: str                        # named for humans
    pattern: str = ''                  # a glob ('' with branch_type, or for Data Center ANY_REF)
    branch_type: str = ''              # a branching-model type: development, production, feature...
    users: tuple[frozenset[str], ...] = ()   # each exempt/allowed user's names and ids
    groups: tuple[str, ...] = ()


class Who(NamedTuple):
    """The credential: the user's names and ids (empty: unknown), or an access token."""

    ids: frozenset[str] = frozenset()
    access_token: bool = False


def from_config(entries: Sequence[Sequence[tuple[str, object]]] | None,
                origin: str = '.pushguard.toml') -> tuple[Restriction, ...] | None:
    """The `[[remote.restrictions]]` tables (as the config keeps them: key/value pairs)."""
    if entries is None:
        return None
    out = []
    for number, entry in enumerate(entries, 1):
        table = dict(entry)
        users = tuple(frozenset({str(u)}) for u in _strings(table.get('users')))
        out.append(Restriction(
            str(table['kind']), f'{origin} [[remote.restrictions]] #{number} ({table["kind"]})',
            str(table.get('pattern') or ''), str(table.get('branch-type') or ''), users,
            _strings(table.get('groups')),
        ))
    return tuple(out)


def _strings(value: object) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, (list, tuple)) else ()

def decide(check: str, group: Sequence[tuple[Restriction, bool]], who: Who, reason: str,
           says: str) -> Rule:
    """One rule from the matching restrictions of one kind (`bool`: the match is certain). The
    user passes when any of them lists the user."""
    source = '; '.join(r.source for r, _ in group)
    certain_match = all(sure for _, sure in group)
    if who.access_token:
        return Rule(check, source, f'{reason}; an access token cannot be exempted from Bitbucket '
                    'branch restrictions', says, certain=certain_match)
    if who.ids and any(who.ids & user for r, _ in group for user in r.users):
        return Rule(check, source, f'{reason}, and this user is exempt', says, bypass=True)
    open_lists = any(r.groups for r, _ in group) or not who.ids and any(r.users for r, _ in group)
    if open_lists:
        reason += ' (this user may be exempt through a group: not known without admin rights)'
    return Rule(check, source, reason, says, certain=certain_match and not open_lists)

def user_ids(user: Mapping[str, Any]) -> frozenset[str]:
    return frozenset(str(user[k]) for k in ('uuid', 'account_id', 'nickname', 'username', 'name',
                                            'slug') if user.get(k))


def credential_user(client: Any) -> tuple[str, str]:
    """(scheme, user name) of the client's credential: ('Basic', 'ada'), ('Bearer', '')."""
    return getattr(client, 'scheme', ''), getattr(client, 'user', '')


def ask(client: Any, wanted: Mapping[str, str]) -> dict[str, Answer]:
    """GET every path of `wanted` (name -> path) through the client in one parallel round."""
    answers = client.get_many(list(wanted.values()))
    return {name: answers[path] for name, path in wanted.items()}
