#!/usr/bin/env bash
# End-to-end SCEP enrollment with a second, independent client: Debian's
# certmonger (its scep-submit helper, built on OpenSSL), on a private D-Bus
# session bus, with its state in a scratch directory.
#   server/e2e/certmonger.sh SERVER_BINARY
# Needs `aws` (awscli), `certmonger`/`getcert`, `dbus-daemon` and `openssl`.
set -euo pipefail

binary=${1:?usage: certmonger.sh SERVER_BINARY}
work=$(mktemp -d)
log="$work/server.log"
"$binary" --listen 127.0.0.1:0 --data-dir "$work/data" --create-delay-ms 200 >"$work/stdout" 2>"$log" &
pid=$!
bus_pid=""
cm_pid=""
cleanup() {
  if [ -n "$cm_pid" ]; then
    getcert stop-tracking -s -i "dev1-$run" >/dev/null 2>&1 || true
    getcert stop-tracking -s -i "dev2-$run" >/dev/null 2>&1 || true
    getcert remove-ca -s -c "$nick" >/dev/null 2>&1 || true
  fi
  [ -n "$cm_pid" ] && kill "$cm_pid" 2>/dev/null || true
  [ -n "$bus_pid" ] && kill "$bus_pid" 2>/dev/null || true
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

for _ in $(seq 1 100); do
  grep -q '^listening on ' "$work/stdout" && break
  sleep 0.1
done
url=$(sed -n 's/^listening on //p' "$work/stdout")
[ -n "$url" ] || { echo "server did not start"; cat "$log"; exit 1; }

export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
export AWS_PAGER="" AWS_MAX_ATTEMPTS=1
unset AWS_PROFILE AWS_SESSION_TOKEN
awscli() { aws pca-connector-scep --endpoint-url "$url" "$@"; }

passed=0 failed=0
check() { # check NAME EXPECTED ACTUAL
  if [ "$2" == "$3" ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL $1: expected [$2], got [$3]"; fi
}

ca="arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/11111111-2222-3333-4444-555555555555"
arn=$(awscli create-connector --certificate-authority-arn "$ca" --query ConnectorArn --output text)
for _ in $(seq 1 100); do
  [ "$(awscli get-connector --connector-arn "$arn" --query Connector.Status --output text)" == ACTIVE ] && break
  sleep 0.1
done
endpoint=$(awscli get-connector --connector-arn "$arn" --query Connector.Endpoint --output text)
challenge=$(awscli create-challenge --connector-arn "$arn" --query Challenge.Arn --output text)
password=$(awscli get-challenge-password --challenge-arn "$challenge" --query Password --output text)

# A private session bus, and certmonger on it with its state under $work.
dbus-daemon --session --fork --print-address=3 --print-pid=4 3>"$work/bus.addr" 4>"$work/bus.pid"
bus_pid=$(cat "$work/bus.pid")
export DBUS_SESSION_BUS_ADDRESS=$(cat "$work/bus.addr")
# On a session bus certmonger keeps its state in the user's
# ~/.config/certmonger: names are unique to this run, and removed at exit.
run=$$-$RANDOM
nick="pca-e2e-$run"
certmonger -s -n -B >"$work/certmonger.log" 2>&1 &
cm_pid=$!
for _ in $(seq 1 50); do getcert list-cas -s >/dev/null 2>&1 && break; sleep 0.1; done

# The CA is its own RA: certmonger is given it as the signing CA (-N), the
# trust anchor it verifies the server's replies with.
curl -sf "$endpoint?operation=GetCACert" | openssl x509 -inform der -out "$work/ca.pem"
getcert add-scep-ca -s -c "$nick" -u "$endpoint" -N "$work/ca.pem" || { echo "add-scep-ca failed"; cat "$work/certmonger.log"; exit 1; }
# status DEVICE: the request's certmonger status once it settles.
status() {
  local s=""
  for _ in $(seq 1 100); do
    s=$(getcert list -s -i "$1" | sed -n 's/^\tstatus: //p')
    case "$s" in MONITORING|CA_REJECTED|CA_UNREACHABLE|CA_UNCONFIGURED|NEED_GUIDANCE) break ;; esac
    sleep 0.2
  done
  echo "$s"
}

getcert request -s -c "$nick" -I "dev1-$run" -k "$work/dev1.key" -f "$work/dev1.crt" -N CN=certmonger-device -L "$password" >/dev/null
check "certmonger enrolls" MONITORING "$(status "dev1-$run")"
check "verifies against the local CA" "$work/dev1.crt: OK" "$(openssl verify -CAfile "$work/ca.pem" "$work/dev1.crt" 2>&1)"
check "subject" "subject=CN = certmonger-device" "$(openssl x509 -in "$work/dev1.crt" -noout -subject)"

getcert request -s -c "$nick" -I "dev2-$run" -k "$work/dev2.key" -f "$work/dev2.crt" -N CN=refused-device -L wrong-password >/dev/null
check "wrong challenge refused" CA_REJECTED "$(status "dev2-$run")"
check "wrong challenge: no certificate" no "$([ -e "$work/dev2.crt" ] && echo yes || echo no)"

echo "certmonger: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
