#!/usr/bin/env bash
# The shell baseline: the gate's job done by hand with curl and jq, as a plain `run:` step would
# (the bench runs it as the runner runs a bash step: bash --noprofile --norc -eo pipefail).
# For each agent, one after the other: fetch the first executions page with the headers, pick the
# latest run by its `created` instant, and pass it when it finished and
# completed * 100 >= threshold * total (integer arithmetic). Writes passed=true|false to
# $GITHUB_OUTPUT and exits 1 when an agent does not pass.
#
# Environment: UNPOD_BASE_URL, UNPOD_TOKEN, UNPOD_ORG, AGENTS (one per line or comma-separated),
# THRESHOLD (an integer percentage), GITHUB_OUTPUT.
set -euo pipefail

# created → epoch seconds: an offset (Z, +05:30, -0800) or none (UTC), with or without fractions.
readonly LATEST='
def instant:
  capture("^(?<d>[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2})(?<f>[.][0-9]+)?(?<z>Z|[+-][0-9]{2}:?[0-9]{2})?$")
  | ((.d + "Z") | fromdateiso8601)
    + ((.f // "0") | tonumber)
    - (if .z == null or .z == "Z" then 0
       else (((.z[1:3] | tonumber) * 3600 + (.z[-2:] | tonumber) * 60) * (if .z[0:1] == "-" then -1 else 1 end))
       end);
if (.data | type) != "array" or (.data | length) == 0 then "none none 0 0"
else .data | max_by(.created | instant) | "\(.run_id) \(.status) \(.completed_tasks) \(.total_tasks)"
end'

passed=true
reasons=()
IFS=$'\n,' read -r -d '' -a agents < <(printf '%s\0' "$AGENTS") || true
for agent in "${agents[@]}"; do
  agent="${agent#"${agent%%[![:space:]]*}"}"
  agent="${agent%"${agent##*[![:space:]]}"}"
  [ -n "$agent" ] || continue
  body="$(curl -fsS --max-time 30 \
    -H "Authorization: Token ${UNPOD_TOKEN}" \
    -H "Org-Handle: ${UNPOD_ORG}" \
    -H 'Accept: application/json' \
    "${UNPOD_BASE_URL}/api/v2/platform/agents/${agent}/executions/?page=1&page_size=50")"
  read -r run_id status completed total <<<"$(jq -r "$LATEST" <<<"$body")"
  if [ "$status" != completed ] && [ "$status" != partially_completed ]; then
    passed=false
    reasons+=("$agent: run $run_id is $status")
  elif ! [[ "$completed" =~ ^[0-9]+$ && "$total" =~ ^[0-9]+$ ]] || [ "$total" -eq 0 ]; then
    passed=false
    reasons+=("$agent: run $run_id has no usable counts")
  elif ((completed * 100 < THRESHOLD * total)); then
    passed=false
    reasons+=("$agent: run $run_id completed $completed of $total, below $THRESHOLD%")
  fi
done

echo "passed=$passed" >>"$GITHUB_OUTPUT"
if [ "$passed" != true ]; then
  printf '%s\n' "${reasons[@]}" >&2
  exit 1
fi
