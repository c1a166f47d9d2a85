"""What `pushguard ci` and the server hook need beyond `check`: one module per CI system
(`github`, `gitlab`, `bitbucket`: the commits and the branch from the CI's own variables),
`history` (a shallow clone deepened, or refused with the setting to change) and `trusted`
(the policy and the secrets baseline read from the trusted side of a change)."""
