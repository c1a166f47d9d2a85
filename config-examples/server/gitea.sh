#!/bin/sh
# Gitea / Forgejo: their pre-receive hook runs every script in hooks/pre-receive.d/, so pushguard
# goes there (as hooks/pre-receive.d/pushguard) and Gitea's own hook is left as it is.
# Run as the git user, in the repository's folder under Gitea's REPOSITORY ROOT.
set -e
cd /var/lib/gitea/data/gitea-repositories/acme/app.git
pushguard install --server --config /etc/pushguard/policy.toml
