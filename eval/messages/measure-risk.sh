#!/usr/bin/env bash
# Measures imminent-risk recall/precision of `parley classify` on a labeled message file ({"id","text","risk"}).
# Usage: eval/messages/measure-risk.sh [file]   (build first: dotnet build src/Parley.Cli -c Release)
set -euo pipefail
cd "$(dirname "$0")/../.."
IN="${1:-eval/messages/heldout-crisis-messages.jsonl}"
OUT="$(mktemp)"
dotnet src/Parley.Cli/bin/Release/net10.0/parley.dll classify --input "$IN" --output "$OUT" 2>/dev/null
jq -s -r --slurpfile gold "$IN" '
  ($gold | map({(.id): .risk}) | add) as $g
  | map(. + {gold: $g[.id]})
  | {tp: map(select(.gold and .imminentRisk)) | length,
     fn: map(select(.gold and (.imminentRisk | not))) | length,
     fp: map(select((.gold | not) and .imminentRisk)) | length,
     tn: map(select((.gold | not) and (.imminentRisk | not))) | length,
     fn_ids: map(select(.gold and (.imminentRisk | not)) | .id),
     fp_ids: map(select((.gold | not) and .imminentRisk) | .id),
     harassment_on_risk_msgs: map(select(.gold and .categories.harassment >= 0.5 and .target == "nothing")) | map(.id)}
  | . + {recall: (if .tp + .fn > 0 then (.tp / (.tp + .fn) * 1000 | round / 1000) else null end),
         precision: (if .tp + .fp > 0 then (.tp / (.tp + .fp) * 1000 | round / 1000) else null end)}' "$OUT"
rm -f "$OUT"
