#!/usr/bin/env bash
# End-to-end SCEP enrollment with a real client against the local server.
#   server/e2e/scep.sh SERVER_BINARY
# Needs `aws` (awscli), `scepclient` (Debian's `scep` package: micromdm's
# client), `openssl` and `curl` on PATH. The connector and its challenge are
# made through the AWS CLI; the device enrolls at the connector's Endpoint;
# the certificate is verified against the CA that GetCACert serves.
set -euo pipefail

binary=${1:?usage: scep.sh SERVER_BINARY}
work=$(mktemp -d)
log="$work/server.log"
failing_ca="arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/99999999-2222-3333-4444-555555555555"
"$binary" --listen 127.0.0.1:0 --data-dir "$work/data" --create-delay-ms 200 --fail-ca-arn "$failing_ca" >"$work/stdout" 2>"$log" &
pid=$!
cleanup() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"; }
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
# enroll DIR [scepclient flags...]: a fresh device in DIR; prints the exit code.
enroll() {
  local dir=$1; shift
  mkdir -p "$dir"
  set +e
  scepclient -server-url "$endpoint" -private-key "$dir/key.pem" -certificate "$dir/cert.pem" "$@" >"$dir/out" 2>&1
  echo $?
  set -e
}

ca="arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/11111111-2222-3333-4444-555555555555"
arn=$(awscli create-connector --certificate-authority-arn "$ca" --query ConnectorArn --output text)
for _ in $(seq 1 100); do
  [ "$(awscli get-connector --connector-arn "$arn" --query Connector.Status --output text)" == ACTIVE ] && break
  sleep 0.1
done
endpoint=$(awscli get-connector --connector-arn "$arn" --query Connector.Endpoint --output text)
check "endpoint" "$url/scep/${arn##*/}" "$endpoint"
challenge=$(awscli create-challenge --connector-arn "$arn" --query Challenge.Arn --output text)
password=$(awscli get-challenge-password --challenge-arn "$challenge" --query Password --output text)

check "GetCACaps" 200 "$(curl -s -o "$work/caps" -w '%{http_code}' "$endpoint?operation=GetCACaps")"
check "caps advertise POST" 1 "$(grep -c '^POSTPKIOperation$' "$work/caps")"
curl -sf "$endpoint?operation=GetCACert" -o "$work/ca.der"
openssl x509 -inform der -in "$work/ca.der" -out "$work/ca.pem"

# Enrollment with the challenge from CreateChallenge.
check "enroll exit code" 0 "$(enroll "$work/d1" -challenge "$password" -cn device-1 -organization Example)"
check "verifies against the local CA" "$work/d1/cert.pem: OK" "$(openssl verify -CAfile "$work/ca.pem" "$work/d1/cert.pem" 2>&1)"
check "subject" "subject=C = US, O = Example, OU = MDM, CN = device-1" "$(openssl x509 -in "$work/d1/cert.pem" -noout -subject)"
check "client auth" 1 "$(openssl x509 -in "$work/d1/cert.pem" -noout -ext extendedKeyUsage | grep -c 'TLS Web Client Authentication')"
serial1=$(openssl x509 -in "$work/d1/cert.pem" -noout -serial)

# A second device gets another serial number.
check "second device" 0 "$(enroll "$work/d2" -challenge "$password" -cn device-2)"
serial2=$(openssl x509 -in "$work/d2/cert.pem" -noout -serial)
[ "$serial1" != "$serial2" ] && check "unique serials" yes yes || check "unique serials" "not $serial1" "$serial2"

# Renewal: the device signs with its current certificate, no challenge.
cp "$work/d1/cert.pem" "$work/d1/old.pem"
rm -f "$work/d1/csr.pem"
check "renewal exit code" 0 "$(enroll "$work/d1" -cn device-1 -organization Example)"
check "renewed certificate verifies" "$work/d1/cert.pem: OK" "$(openssl verify -CAfile "$work/ca.pem" "$work/d1/cert.pem" 2>&1)"
[ "$(openssl x509 -in "$work/d1/cert.pem" -noout -serial)" != "$serial1" ] && check "renewal is a new certificate" yes yes || check "renewal is a new certificate" new same

# Refusals: a wrong challenge, no challenge, a deleted challenge.
check "wrong challenge refused" 1 "$(enroll "$work/d3" -challenge wrong-password -cn device-3)"
check "wrong challenge: no certificate" no "$([ -e "$work/d3/cert.pem" ] && echo yes || echo no)"
check "wrong challenge: badRequest" 1 "$(grep -c 'failInfo: badRequest' "$work/d3/out")"
check "no challenge refused" 1 "$(enroll "$work/d4" -cn device-4)"
awscli delete-challenge --challenge-arn "$challenge"
check "deleted challenge refused" 1 "$(enroll "$work/d5" -challenge "$password" -cn device-5)"
check "deleted challenge: no certificate" no "$([ -e "$work/d5/cert.pem" ] && echo yes || echo no)"

# A connector that is not ACTIVE (here FAILED: its CA was not found) does
# not issue.
failed_arn=$(awscli create-connector --certificate-authority-arn "$failing_ca" --query ConnectorArn --output text)
sleep 0.3
check "failed connector" FAILED "$(awscli get-connector --connector-arn "$failed_arn" --query Connector.Status --output text)"
endpoint=$(awscli get-connector --connector-arn "$failed_arn" --query Connector.Endpoint --output text)
check "failed connector refuses" 1 "$(enroll "$work/d6" -challenge "$password" -cn device-6)"
check "failed connector: no certificate" no "$([ -e "$work/d6/cert.pem" ] && echo yes || echo no)"

check "refusals are logged with their reason" 2 "$(grep -c 'not a current challenge of this connector' "$log")"
check "password not logged" 0 "$(grep -c "$password" "$log" || true)"

echo "scep: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
