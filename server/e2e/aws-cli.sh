#!/usr/bin/env bash
# End-to-end scenario with the real AWS CLI against the local server.
#   server/e2e/aws-cli.sh SERVER_BINARY
# Needs `aws` (awscli) on PATH. Starts the server on a free loopback port with
# a fresh data directory, runs the scenario, asserts outputs and exit codes,
# and stops the server.
set -euo pipefail

binary=${1:?usage: aws-cli.sh SERVER_BINARY}
work=$(mktemp -d)
log="$work/server.log"
"$binary" --listen 127.0.0.1:0 --data-dir "$work/data" --create-delay-ms 2000 >"$work/stdout" 2>"$log" &
pid=$!
cleanup() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

for _ in $(seq 1 100); do
  grep -q '^listening on ' "$work/stdout" && break
  sleep 0.1
done
endpoint=$(sed -n 's/^listening on //p' "$work/stdout")
[ -n "$endpoint" ] || { echo "server did not start"; cat "$log"; exit 1; }

export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
export AWS_PAGER="" AWS_MAX_ATTEMPTS=1
unset AWS_PROFILE AWS_SESSION_TOKEN
awscli() { aws pca-connector-scep --endpoint-url "$endpoint" "$@"; }

passed=0 failed=0
# A service error exits 255 with AWS CLI v1 and 254 with v2.
service_error() { case "$1" in 254|255) echo error ;; *) echo "exit $1" ;; esac; }
check() { # check NAME EXPECTED ACTUAL
  if [ "$2" == "$3" ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL $1: expected [$2], got [$3]"; fi
}

ca="arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/11111111-2222-3333-4444-555555555555"

# Lifecycle.
arn=$(awscli create-connector --certificate-authority-arn "$ca" --tags team=pki --query ConnectorArn --output text)
check "connector arn" "arn:aws:pca-connector-scep:us-east-1:000000000000:connector/" "${arn%????????-????-????-????-????????????}"
check "creating" "CREATING" "$(awscli get-connector --connector-arn "$arn" --query Connector.Status --output text)"
for _ in $(seq 1 100); do
  status=$(awscli get-connector --connector-arn "$arn" --query Connector.Status --output text)
  [ "$status" == "ACTIVE" ] && break
  sleep 0.1
done
check "active" "ACTIVE" "$status"
check "type" "GENERAL_PURPOSE" "$(awscli get-connector --connector-arn "$arn" --query Connector.Type --output text)"

challenge=$(awscli create-challenge --connector-arn "$arn" --query Challenge.Arn --output text)
check "challenge arn" "$arn/challenge/" "${challenge%????????-????-????-????-????????????}"
password=$(awscli get-challenge-password --challenge-arn "$challenge" --query Password --output text)
check "password is a uuid" 36 "${#password}"
check "metadata" "$arn" "$(awscli get-challenge-metadata --challenge-arn "$challenge" --query ChallengeMetadata.ConnectorArn --output text)"
check "list challenges" 1 "$(awscli list-challenge-metadata --connector-arn "$arn" --query 'length(Challenges)' --output text)"

awscli tag-resource --resource-arn "$arn" --tags '{"env": "prod", "cost center": "a&b"}'
check "tags" "a&b prod pki" "$(awscli list-tags-for-resource --resource-arn "$arn" --query 'Tags.["cost center", env, team]' --output text | tr '\t' ' ')"
awscli untag-resource --resource-arn "$arn" --tag-keys env "cost center"
check "untag" "pki" "$(awscli list-tags-for-resource --resource-arn "$arn" --query 'Tags.team' --output text)"
check "untagged" "None" "$(awscli list-tags-for-resource --resource-arn "$arn" --query 'Tags.env' --output text)"

# Pagination: 5 connectors in all, paged by the CLI and by hand.
for _ in 1 2 3 4; do awscli create-connector --certificate-authority-arn "$ca" --query ConnectorArn --output text >/dev/null; done
count() { python3 -c 'import json,sys; print(len(json.load(sys.stdin)["Connectors"]))'; }
check "all pages" 5 "$(awscli list-connectors --page-size 2 --output json | count)"
check "max-results is one page" 2 "$(awscli list-connectors --max-results 2 --query 'length(Connectors)' --output text)"
page=$(awscli list-connectors --max-items 2 --output json)
check "max-items" 2 "$(echo "$page" | count)"
token=$(echo "$page" | python3 -c 'import json,sys; print(json.load(sys.stdin)["NextToken"])')
check "starting-token" 3 "$(awscli list-connectors --max-items 3 --starting-token "$token" --query 'length(Connectors)' --output text)"
first=$(awscli list-connectors --max-results 1 --no-paginate --query NextToken --output text)
check "raw page" 1 "$(awscli list-connectors --max-results 1 --no-paginate --query 'length(Connectors)' --output text)"
check "second page" 1 "$(awscli list-connectors --max-results 1 --next-token "$first" --no-paginate --query 'length(Connectors)' --output text)"

# Bad input: the CLI exits non-zero and names the error.
set +e
out=$(awscli get-connector --connector-arn "arn:aws:pca-connector-scep:us-east-1:000000000000:connector/nope" 2>&1); code=$?
check "invalid arn exit code" error "$(service_error $code)"
check "invalid arn error" 1 "$(echo "$out" | grep -c 'ValidationException')"
out=$(awscli get-connector --connector-arn "${arn%????????????}000000000000" 2>&1); code=$?
check "missing connector exit code" error "$(service_error $code)"
check "missing connector error" 1 "$(echo "$out" | grep -c 'ResourceNotFoundException')"
out=$(awscli list-connectors --max-results 1001 2>&1); code=$?
check "max-results bound" error "$(service_error $code)"
out=$(awscli list-connectors --next-token "AAAA" --no-paginate 2>&1); code=$?
check "forged token" 1 "$(echo "$out" | grep -c 'ValidationException')"
out=$(AWS_SECRET_ACCESS_KEY=wrong aws pca-connector-scep --endpoint-url "$endpoint" list-connectors 2>&1); code=$?
check "wrong secret" 1 "$(echo "$out" | grep -c 'InvalidSignatureException')"
set -e

# Clean up through the API.
awscli delete-connector --connector-arn "$arn"
set +e
out=$(awscli get-challenge-metadata --challenge-arn "$challenge" 2>&1); code=$?
set -e
check "challenge deleted with its connector" 1 "$(echo "$out" | grep -c 'ResourceNotFoundException')"
check "password not logged" 0 "$(grep -c "$password" "$log" || true)"

echo "aws-cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
