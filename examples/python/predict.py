#!/usr/bin/env python3
"""Ask a streamlearn prediction server for one prediction over /v1 and over the Open Inference Protocol (/v2).

Standard library only. The /v2 request is built from the model's metadata (GET /v2/models/{name}): one tensor per
feature, named and typed as the server lists them. Each answer is printed as the server sent it, then read.

    python3 examples/python/predict.py --url http://localhost:8080 --model electricity
    python3 examples/python/predict.py --model churn --features '{"tenure": 3, "plan": "basic"}'
"""
import argparse
import json
import sys
import urllib.error
import urllib.request

# One event's features for the demo's model (bin/streamlearn demo serves "electricity" on :8080).
ELECTRICITY = {"date": 0.9, "day": "3", "period": 0.5, "nswprice": 0.06, "nswdemand": 0.4,
               "vicprice": 0.003, "vicdemand": 0.4, "transfer": 0.4}


def call(url, body=None):
    """The JSON answer of a GET (no body) or a JSON POST; an error answer raises, printing the server's reason."""
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        # /v1 answers {"error": code, "detail": ...}; /v2 the protocol's {"error": message}
        sys.exit(f"{url}: HTTP {error.code} {error.read().decode('utf-8', 'replace')}")
    except urllib.error.URLError as error:
        sys.exit(f"{url}: {error.reason}")


def predict_v1(base, model, features):
    answer = call(f"{base}/v1/models/{model}/predict", {"id": "example-1", "features": features})
    print("v1", json.dumps(answer))
    scores = answer.get("scores")  # classification only
    print(f"v1 prediction {answer['prediction']!r} by version {answer['version']}"
          + (f", scores {scores}" if scores else ""))


def tensor(spec, value):
    """One feature as a one-element tensor of the datatype the model's metadata gives it."""
    return {"name": spec["name"], "datatype": spec["datatype"], "shape": [1], "data": [value]}


def infer_v2(base, model, features):
    metadata = call(f"{base}/v2/models/{model}")
    inputs = [tensor(spec, features[spec["name"]]) for spec in metadata["inputs"] if spec["name"] in features]
    answer = call(f"{base}/v2/models/{model}/infer", {"id": "example-2", "inputs": inputs})
    print("v2", json.dumps(answer))
    outputs = {output["name"]: output for output in answer["outputs"]}
    scores = outputs.get("scores")  # shape [N, classes], in the order of the schema's target values
    print(f"v2 prediction {outputs['predict']['data'][0]!r} by version {answer['model_version']}"
          + (f", scores {scores['data']}" if scores else ""))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://localhost:8080", help="the prediction server (default: %(default)s)")
    parser.add_argument("--model", default="electricity")
    parser.add_argument("--features", type=json.loads, default=ELECTRICITY,
                        help="the features as a JSON object (default: one Electricity event)")
    args = parser.parse_args()
    base = args.url.rstrip("/")
    predict_v1(base, args.model, args.features)
    infer_v2(base, args.model, args.features)
    return 0


if __name__ == "__main__":
    sys.exit(main())
