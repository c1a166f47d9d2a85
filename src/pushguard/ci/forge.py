"""The forge checks in CI: which repository the pipeline runs for, and whether a token is there.

The forge is asked as the pre-push hook asks it (`pushguard.forges._ask.ask`, the same checks on
the same facts), about the ref the pipeline checks. The repository comes from the CI's own
variables (GITHUB_SERVER_URL and GITHUB_REPOSITORY, CI_SERVER_URL and CI_PROJECT_PATH,
BITBUCKET_GIT_HTTP_ORIGIN), else from `origin`'s URL; the forge and its API base from the CI too
(GITHUB_API_URL, CI_API_V4_URL) unless the policy's `[remote]` names them. With no token in the
job's variables nothing is asked: one line says what was skipped and why. A token is named by its
variable, never shown.
"""
from __future__ import annotations

from collections.abc import Mapping

from pushguard.config import Remote

TOKENS = {
    'github': ('PUSHGUARD_TOKEN', 'GH_TOKEN', 'GITHUB_TOKEN'),
    'gitlab': ('PUSHGUARD_TOKEN', 'GITLAB_TOKEN', 'CI_JOB_TOKEN'),
    'bitbucket': ('PUSHGUARD_TOKEN', 'BITBUCKET_TOKEN'),
}
SKIPPED = 'forge checks skipped (protected branches, force pushes, ...)'


def token_names(system: str) -> tuple[str, ...]:
    """The variables a token is read from in `system` ('range': any CI's)."""
    return TOKENS.get(system, tuple(dict.fromkeys(n for t in TOKENS.values() for n in t)))


def skipped(system: str, env: Mapping[str, str], remote: Remote, fork: str | None = None
            ) -> str | None:
    """Why the forge is not asked (one line), or None when it is."""
    if not remote.enabled:
        return f'{SKIPPED}: remote.enabled is false in the policy'
    if fork:
        return (f'{SKIPPED}: the commits come from the fork {fork}, whose branch rules are not '
                f'this repository\'s')
    names = token_names(system)
    if not any(env.get(name, '').strip() for name in names):
        return f'{SKIPPED}: no token in {", ".join(names)}'
    return None


def repository_url(system: str, env: Mapping[str, str]) -> str | None:
    """The web URL of the repository the pipeline runs for, from the CI's variables."""
    if system == 'github' and env.get('GITHUB_REPOSITORY'):
        server = env.get('GITHUB_SERVER_URL') or 'https://github.com'
        return f'{server.rstrip("/")}/{env["GITHUB_REPOSITORY"]}'
    if system == 'gitlab':
        if env.get('CI_SERVER_URL') and env.get('CI_PROJECT_PATH'):
            return f'{env["CI_SERVER_URL"].rstrip("/")}/{env["CI_PROJECT_PATH"]}'
        return env.get('CI_PROJECT_URL') or None
    if system == 'bitbucket':
        return env.get('BITBUCKET_GIT_HTTP_ORIGIN') or None
    return None


def remote_settings(system: str, env: Mapping[str, str], remote: Remote, keep: bool = False
                    ) -> Remote:
    """The policy's `[remote]`, with the forge and the API base the CI names where it is silent
    (a self-hosted GitHub Enterprise or GitLab then needs no `remote.platform`)."""
    platform = remote.platform
    if platform == 'auto' and system in TOKENS:
        platform = system
    api = remote.api_url
    if not api and system == 'github':
        api = env.get('GITHUB_API_URL', '')
    elif not api and system == 'gitlab':
        api = env.get('CI_API_V4_URL', '')
    # a pipeline keeps no state: a runner that reuses its clone (GitLab's fetch strategy) never
    # answers from an earlier pipeline's cache
    return remote._replace(platform=platform, api_url=api,
                           cache_ttl=remote.cache_ttl if keep else 0)
