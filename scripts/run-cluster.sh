#!/bin/sh
# Starts a throwaway PostgreSQL (Debian's `postgresql` package; initdb into a temporary directory,
# listening only on a unix socket there) and three sitevpn processes on it: one API instance on
# 127.0.0.1:8787 and two data-plane instances (health and metrics on :8788 and :8789) that share
# the gateways through leases. Ctrl-C stops everything and removes the database.
#   scripts/run-cluster.sh            (SITEVPN_LEASE_SECONDS, SITEVPN_DATAPLANE... are passed on)
set -eu
cd "$(dirname "$0")/.."
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$BIN" ] || { echo "run-cluster: install the Debian package \"postgresql\"" >&2; exit 1; }
DIR=$(mktemp -d /tmp/sitevpn-cluster.XXXXXX)
chmod 0755 "$DIR"
if [ "$(id -u)" = 0 ]; then AS="runuser -u postgres --"; PGUSER=postgres; chown postgres "$DIR"; else AS=""; PGUSER=$(id -un); fi
$AS "$BIN/initdb" -D "$DIR/data" -A trust -U "$PGUSER" -E UTF8 >/dev/null
$AS "$BIN/pg_ctl" -D "$DIR/data" -o "-k $DIR -c listen_addresses=''" -l "$DIR/server.log" -w start >/dev/null
PIDS=""
cleanup() {
  for p in $PIDS; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  $AS "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT INT TERM

export SITEVPN_DATABASE_URL="postgres://$PGUSER@localhost/postgres?host=$DIR"
# Every instance must share the master key (secrets are sealed with it).
export SITEVPN_MASTER_KEY="${SITEVPN_MASTER_KEY:-$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')}"
SITEVPN="node --import tsx src/cli/main.ts"

# The API instance first: it migrates the schema and creates the first tenant (printed once).
SITEVPN_DATA_DIR="$DIR/api" $SITEVPN serve --role api --port 8787 &
PIDS="$PIDS $!"
until node -e "fetch('http://127.0.0.1:8787/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"; do sleep 0.5; done
for port in 8788 8789; do
  SITEVPN_DATA_DIR="$DIR/dp$port" $SITEVPN serve --role dataplane --port "$port" &
  PIDS="$PIDS $!"
done
echo "run-cluster: API on http://127.0.0.1:8787, data-plane instances on :8788 and :8789 (Ctrl-C stops all)"
wait
