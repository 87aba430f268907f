#!/usr/bin/env bash
# docs/STRONGSWAN.md as one script: a sitevpn gateway and a customer peer, each a strongSwan charon
# in its own network namespace on this machine, joined by a veth pair; sitevpn drives the gateway
# charon over VICI; the customer charon loads the swanctl.conf sitevpn exports; both tunnels of an
# EC2 connection and one Huawei connection come UP; GetActiveVpnTunnelStatus reads them; a few
# bytes cross the tunnel. Everything is removed at exit (namespaces, daemons, files).
#
#   sudo scripts/strongswan-walkthrough.sh            # from the repository root, after npm install
#   KEEP=1 sudo scripts/strongswan-walkthrough.sh     # stop before tearing down (Enter to finish)
#
# Needs root (network namespaces) and Debian's charon-systemd strongswan-swanctl
# libcharon-extra-plugins iproute2 jq. Uses only addresses inside the two namespaces it creates.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
PORT=${PORT:-8787}        # PORT=0: any free port
ID=$$
GW_NS=swgw-$ID            # the sitevpn side: gateway outside IPs on the veth, site addresses on lo
CUST_NS=swcust-$ID        # the customer side
WORK=$(mktemp -d /tmp/sitevpn-walk-XXXXXX)
SITEVPN_PID=
ECHO=

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

cleanup() {
  set +e
  if [ -n "${KEEP:-}" ]; then read -rp "KEEP set: lab in $WORK, namespaces $GW_NS $CUST_NS. Enter tears it down. " _; fi
  [ -n "$ECHO" ] && kill "$ECHO" 2>/dev/null
  [ -n "$SITEVPN_PID" ] && kill "$SITEVPN_PID" 2>/dev/null && wait "$SITEVPN_PID" 2>/dev/null
  for side in gw cust; do
    [ -f "$WORK/$side/charon.pid" ] && kill "$(cat "$WORK/$side/charon.pid")" 2>/dev/null
  done
  sleep 1
  ip netns del "$GW_NS" 2>/dev/null
  ip netns del "$CUST_NS" 2>/dev/null
  rm -rf "$WORK"
  echo "cleaned up: namespaces $GW_NS $CUST_NS, $WORK"
}
trap cleanup EXIT

for tool in ip swanctl /usr/sbin/charon-systemd jq node; do
  command -v "$tool" >/dev/null || { echo "missing: $tool (apt-get install charon-systemd strongswan-swanctl libcharon-extra-plugins iproute2 jq)"; exit 2; }
done
[ "$(id -u)" = 0 ] || { echo "run as root: network namespaces need it"; exit 2; }

step "1. Two network namespaces joined by a veth pair"
run ip netns add "$GW_NS"
run ip netns add "$CUST_NS"
run ip link add vgw$ID netns "$GW_NS" type veth peer name vcust$ID netns "$CUST_NS"
gw() { ip netns exec "$GW_NS" "$@"; }
cust() { ip netns exec "$CUST_NS" "$@"; }
# Gateway outside IPs: sitevpn allocates them from SITEVPN_OUTSIDE_IP_POOL (203.0.113.0/24 by
# default), two per gateway, in order; charon can only use addresses its host has.
run gw ip addr add 203.0.113.1/32 dev vgw$ID
run gw ip addr add 203.0.113.2/32 dev vgw$ID
run gw ip addr add 203.0.113.3/32 dev vgw$ID
run gw ip addr add 203.0.113.4/32 dev vgw$ID
run cust ip addr add 198.51.100.7/32 dev vcust$ID
run cust ip addr add 198.51.100.8/32 dev vcust$ID
run gw ip link set lo up
run gw ip link set vgw$ID up
run cust ip link set lo up
run cust ip link set vcust$ID up
run gw ip route add 198.51.100.0/24 dev vgw$ID
run cust ip route add 203.0.113.0/24 dev vcust$ID
# Site addresses: with kernel-libipsec (no kernel ESP here) each side needs an address inside its
# own traffic selectors, or charon answers TS_UNACCEPTABLE.
run gw ip addr add 10.0.0.1/32 dev lo          # EC2 connection, gateway (VPC) side 10.0.0.0/16
run gw ip addr add 10.1.0.1/32 dev lo          # Huawei gateway's local subnet 10.1.0.0/16
run cust ip addr add 192.168.0.1/32 dev lo     # EC2 customer site 192.168.0.0/24
run cust ip addr add 192.168.1.1/32 dev lo     # Huawei customer site 192.168.1.0/24

step "2. A charon in each namespace, each with its own strongswan.conf and VICI socket"
for side in gw cust; do
  mkdir -p "$WORK/$side"
  cat > "$WORK/$side/strongswan.conf" <<EOF
charon {
  load_modular = yes
  plugins {
    include /etc/strongswan.d/charon/*.conf
    vici { socket = unix://$WORK/$side/charon.vici }
    kernel-libipsec { load = yes }
    stroke { load = no }
    resolve { load = no }
  }
  filelog { log { path = $WORK/$side/charon.log
                  flush_line = yes
                  time_format = %T
                  default = 1
                  ike = 2 } }
}
swanctl {
  load = random openssl pem pkcs1 pkcs8 x509 pubkey
  socket = unix://$WORK/$side/charon.vici
}
EOF
  ns=$GW_NS; [ $side = cust ] && ns=$CUST_NS
  printf '$ STRONGSWAN_CONF=%s ip netns exec %s /usr/sbin/charon-systemd &\n' "$WORK/$side/strongswan.conf" "$ns"
  STRONGSWAN_CONF=$WORK/$side/strongswan.conf ip netns exec "$ns" /usr/sbin/charon-systemd >/dev/null 2>&1 &
  echo $! > "$WORK/$side/charon.pid"
done
# swanctl against one charon (its strongswan.conf names the VICI socket). --load-all --file also
# scans x509/, private/, ... next to the file; their absence is harmless noise, filtered out here.
swan() {
  local side=$1; shift
  printf '$ STRONGSWAN_CONF=%s swanctl %s\n' "$WORK/$side/strongswan.conf" "$*" >&2
  STRONGSWAN_CONF=$WORK/$side/strongswan.conf swanctl "$@" 2>&1 | { grep -v "^opening directory" || true; }
}
# charon creates its socket file a moment before it accepts on it: wait until swanctl gets an answer.
for side in gw cust; do
  for _ in $(seq 100); do STRONGSWAN_CONF=$WORK/$side/strongswan.conf swanctl --stats >/dev/null 2>&1 && break; sleep 0.1; done
  STRONGSWAN_CONF=$WORK/$side/strongswan.conf swanctl --version
done

step "3. sitevpn on the strongSwan data plane, driving the gateway charon over VICI"
export SITEVPN_DATA_DIR=$WORK/data SITEVPN_PORT=$PORT SITEVPN_LOG_LEVEL=warn
printf '$ npx sitevpn serve --dataplane strongswan --vici unix://%s/gw/charon.vici\n' "$WORK"
node --import tsx src/cli/main.ts serve --dataplane strongswan --vici "unix://$WORK/gw/charon.vici" > "$WORK/sitevpn.out" 2>&1 &
SITEVPN_PID=$!
for _ in $(seq 300); do grep -q 'Keep the secret key now' "$WORK/sitevpn.out" && break; kill -0 $SITEVPN_PID || { cat "$WORK/sitevpn.out"; exit 1; }; sleep 0.1; done
sed -e 's/\(secret access key  \).*/\1(shown once; hidden here)/' "$WORK/sitevpn.out"
field() { sed -n "s/^  $1 *//p" "$WORK/sitevpn.out"; }
export SITEVPN_ENDPOINT=$(field endpoint)
export SITEVPN_PROJECT_ID=$(field 'project id') SITEVPN_ACCESS_KEY_ID=$(field 'access key id') SITEVPN_SECRET_ACCESS_KEY=$(field 'secret access key')
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
ec2() { printf '$ node examples/ec2.mjs %s\n' "$*" >&2; node examples/ec2.mjs "$@"; }
sitevpn() { printf '$ npx sitevpn %s\n' "$*" >&2; node --import tsx src/cli/main.ts "$@"; }
run curl -s "$SITEVPN_ENDPOINT/readyz"; echo

step "4. EC2: a VPN gateway, a customer gateway and a connection with the site subnets as selectors"
VGW=$(ec2 CreateVpnGateway '{"Type":"ipsec.1"}' | jq -r .VpnGateway.VpnGatewayId)
CGW=$(ec2 CreateCustomerGateway '{"Type":"ipsec.1","IpAddress":"198.51.100.7","BgpAsn":65010}' | jq -r .CustomerGateway.CustomerGatewayId)
VPN=$(ec2 CreateVpnConnection "{\"Type\":\"ipsec.1\",\"VpnGatewayId\":\"$VGW\",\"CustomerGatewayId\":\"$CGW\",
  \"Options\":{\"StaticRoutesOnly\":true,\"LocalIpv4NetworkCidr\":\"192.168.0.0/24\",\"RemoteIpv4NetworkCidr\":\"10.0.0.0/16\"}}" | jq -r .VpnConnection.VpnConnectionId)
echo "VPN gateway $VGW, customer gateway $CGW, VPN connection $VPN"
ec2 DescribeVpnConnections "{\"VpnConnectionIds\":[\"$VPN\"]}" | jq -r '.VpnConnections[0].VgwTelemetry[] | "tunnel \(.OutsideIpAddress) \(.Status) \(.StatusMessage)"'
echo "the gateway charon now holds sitevpn's connections (startup action add: it waits for the customer):"
swan gw --list-conns | grep -E '^[^ ]|local:|remote:|_ts' | head -20

step "5. The customer charon, configured from the strongSwan sample sitevpn generates"
# One file per connection in conf.d/, all loaded together: `swanctl --load-all` replaces the whole
# set, so loading one connection's file alone unloads the others.
mkdir -p "$WORK/cust/conf.d" && echo "include conf.d/*.conf" > "$WORK/cust/swanctl.conf"
ec2 GetVpnConnectionDeviceSampleConfiguration "{\"VpnConnectionId\":\"$VPN\",\"VpnConnectionDeviceTypeId\":\"5f1c3a70\"}" \
  | jq -r .VpnConnectionDeviceSampleConfiguration > "$WORK/cust/conf.d/ec2.conf"
chmod 600 "$WORK/cust/conf.d/ec2.conf"
sed -e 's/\(secret = \).*/\1"(the tunnel PSK)"/' "$WORK/cust/conf.d/ec2.conf" | sed -n '1,60p'
swan cust --load-all --file "$WORK/cust/swanctl.conf"

step "6. The tunnels come up; GetActiveVpnTunnelStatus reads them"
for i in $(seq 150); do
  UP=$(ec2 DescribeVpnConnections "{\"VpnConnectionIds\":[\"$VPN\"]}" 2>/dev/null | jq '[.VpnConnections[0].VgwTelemetry[] | select(.Status == "UP")] | length')
  [ "$UP" = 2 ] && break; sleep 0.2
done
ec2 DescribeVpnConnections "{\"VpnConnectionIds\":[\"$VPN\"]}" | jq -r '.VpnConnections[0] | "state \(.State)", (.VgwTelemetry[] | "tunnel \(.OutsideIpAddress) \(.Status) \(.StatusMessage)")'
for ip in 203.0.113.1 203.0.113.2; do
  ec2 GetActiveVpnTunnelStatus "{\"VpnConnectionId\":\"$VPN\",\"VpnTunnelOutsideIpAddress\":\"$ip\"}"
done
[ "$UP" = 2 ] || { echo "FAILED: $UP of 2 EC2 tunnels UP"; tail -40 "$WORK/gw/charon.log"; exit 1; }
echo "what charon itself says, on both sides:"
swan gw --list-sas | grep -E 'ESTABLISHED|INSTALLED|===' | head -12
swan cust --list-sas | grep -E 'ESTABLISHED|INSTALLED|===' | head -12

step "7. Traffic through the tunnel: customer site 192.168.0.1 -> gateway site 10.0.0.1 (TCP echo; no ping here)"
# `ip netns exec` execs node, so $! is the listener itself; it also exits on its own after 20 s.
ip netns exec "$GW_NS" node -e "require('net').createServer((s) => s.pipe(s)).listen(7007, '10.0.0.1'); setTimeout(() => process.exit(0), 20000)" \
  >/dev/null 2>&1 & ECHO=$!
sleep 1
cust node -e "const s = require('net').connect({ host: '10.0.0.1', port: 7007, localAddress: '192.168.0.1', timeout: 4000 }, () => s.end('through the tunnel'));
  let d = ''; s.on('data', (c) => (d += c)); s.on('end', () => { console.log('echoed: ' + d); process.exit(d === 'through the tunnel' ? 0 : 1); });
  s.on('timeout', () => { console.log('timeout'); process.exit(1); }); s.on('error', (e) => { console.log(e.message); process.exit(1); });"
kill $ECHO; ECHO=
swan gw --list-sas | grep -E ' (in|out) +[0-9a-f]{8}' | head -4

step "8. Huawei dialect with the sitevpn CLI: gateway, customer gateway, connection, exported swanctl.conf"
HVGW=$(sitevpn gateways create --name hq --vpc-id 0b6b9a2e-3f7c-4d7e-9a51-2f1d6c8e4a10 --local-subnet 10.1.0.0/16 \
  --connect-subnet 5c0e7d11-8a2b-4c3d-9e4f-6a7b8c9d0e1f --json | jq -r .id)
HCGW=$(sitevpn customer-gateways create --name branch --ip 198.51.100.8 --json | jq -r .id)
PSK=Walk.through-Key1
HCONN=$(SITEVPN_PSK=$PSK sitevpn connections create --gateway "$HVGW" --customer-gateway "$HCGW" --peer-subnet 192.168.1.0/24 --json | jq -r .id)
echo "gateway $HVGW, customer gateway $HCGW, connection $HCONN"
# The gateway initiates Huawei connections at once; the customer has no configuration for it yet.
sleep 2
sitevpn tunnels status "$HCONN" | grep -E 'ACTIVE|DOWN|PENDING|status|reason|message'
sitevpn device-config export "$HCONN" --output "$WORK/cust/conf.d/huawei.conf"
echo "Huawei never returns a PSK: the export has a placeholder; put the key in it:"
run grep -n REPLACE_WITH "$WORK/cust/conf.d/huawei.conf"
sed -i "s/REPLACE_WITH_TUNNEL1_PSK/$PSK/" "$WORK/cust/conf.d/huawei.conf"
swan cust --load-all --file "$WORK/cust/swanctl.conf"
# The gateway retries after 30 s (then 60, 120 s...). Initiate from the customer side to connect at once.
# WAIT_FOR_RETRY=1 waits for the gateway's own retry instead.
CHILD=$(sed -n 's/^  \([^ ]*\) {$/\1/p' "$WORK/cust/conf.d/huawei.conf" | grep -v '^ike-' | head -1)
LOADED=$(date +%s)
[ -n "${WAIT_FOR_RETRY:-}" ] || swan cust --initiate --child "$CHILD" --ike "$CHILD" --timeout 15 | tail -3
for i in $(seq 150); do
  STATUS=$(sitevpn connections show "$HCONN" --json 2>/dev/null | jq -r .status)
  [ "$STATUS" = ACTIVE ] && break; sleep 0.5
done
echo "ACTIVE $(( $(date +%s) - LOADED )) s after the customer loaded its configuration"
sitevpn tunnels status "$HCONN"
sitevpn tunnels history "$HCONN"
[ "$STATUS" = ACTIVE ] || { echo "FAILED: Huawei connection $STATUS"; exit 1; }

step "Done: 3 tunnels UP through real strongSwan"
echo "WALKTHROUGH OK"
