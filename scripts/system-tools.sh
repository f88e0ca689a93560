#!/usr/bin/env bash
# Debian packages the tests drive: the real AWS CLI v2 (the emulator's wire-fidelity test) and jq (with the CLI,
# docs/incident-response.md's shell blocks run as written). Installed only when missing; `npm test` and
# .ci/run call this.
set -euo pipefail
if /usr/bin/aws --version 2>/dev/null | grep -q '^aws-cli/2' && [ -x /usr/bin/jq ]; then exit 0; fi
sudo=''
[ "$(id -u)" -eq 0 ] || sudo='sudo'
echo 'Installing the Debian packages awscli and jq for the tests…' >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq awscli jq >/dev/null
