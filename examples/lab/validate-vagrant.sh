#!/usr/bin/env bash
# Checks the Vagrantfile with Debian's vagrant (`vagrant validate`); no hypervisor is needed, so this
# runs in CI where no VM can start. Fails on a Vagrantfile that does not parse or configure.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
export VAGRANT_CHECKPOINT_DISABLE=1 VAGRANT_HOME=${VAGRANT_HOME:-/tmp/linen-vagrant-home}
vagrant validate --ignore-provider
