#!/bin/sh
# GitLab self-managed server hooks: Gitaly runs custom_hooks/pre-receive.d/* in the repository's
# folder (hashed storage: find it under Admin > Projects > the project > Relative path).
set -e
cd /var/opt/gitlab/git-data/repositories/@hashed/ab/cd/abcd1234.git
mkdir -p custom_hooks/pre-receive.d
pushguard install --server --config /etc/gitlab/pushguard.toml
