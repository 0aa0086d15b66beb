#!/usr/bin/env bash
# One prediction over /v1 and one over the Open Inference Protocol (/v2), with curl; each answer on its own line.
# The bodies are one event of the demo's "electricity" model (bin/streamlearn demo serves it on :8080); for your model,
# put its features in FEATURES (v1) and one tensor per feature in INPUTS (v2, named and typed as
# GET /v2/models/{name} lists them).
#
#   examples/curl/predict.sh [BASE_URL] [MODEL]        (defaults: http://localhost:8080 electricity)
set -euo pipefail
base="${1:-http://localhost:8080}"
model="${2:-electricity}"
electricity_features='{"date": 0.9, "day": "3", "period": 0.5, "nswprice": 0.06, "nswdemand": 0.4,
  "vicprice": 0.003, "vicdemand": 0.4, "transfer": 0.4}'
electricity_inputs='[
  {"name": "date", "datatype": "FP64", "shape": [1], "data": [0.9]},
  {"name": "day", "datatype": "BYTES", "shape": [1], "data": ["3"]},
  {"name": "period", "datatype": "FP64", "shape": [1], "data": [0.5]},
  {"name": "nswprice", "datatype": "FP64", "shape": [1], "data": [0.06]},
  {"name": "nswdemand", "datatype": "FP64", "shape": [1], "data": [0.4]},
  {"name": "vicprice", "datatype": "FP64", "shape": [1], "data": [0.003]},
  {"name": "vicdemand", "datatype": "FP64", "shape": [1], "data": [0.4]},
  {"name": "transfer", "datatype": "FP64", "shape": [1], "data": [0.4]}]'
FEATURES="${FEATURES:-$electricity_features}"
INPUTS="${INPUTS:-$electricity_inputs}"

# --fail-with-body: an error answer ({"error": ...}) is printed and the script exits 22.
# → {"id":"example-1","model":"electricity","version":3,"prediction":"UP","scores":{"UP":0.71,"DOWN":0.29}}
curl -sS --fail-with-body -H 'Content-Type: application/json' "$base/v1/models/$model/predict" \
  -d "{\"id\": \"example-1\", \"features\": $FEATURES}"
echo
# → {"model_name":"electricity","model_version":"3","id":"example-2","outputs":[{"name":"predict",...,"data":["UP"]},
#    {"name":"scores","datatype":"FP64","shape":[1,2],"data":[0.71,0.29]}]}
curl -sS --fail-with-body -H 'Content-Type: application/json' "$base/v2/models/$model/infer" \
  -d "{\"id\": \"example-2\", \"inputs\": $INPUTS}"
echo
