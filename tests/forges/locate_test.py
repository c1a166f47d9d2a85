"""Which forge and repository a remote URL names, as git reads the URL; nothing secret kept."""
from __future__ import annotations

import pytest

from pushguard.config import Remote
from pushguard.errors import ForgeError
from pushguard.forges import is_local, locate, redact_url


@pytest.mark.parametrize(('url', 'forge', 'path', 'api'), (
    ('https://github.com/o/r.git', 'github', 'o/r', 'https://api.github.com'),
    ('https://x-access-token:ghs_abc@github.com/o/r', 'github', 'o/r', 'https://api.github.com'),
    ('git@github.com:o/r.git', 'github', 'o/r', 'https://api.github.com'),
    ('ssh://git@gitlab.com:2222/g/sub/deeper/r.git', 'gitlab', 'g/sub/deeper/r',
     'https://gitlab.com/api/v4'),
    ('git@gitlab.com:g/sub/r', 'gitlab', 'g/sub/r', 'https://gitlab.com/api/v4'),
    ('https://bitbucket.org/ws/r.git', 'bitbucket', 'ws/r', 'https://api.bitbucket.org/2.0'),
))
def test_known_hosts(url, forge, path, api):
    repo = locate(url, Remote())
    assert (repo.forge, repo.path, repo.api) == (forge, path, api)
    assert 'ghs_abc' not in repr(repo)


@pytest.mark.parametrize(('url', 'platform', 'path', 'api'), (
    ('https://ghe.corp:8443/o/r.git', 'github', 'o/r', 'https://ghe.corp:8443/api/v3'),
    ('git@gitlab.corp:a/b/c.git', 'gitlab', 'a/b/c', 'https://gitlab.corp/api/v4'),
    ('https://bb.corp/scm/PROJ/repo.git', 'bitbucket-server', 'PROJ/repo', 'https://bb.corp/rest'),
    ('https://bb.corp/projects/PROJ/repos/repo/browse', 'bitbucket-server', 'PROJ/repo',
     'https://bb.corp/rest'),
    ('ssh://git@gitea.corp:2222/o/r.git', 'gitea', 'o/r', 'https://gitea.corp/api/v1'),
))
def test_self_hosted_forges_need_a_platform(url, platform, path, api):
    with pytest.raises(ForgeError, match='remote.platform'):
        locate(url, Remote())
    repo = locate(url, Remote(platform=platform))
    assert (repo.path, repo.api) == (path, api)
    assert locate(url, Remote(platform=platform, api_url='http://x/api/')).api == 'http://x/api'


def test_an_error_never_shows_the_urls_password():
    with pytest.raises(ForgeError) as raised:
        locate('https://me:hunter2@github.com/', Remote())
    assert 'hunter2' not in raised.value.message
    assert redact_url('https://me:hunter2@h/o/r') == 'https://***@h/o/r'


@pytest.mark.parametrize('url', ('/srv/git/r.git', '../r', 'file:///srv/r.git', 'r.git'))
def test_local_repositories_have_no_forge(url):
    assert is_local(url)
