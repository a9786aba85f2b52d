#!/usr/bin/env bash
# Installs smsgw as a systemd service on Raspberry Pi OS / Debian bookworm (arm64, armhf; amd64 works
# too). Idempotent: run it again from a newer checkout to upgrade; the config, the credentials and the
# data are kept.
#
# Expects: systemd, Node.js >= 20.19 with npm on PATH (bookworm's own nodejs package is 18 and too
# old: install Node 20 or 22 from your usual source first; this script does not download runtimes).
# Installs with apt when missing: build-essential and python3 (better-sqlite3 and serialport compile
# their native parts on the Pi).
#
# What it does, in order:
#   1. copies this checkout into /opt/smsgw (root-owned, read-only for the service)
#   2. npm ci, npm run build, npm prune --omit=dev   (TypeScript is a dev dependency, needed to build)
#   3. creates the smsgw user (member of dialout) with systemd-sysusers
#   4. creates /etc/smsgw, /etc/smsgw/credentials and /var/lib/smsgw with systemd-tmpfiles
#   5. installs /etc/smsgw/smsgw.toml from config/example.pi.toml if absent, and the credentials
#      api-key and webhook-secret (generated) and sim-pin (empty) if absent
#   6. installs the unit, the udev rules, reloads systemd and udev
#   7. restarts the service if it was running (upgrade), else prints the next steps
#
# Usage: sudo ./install.sh [--dry-run]     --dry-run prints the commands instead of running them
set -euo pipefail

PREFIX=/opt/smsgw
ETC=/etc/smsgw
SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DRY_RUN=0

for arg in "$@"; do
  case "$arg" in
    --dry-run) DRY_RUN=1 ;;
    -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

say() { printf '==> %s\n' "$*"; }
run() {
  if [ "$DRY_RUN" -eq 1 ]; then printf '+ %s\n' "$*"; else "$@"; fi
}
# Writes stdin to a file (mode, owner) unless the file exists.
write_if_absent() {
  local path=$1 mode=$2 owner=$3
  if [ -e "$path" ]; then say "keeping existing $path"; cat >/dev/null; return; fi
  if [ "$DRY_RUN" -eq 1 ]; then printf '+ create %s (%s %s)\n' "$path" "$mode" "$owner"; cat >/dev/null; return; fi
  (umask 077; cat >"$path")
  chmod "$mode" "$path"
  chown "$owner" "$path"
}
random_b64url() { head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'; }

if [ "$DRY_RUN" -eq 0 ] && [ "$(id -u)" -ne 0 ]; then
  echo "install.sh: run as root (sudo ./install.sh)" >&2
  exit 1
fi

arch="$(dpkg --print-architecture 2>/dev/null || uname -m)"
case "$arch" in
  arm64|armhf|amd64) ;;
  *) echo "install.sh: warning: untested architecture $arch" >&2 ;;
esac

for tool in systemctl systemd-sysusers systemd-tmpfiles udevadm; do
  command -v "$tool" >/dev/null 2>&1 || { echo "install.sh: $tool not found: smsgw needs systemd and udev" >&2; exit 1; }
done

NODE="$(command -v node || true)"
if [ -z "$NODE" ] || ! command -v npm >/dev/null 2>&1; then
  echo "install.sh: Node.js >= 20.19 with npm is required and was not found on PATH." >&2
  echo "  Install Node 20 or 22 (for example the nodejs package of a NodeSource or Debian backports" >&2
  echo "  repository), check with 'node --version', then run this script again." >&2
  exit 1
fi
if ! "$NODE" -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>20||(a===20&&b>=19)?0:1)'; then
  echo "install.sh: Node $("$NODE" --version) is too old; smsgw needs >= 20.19" >&2
  exit 1
fi

missing=()
command -v make >/dev/null 2>&1 && command -v g++ >/dev/null 2>&1 || missing+=(build-essential)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]} (native modules are compiled on this machine)"
  run apt-get update -qq
  run env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

say "copying $SRC to $PREFIX"
run mkdir -p "$PREFIX"
if [ "$SRC" != "$PREFIX" ]; then
  if [ "$DRY_RUN" -eq 1 ]; then
    printf '+ tar -C %s --exclude=./node_modules --exclude=./dist --exclude=./data --exclude=./.git -cf - . | tar -C %s -xf -\n' "$SRC" "$PREFIX"
  else
    tar -C "$SRC" --exclude=./node_modules --exclude=./dist --exclude=./data --exclude=./.git -cf - . | tar -C "$PREFIX" -xf -
  fi
fi
run chown -R root:root "$PREFIX"

say "installing npm dependencies and building (this takes a while on a Pi)"
run env -C "$PREFIX" npm ci --no-audit --no-fund
run env -C "$PREFIX" npm run build
run env -C "$PREFIX" npm prune --omit=dev --no-audit --no-fund

say "creating the smsgw user and its directories"
run install -m 0644 "$SRC/systemd/smsgw.sysusers.conf" /usr/lib/sysusers.d/smsgw.conf
run systemd-sysusers /usr/lib/sysusers.d/smsgw.conf
run install -m 0644 "$SRC/systemd/smsgw.tmpfiles.conf" /usr/lib/tmpfiles.d/smsgw.conf
run systemd-tmpfiles --create /usr/lib/tmpfiles.d/smsgw.conf

say "configuration and credentials"
write_if_absent "$ETC/smsgw.toml" 0640 root:smsgw <"$SRC/config/example.pi.toml"
printf 'smsgw_%s\n' "$(random_b64url)" | write_if_absent "$ETC/credentials/api-key" 0600 root:root
printf 'whsec_%s\n' "$(head -c 32 /dev/urandom | base64 | tr -d '\n')" | write_if_absent "$ETC/credentials/webhook-secret" 0600 root:root
# Empty until the SIM has a PIN; the config references it only when sim_pin is set.
printf '' | write_if_absent "$ETC/credentials/sim-pin" 0600 root:root

say "installing the systemd unit and the udev rules"
run install -m 0644 "$SRC/systemd/smsgw.service" /etc/systemd/system/smsgw.service
if [ "$NODE" != "/usr/bin/node" ]; then
  # The unit names /usr/bin/node; point it at this machine's node with a drop-in, not an edit.
  run mkdir -p /etc/systemd/system/smsgw.service.d
  if [ "$DRY_RUN" -eq 1 ]; then
    printf '+ write /etc/systemd/system/smsgw.service.d/10-node.conf (ExecStart with %s)\n' "$NODE"
  else
    printf '[Service]\nExecStart=\nExecStart=%s %s/bin/smsgw start --config %s/smsgw.toml\n' "$NODE" "$PREFIX" "$ETC" \
      >/etc/systemd/system/smsgw.service.d/10-node.conf
  fi
fi
run install -m 0644 "$SRC/systemd/77-smsgw-modems.rules" /etc/udev/rules.d/77-smsgw-modems.rules
run ln -sfn "$PREFIX/bin/smsgw" /usr/local/bin/smsgw
run systemctl daemon-reload
run udevadm control --reload
run udevadm trigger --subsystem-match=tty --action=change

if [ "$DRY_RUN" -eq 0 ] && systemctl is-active --quiet smsgw; then
  say "restarting the running service"
  systemctl restart smsgw
  exit 0
fi

cat <<NEXT

smsgw is installed. Next steps:
  1. smsgw doctor                    # lists the modems' ports and any conflict, with fixes
  2. sudo nano $ETC/smsgw.toml       # set [[modems]] port = "/dev/serial/by-id/…" or /dev/smsgw/…
     SIM PIN: echo 1234 | sudo tee $ETC/credentials/sim-pin, and uncomment sim_pin in the config
  3. smsgw config check --config $ETC/smsgw.toml
  4. sudo systemctl enable --now smsgw
  5. journalctl -u smsgw -f          # logs; -p warning for problems only
The API key is in $ETC/credentials/api-key (sudo cat it); the API listens on 127.0.0.1:8080.
NEXT
