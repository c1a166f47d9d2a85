"""The forge layer: which forge serves a remote, and the modules that ask it.

Nothing here is imported by a commit-time hook; forge modules are imported on use.
"""
from __future__ import annotations

FORGES = {
    'github': 'pushguard.forges.github',
    'gitlab': 'pushguard.forges.gitlab',
    'bitbucket': 'pushguard.forges.bitbucket',
    'bitbucket-server': 'pushguard.forges.bitbucket_server',
    'gitea': 'pushguard.forges.gitea',
}
