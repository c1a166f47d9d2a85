"""`.pushguard.toml` texts that several test modules use."""
from __future__ import annotations

JIRA = '[commit.jira]\nprojects = ["PROJ"]\n'
BRANCH = "[branch]\npattern = '^feat/PROJ-[0-9]+$'\n"
# every local check turned on, so every kind of data is fetched
EVERY_CHECK = '''
[commit]
pattern = 'PROJ-[0-9]+'
forbidden-pattern = 'WIP'
dco = true
[commit.jira]
projects = ["PROJ"]
[commit.conventional]
[branch]
pattern = '^feat/PROJ-[0-9]+$'
[files]
max-size = "1KB"
forbidden = ["*.pem"]
[author]
email = '@corp\\.example$'
[signing]
required = true
'''
