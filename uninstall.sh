#!/usr/bin/env bash
# Removes smsgw installed by install.sh. Keeps the configuration (/etc/smsgw), the data
# (/var/lib/smsgw: messages, consents, opt-outs) and the smsgw user unless --purge is given.
#
# Usage: sudo ./uninstall.sh [--purge] [--dry-run]
set -euo pipefail

PURGE=0
DRY_RUN=0
for arg in "$@"; do
  case "$arg" in
    --purge) PURGE=1 ;;
    --dry-run) DRY_RUN=1 ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "uninstall.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

say() { printf '==> %s\n' "$*"; }
run() {
  if [ "$DRY_RUN" -eq 1 ]; then printf '+ %s\n' "$*"; else "$@"; fi
}

if [ "$DRY_RUN" -eq 0 ] && [ "$(id -u)" -ne 0 ]; then
  echo "uninstall.sh: run as root (sudo ./uninstall.sh)" >&2
  exit 1
fi

say "stopping and disabling the service"
run systemctl disable --now smsgw.service || true

say "removing the program, the unit and the udev rules"
run rm -f /etc/systemd/system/smsgw.service
run rm -rf /etc/systemd/system/smsgw.service.d
run rm -f /etc/udev/rules.d/77-smsgw-modems.rules
run rm -f /usr/local/bin/smsgw
run rm -rf /opt/smsgw
run systemctl daemon-reload
run udevadm control --reload

if [ "$PURGE" -eq 1 ]; then
  say "purging configuration, credentials, data and the smsgw user"
  run rm -rf /etc/smsgw /var/lib/smsgw
  run rm -f /usr/lib/sysusers.d/smsgw.conf /usr/lib/tmpfiles.d/smsgw.conf
  if getent passwd smsgw >/dev/null 2>&1; then run userdel smsgw; fi
  if getent group smsgw >/dev/null 2>&1; then run groupdel smsgw; fi
else
  say "kept /etc/smsgw (config, credentials), /var/lib/smsgw (data) and the smsgw user; --purge removes them"
fi
