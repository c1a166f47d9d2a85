"""Where `pushguard install` writes, and what it must not touch: the server's hooks folder
(a `pre-receive.d/` multiplexer folder, as Gitea and Forgejo have, or GitLab's
`custom_hooks/pre-receive.d/`), hooks that git tracks (husky's `.husky/`), and the command that
reinstalls pushguard from where it was installed (the shim says it when pushguard is gone)."""
from __future__ import annotations

import json
import os
import shlex

from pushguard import git
from pushguard.errors import GitError

SERVER_HOOK = 'pre-receive'
# a hook in a multiplexer's folder: the file name is ours to choose, the type is in the shim
MULTIPLEXED_NAME = 'pushguard'


def is_bare() -> bool:
    """`git rev-parse --is-bare-repository`."""
    return git.run('rev-parse', '--is-bare-repository').strip() == b'true'


def server_hook_path(hooks_dir: str) -> tuple[str, str]:
    """(the path the pre-receive hook goes to, how it is reached): `pre-receive.d/pushguard`
    where git's own pre-receive runs a folder of them, else `hooks/pre-receive` (chained)."""
    git_dir = os.path.dirname(hooks_dir.rstrip(os.sep))
    for folder, how in ((os.path.join(git_dir, 'custom_hooks', 'pre-receive.d'),
                         "GitLab's server hooks folder"),
                        (os.path.join(hooks_dir, 'pre-receive.d'),
                         'run by the pre-receive hook there (Gitea, Forgejo, a multiplexer)')):
        if os.path.isdir(folder):
            return os.path.join(folder, MULTIPLEXED_NAME), how
    return os.path.join(hooks_dir, SERVER_HOOK), ''


def tracked(paths: list[str]) -> set[str]:
    """Those of `paths` that git tracks in this work tree (`git ls-files -z`); none when bare or
    when the hooks folder is outside the work tree."""
    top = git.work_tree_top()
    if top is None:
        return set()
    inside = {p: os.path.relpath(p, top) for p in paths}
    inside = {p: rel for p, rel in inside.items() if rel.split(os.sep)[0] != os.pardir}
    if not inside:
        return set()
    try:
        specs = [f':(literal){rel}' for rel in inside.values()]
        out = git.run('-C', top, 'ls-files', '-z', '--', *specs)
    except GitError:
        return set()
    listed = {os.path.normpath(git.fs_path(p)) for p in out.split(b'\0') if p}
    return {p for p, rel in inside.items() if os.path.normpath(rel) in listed}


def reinstall_command(python: str) -> str:
    """How to install this pushguard again from where it came (PEP 610's direct_url.json): an
    editable checkout, a local wheel or folder, a git URL; an index only when it came from one;
    this source tree when it runs uninstalled (PYTHONPATH)."""
    from importlib import metadata
    pip = f'{shlex.quote(python or "python3")} -m pip install'
    try:
        dist = metadata.distribution('pushguard')
    except metadata.PackageNotFoundError:
        return _from_source_tree(pip)
    try:
        origin = json.loads(dist.read_text('direct_url.json') or 'null')
    except ValueError:
        origin = None
    if not isinstance(origin, dict) or not isinstance(origin.get('url'), str):
        return f'{pip} pushguard'
    return _from_origin(pip, origin)


def _from_origin(pip: str, origin: dict[str, object]) -> str:
    url = str(origin['url'])
    local = url[len('file://'):] if url.startswith('file://') else None
    vcs = origin.get('vcs_info')
    if isinstance(vcs, dict):
        rev = vcs.get('requested_revision') or vcs.get('commit_id')
        spec = f'{vcs.get("vcs", "git")}+{url}' + (f'@{rev}' if rev else '')
        return f'{pip} {shlex.quote(spec)}'
    dir_info = origin.get('dir_info')
    editable = isinstance(dir_info, dict) and dir_info.get('editable')
    target = shlex.quote(local if local is not None else url)
    return f'{pip} {"-e " if editable else ""}{target}'


def _from_source_tree(pip: str) -> str:
    here = os.path.dirname(os.path.abspath(__file__))
    tree = os.path.dirname(os.path.dirname(os.path.dirname(here)))
    if os.path.exists(os.path.join(tree, 'pyproject.toml')):
        return f'{pip} {shlex.quote(tree)}'
    return ''
