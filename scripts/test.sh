#!/usr/bin/env bash
# One command that installs everything the test suite needs and runs it:
#   Debian packages: socat (pseudo-terminals for the serial path), python3-gammu (independent PDU
#   oracle), shellcheck (install scripts), systemd (systemd-analyze scores the unit's hardening),
#   gammu-smsd and smstools (independent SMS daemons that drive the simulator over a pty)
#   npm packages, then a build, a type check, lint, and the vitest suite.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v socat >/dev/null 2>&1 || need+=(socat)
/usr/bin/python3 -c 'import gammu' >/dev/null 2>&1 || need+=(python3-gammu)
command -v shellcheck >/dev/null 2>&1 || need+=(shellcheck)
command -v systemd-analyze >/dev/null 2>&1 || need+=(systemd)
command -v gammu-smsd >/dev/null 2>&1 || need+=(gammu-smsd)
[ -x /usr/sbin/smsd ] || command -v smsd >/dev/null 2>&1 || need+=(smstools)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

npm ci --no-audit --no-fund
npm run typecheck
npm run lint
npm test
