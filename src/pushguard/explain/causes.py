"""What git and the forges print when a push fails, and what each one means: the catalogue.

Each `Sign` is one message family: a regex searched in each line of the push's output (timestamps
and colour already taken off, `remote: ` prefixes kept off too), the cause it points at, what to
say and the fix, in order. `{name}` in message and fix are the regex's named groups, plus `ref`,
`branch` and `remote`. The wording is the servers' own (shared/forges/README.md); where the
forges' releases change a message, the regex matches loosely.

`weight` orders causes found together: the most specific, most likely first.
"""
from __future__ import annotations

import re

from pushguard._typing import NamedTuple


class Sign(NamedTuple):
    cause: str
    pattern: re.Pattern[str]
    message: str
    fix: str
    weight: int = 50
    names_ref: bool = False  # the `ref` group names the ref this sign belongs to


def _sign(cause: str, pattern: str, message: str, fix: str, weight: int = 50) -> Sign:
    compiled = re.compile(pattern, re.IGNORECASE)
    return Sign(cause, compiled, message, fix, weight, 'ref' in compiled.groupindex)


_VIA_PULL_REQUEST = (
    'git push {remote} HEAD:refs/heads/{branch}-change\n'
    'then open the pull/merge request: {pull_request}'
)
_REBASE_ON_REMOTE = (
    'git pull --rebase {remote} {branch}\n'
    'git push {remote} HEAD:refs/heads/{branch}'
)
_SIGN = (
    'git config commit.gpgsign true\n'
    'git rebase --force-rebase --gpg-sign {remote}/{branch}\n'
    'git push {remote} HEAD:refs/heads/{branch}'
)
_ADD_A_KEY = ('pushguard check {remote}/{branch}..HEAD   (shows each commit that lacks it)\n'
              'git rebase -i {remote}/{branch}   (mark those commits "reword")')

SIGNS: tuple[Sign, ...] = (
    # --- GitHub: protected branches (GH006) and rulesets (GH013) -----------------------------
    _sign('protected-branch', r'GH006: Protected branch update failed for (?P<ref>refs/\S+?)\.?$',
          '{ref} is a protected branch on GitHub and this push breaks its protection (GH006)',
          _VIA_PULL_REQUEST, 20),
    _sign('protected-branch', r'GH013: Repository rule violations found for (?P<ref>refs/\S+?)\.?$',
          "{ref} is governed by a GitHub ruleset this push breaks (GH013)", _VIA_PULL_REQUEST, 20),
    _sign('protected-branch', r'Changes must be made through a pull request',
          '{branch} takes changes only through pull requests', _VIA_PULL_REQUEST, 90),
    _sign('protected-branch', r'At least (?P<n>\d+) approving reviews? (is|are) required',
          '{branch} needs {n} approving review(s): changes go through a reviewed pull request',
          _VIA_PULL_REQUEST, 88),
    _sign('protected-branch', r"You're not authorized to push to this branch",
          'you are not among those allowed to push to {branch}', _VIA_PULL_REQUEST, 88),
    _sign('protected-branch', r'Cannot update this protected ref',
          '{ref} is locked or only bypass actors may update it', _VIA_PULL_REQUEST, 85),
    _sign('force-push', r'Cannot force-push to this (protected )?branch',
          '{branch} forbids force pushes: the push must build on what the server has',
          _REBASE_ON_REMOTE, 92),
    _sign('branch-deletion', r'Cannot delete this (protected )?branch',
          '{branch} may not be deleted', 'nothing to run: ask a repository admin, or keep it',
          92),
    _sign('status-checks',
          r'(?P<what>Required status check "[^"]+" is (expected|failing)'
          r'|\d+ of \d+ required status checks? (is|are) (expected|failing))',
          '{branch} needs passing status checks, which a direct push cannot have yet ({what})',
          _VIA_PULL_REQUEST, 85),
    _sign('status-checks', r'Waiting for Code Scanning results',
          '{branch} needs code scanning results, which a direct push cannot have yet',
          _VIA_PULL_REQUEST, 80),
    _sign('signature', r'Commits must have verified signatures',
          'every commit pushed to {branch} must carry a verified signature', _SIGN, 90),
    _sign('secrets', r'GITHUB PUSH PROTECTION|Push cannot contain secrets',
          'GitHub push protection found a secret in the pushed commits',
          'take the secret out of every pushed commit: git rebase -i {remote}/{branch} (mark the '
          'commits "edit", remove it, git commit --amend, git rebase --continue), then revoke '
          'it; if it is not a secret, open the unblock URL GitHub printed{unblock}', 95),
    _sign('file-size', r"File (?P<path>.+?) is (?P<size>[\d.]+ MB); this exceeds GitHub's file "
                       r'size limit',
          '{path} is {size}, over GitHub\'s 100 MB limit (GH001)',
          "git lfs migrate import --include='{path}' --include-ref=refs/heads/{branch}\n"
          'git push {remote} HEAD:refs/heads/{branch}', 95),
    _sign('file-size', r'GH001: Large files detected',
          'a pushed commit adds a file over GitHub\'s 100 MB limit (GH001)',
          'git lfs migrate import --above=100MB --include-ref=refs/heads/{branch}\n'
          'git push {remote} HEAD:refs/heads/{branch}', 60),
    _sign('repository-size', r'This repository was archived so it is read-only|'
                             r'repository is (archived|read-only|in read-only mode)',
          'the repository is read-only (archived or locked): no push can land',
          'nothing to push to: ask an owner to unarchive it, or push to a fork', 90),
    # --- GitLab -------------------------------------------------------------------------------
    _sign('protected-branch',
          r'You are not allowed to push code to protected branches on this project',
          'GitLab: {branch} is protected and your role may not push to it', _VIA_PULL_REQUEST, 90),
    _sign('force-push', r'You are not allowed to force push code to a protected branch',
          'GitLab: {branch} is protected against force pushes', _REBASE_ON_REMOTE, 92),
    _sign('branch-deletion',
          r'(You can only delete protected branches using the web interface'
          r'|You are not allowed to delete protected branches'
          r'|The default branch of a project cannot be deleted)',
          'GitLab: {branch} is protected (or the default branch) and cannot be deleted by a push',
          'delete it in GitLab: Code > Branches (a Maintainer can), or keep it', 92),
    _sign('branch-creation', r'You are not allowed to create protected branches on this project'
                             r'|You can only create protected branches using the web interface',
          'GitLab: {branch} matches a protected-branch rule, and your role may not create it',
          'git push {remote} HEAD:refs/heads/{branch}-change   (a name no rule protects)', 90),
    _sign('token-auth', r'You are not allowed to push code to this project',
          'GitLab: this credential has no write access to the project',
          'a Developer role or a project access token with write_repository; in GitLab CI, '
          'CI_JOB_TOKEN cannot push: use a project access token in the remote URL', 85),
    _sign('message-pattern', r"Commit message does not follow the pattern '(?P<re>.*)'",
          "GitLab push rule: a pushed commit's message does not match {re}", _ADD_A_KEY, 90),
    _sign('message-pattern', r"Commit message contains the forbidden pattern '(?P<re>.*)'",
          "GitLab push rule: a pushed commit's message matches the forbidden {re}",
          _ADD_A_KEY, 90),
    _sign('branch-name', r"Branch name does not follow the pattern '(?P<re>.*)'",
          'GitLab push rule: the branch name does not match {re}',
          'git push {remote} HEAD:refs/heads/<a name matching {re}>', 90),
    _sign('author-email', r"(Author|Committer)'s email '(?P<email>[^']*)' does not follow the "
                          r'pattern',
          'GitLab push rule: {email} is not an allowed email',
          'git config user.email <an allowed address>\n'
          "git rebase --exec 'git commit --amend --no-edit --reset-author' {remote}/{branch}", 90),
    _sign('author-email', r'You can only push commits that were committed with one of your own '
                          r'verified emails',
          'GitLab: pushed commits carry an email that is not one of your verified emails',
          'git config user.email <your verified address>\n'
          "git rebase --exec 'git commit --amend --no-edit --reset-author' {remote}/{branch}", 90),
    _sign('protected-tag', r'You cannot delete a tag|Tag (?P<tag>\S+) is protected',
          'the forge protects this tag', 'nothing to run: tags it protects are moved by a '
          'Maintainer in the web interface', 90),
    _sign('signature', r'Commit must be signed', 'GitLab push rule: every commit must be signed',
          _SIGN, 90),
    _sign('file-size', r'File "(?P<path>[^"]+)" is larger than the allowed size of (?P<n>\d+) MB',
          'GitLab: {path} is over the {n} MB limit',
          "git lfs migrate import --include='{path}' --include-ref=refs/heads/{branch}\n"
          'git push {remote} HEAD:refs/heads/{branch}', 95),
    _sign('forbidden-path', r'File name (?P<path>.+?) (was blacklisted|is prohibited) by the '
                            r'pattern',
          'GitLab push rule: the path {path} is not allowed',
          "git rm --cached -- '{path}' && git commit --amend --no-edit   (if the last commit "
          'added it; else git rebase -i {remote}/{branch})', 90),
    _sign('repository-size', r'(exceed|over) (the|its) (storage |size )?(limit|quota)'
                             r'|size limit',
          'the repository is over its size limit',
          'git count-objects -vH   (see how large); remove big files from the pushed commits '
          '(git lfs migrate import --above=10MB), or ask an admin to raise the limit', 70),
    # --- Bitbucket ----------------------------------------------------------------------------
    _sign('protected-branch', r'Permission denied to update branch (?P<branch_named>\S+?)\.?$',
          'Bitbucket: you may not push to {branch_named} (a branch restriction)',
          _VIA_PULL_REQUEST, 90),
    _sign('protected-branch', r'Branch (?P<ref>refs/\S+) can only be modified through pull '
                              r'requests',
          'Bitbucket: {ref} takes changes only through pull requests', _VIA_PULL_REQUEST, 90),
    _sign('protected-branch', r"You don't have permission to push to this branch",
          'Bitbucket: a branch permission stops you pushing to {branch}', _VIA_PULL_REQUEST, 90),
    # --- Gitea / Forgejo ----------------------------------------------------------------------
    _sign('force-push', r'(Branch \S+ is protected from force push'
                        r'|Not allowed to force-push to protected branch)',
          'Gitea: {branch} forbids force pushes', _REBASE_ON_REMOTE, 92),
    _sign('protected-branch', r'Not allowed to push to protected branch|protected branch \S+ '
                              r'can not be pushed to',
          'Gitea: {branch} is protected and you may not push to it', _VIA_PULL_REQUEST, 90),
    _sign('branch-deletion', r'Branch \S+ is protected from deletion',
          'Gitea: {branch} may not be deleted', 'nothing to run: keep it, or ask an admin', 92),
    _sign('signature', r'Branch \S+ is protected from unverified commit', 'Gitea: {branch} takes '
          'only signed, verified commits', _SIGN, 90),
    _sign('forbidden-path', r'Branch \S+ is protected from changing file (?P<path>.+)',
          'Gitea: {path} is a protected file on {branch}', _VIA_PULL_REQUEST, 90),
    # --- policy hooks in general (pre-receive hook declined with remote: lines) ----------------
    _sign('jira-ticket', r'(jira|issue key|ticket)',
          'the server wants a Jira issue key in each commit message', _ADD_A_KEY, 40),
    _sign('branch-name', r'branch name', 'the server refuses the branch name',
          'git push {remote} HEAD:refs/heads/<a name the server accepts>', 35),
    _sign('secrets', r'secret|credential|private key|api key',
          'the server found something like a secret in the pushed commits',
          'take it out of every pushed commit (git rebase -i {remote}/{branch}), then revoke it',
          35),
    _sign('signature', r'(unsigned|not signed|signature)', 'the server wants signed commits',
          _SIGN, 35),
    _sign('file-size', r'(too large|too big|file size|larger than)',
          'the server refuses a file this big', 'git lfs migrate import --above=10MB '
          '--include-ref=refs/heads/{branch}', 35),
    # --- git's own rejections -----------------------------------------------------------------
    _sign('non-fast-forward', r'\(non-fast-forward\)|\(fetch first\)|Updates were rejected '
                              r'because the (tip of your current branch is behind|remote '
                              r'contains work)',
          'the server has commits on {branch} that yours lack (someone pushed first)',
          _REBASE_ON_REMOTE + '\n(only when you rewrote history on purpose: '
          'git push --force-with-lease {remote} {branch})', 80),
    _sign('tag-exists', r'\(would clobber existing tag\)|\(already exists\)|'
                        r'Updates were rejected because the tag already exists',
          'the tag {branch} already exists on the server and points elsewhere',
          'git ls-remote --tags {remote} {branch}   (see where it points)\n'
          'only if the tag is yours to move: git push {remote} :refs/tags/{branch} && '
          'git push {remote} refs/tags/{branch}', 80),
    # --- getting there: authentication and the network ----------------------------------------
    _sign('ssh-auth', r'Permission denied \(publickey', 'the server did not accept your SSH key',
          'ssh -T {ssh_host}   (which key is offered)\nssh-add -l   (keys the agent holds)\n'
          'add your public key (~/.ssh/id_ed25519.pub) to your account on the forge', 90),
    _sign('host-key', r'Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED',
          "ssh does not know (or no longer trusts) the server's host key",
          'ssh-keyscan {host} >> ~/.ssh/known_hosts   (then compare the fingerprint with the '
          "one the forge publishes)", 90),
    _sign('token-auth', r'The requested URL returned error: 403|returned error: 403',
          'the server refused this credential (HTTP 403): it may read but not write, or has '
          'expired',
          'a token with write access (GitHub: contents: write, e.g. `permissions: contents: '
          'write` in the workflow; GitLab: write_repository; CI_JOB_TOKEN cannot push)\n'
          'git credential reject   (forget the stored one), then push again', 85),
    _sign('token-auth', r'(returned error: 401|Authentication failed for|Invalid username or '
                        r'password|HTTP Basic: Access denied)',
          'the server did not accept the credential (expired, revoked or wrong)',
          'printf "protocol=https\\nhost={host}\\n\\n" | git credential reject\n'
          'then push again with a new token or password', 85),
    _sign('repository-not-found', r'(Repository not found|does not appear to be a git repository'
                                  r'|Could not read from remote repository|project you were '
                                  r'looking for could not be found)',
          'the remote URL names no repository you can see (a wrong URL, or no access)',
          'git remote -v   (which URL is used)\ngit remote set-url {remote} <the right URL>', 60),
    _sign('network', r'kex_exchange_identification|Connection closed by remote host',
          'the SSH connection was closed before it began (a firewall, a rate limit, or the '
          'server is down)', 'ssh -vT {ssh_host}   (where it stops); try HTTPS, or port 443 '
          '(ssh.github.com) where the forge offers it', 80),
    _sign('network', r'Could not resolve host', 'the server name could not be resolved (DNS, '
          'offline, or a typo in the URL)', 'git remote -v   (check the host)\n'
          'getent hosts {host}', 80),
    _sign('network', r'(Connection timed out|Operation timed out|Failed to connect to|Connection '
                     r'refused|Network is unreachable)',
          'the server could not be reached (offline, a firewall, or the server is down)',
          'git ls-remote {remote}   (try again when it answers)', 75),
    _sign('proxy', r'(Proxy auto-configuration failed|Received HTTP code 407 from proxy|'
                   r'Proxy CONNECT aborted|Could not resolve proxy|Failed to connect to proxy|'
                   r'proxy authentication)',
          'the proxy refused or could not be reached',
          'git config --get http.proxy; env | grep -i _proxy   (which proxy is used)\n'
          'give the proxy its credentials, or add the forge host to NO_PROXY', 85),
)

# a line git prints for each rejected ref:  ! [remote rejected] main -> main (reason)
REJECTED_REF = re.compile(
    r'^\s*!\s*\[(?P<kind>remote rejected|rejected)\]\s+(?P<local>\S+)\s+->\s+(?P<remote>\S+)'
    r'\s+\((?P<reason>[^)]*)\)')
TO_LINE = re.compile(r'^To (?P<url>\S+)')
POLICY_DECLINED = re.compile(r'hook declined|declined due to repository rule')
