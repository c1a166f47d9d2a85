#!/bin/sh
# A plain git server (ssh, git-http-backend, git daemon): the bare repository's own hook.
# Run as the user that owns the repositories; the policy file lives outside them.
set -e
cd /srv/git/app.git
pushguard install --server --config /etc/pushguard/policy.toml
# Without --config the policy is the .pushguard.toml of the repository's HEAD (never the
# pushed commits'). A pre-receive hook already there is kept as pre-receive.legacy and runs
# first. Without `pushguard install`, copy the ready-made script instead:
#   cp <pushguard checkout>/hooks/pre-receive hooks/pre-receive
