#!/usr/bin/env python3
"""Produce the rows of a CSV file to streamlearn's `events` topic as JSON events keyed by the model name.

The feature schema (the file `streamlearn schema` writes) says how to read each column: numeric features become JSON
numbers, nominal and category features strings, timestamps epoch ms (or ISO-8601 strings, left as written); an empty
cell or `?` is a missing value (the feature is left out, and the schema's `missing` policy applies). The target column
becomes the event's `label`, or, with --labels-topic, a separate `{"id", "label"}` record on that topic, produced after
all the events (as ground truth known later would be).

Needs confluent-kafka (Debian: apt-get install python3-confluent-kafka, for /usr/bin/python3; or pip install
confluent-kafka). Example, against the CLI's defaults:

    python3 examples/python/produce_events.py --bootstrap-servers localhost:9092 \
        --schema churn.schema.json --data my.csv --limit 1000
"""
import argparse
import csv
import json
import sys
import time

from confluent_kafka import Producer

MISSING = ("", "?")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap-servers", default="localhost:9092")
    parser.add_argument("--topic", default="events", help="the events topic (default: events)")
    parser.add_argument("--labels-topic",
                        help="send each row's label as a separate record on this topic instead of inline")
    parser.add_argument("--schema", required=True, help="the model's feature schema (JSON)")
    parser.add_argument("--data", required=True, help="a CSV file with a header row naming the columns")
    parser.add_argument("--model", help="the model name (default: the schema's)")
    parser.add_argument("--limit", type=int, help="produce at most this many rows")
    parser.add_argument("--id-prefix", default="e-", help="event ids are this prefix and the row number")
    parser.add_argument("-X", dest="config", action="append", default=[], metavar="KEY=VALUE",
                        help="a producer setting (librdkafka's names), e.g. -X security.protocol=SASL_SSL")
    return parser.parse_args()


def reader_of(spec):
    """How a CSV cell becomes the JSON value of one feature (or of the target)."""
    kind = spec["type"]
    if kind == "numeric":
        return float
    if kind == "timestamp":
        return lambda cell: int(cell) if cell.lstrip("-").isdigit() else cell
    return str  # nominal and category values travel as strings


def event_of(row, number, model, features, target, args):
    event = {"id": f"{args.id_prefix}{number}", "ts": int(time.time() * 1000), "model": model, "features": {}}
    for name, read in features:
        cell = row[name].strip()
        if cell not in MISSING:
            event["features"][name] = read(cell)
    label = None
    name, read = target
    if name in row and row[name].strip() not in MISSING:
        label = read(row[name].strip())
    return event, label


def main():
    args = parse_args()
    with open(args.schema, encoding="utf-8") as file:
        schema = json.load(file)
    model = args.model or schema["model"]
    features = [(spec["name"], reader_of(spec)) for spec in schema["features"]]
    target = (schema["target"]["name"], reader_of(schema["target"]))

    config = {"bootstrap.servers": args.bootstrap_servers, "acks": "all", "enable.idempotence": True}
    config.update(setting.split("=", 1) for setting in args.config)
    producer = Producer(config)
    failures = []

    def delivered(error, message):
        if error is not None:
            failures.append(f"{message.topic()}: {error}")

    def produce(topic, record):
        while True:
            try:
                producer.produce(topic, key=model, value=json.dumps(record), on_delivery=delivered)
                break
            except BufferError:  # the local queue is full: let deliveries drain it
                producer.poll(0.1)
        producer.poll(0)

    labels = []
    produced = 0
    with open(args.data, newline="", encoding="utf-8") as file:
        rows = csv.DictReader(file)
        absent = [name for name, _ in features if name not in (rows.fieldnames or [])]
        if absent:
            print(f"{args.data} has no column for the features {absent}", file=sys.stderr)
            return 2
        for number, row in enumerate(rows):
            if args.limit is not None and number >= args.limit:
                break
            event, label = event_of(row, number, model, features, target, args)
            if label is not None and args.labels_topic:
                labels.append({"id": event["id"], "label": label})
            elif label is not None:
                event["label"] = label
            produce(args.topic, event)
            produced += 1
    for label in labels:
        produce(args.labels_topic, label)
    producer.flush()
    if failures:
        print(f"{len(failures)} records failed, the first: {failures[0]}", file=sys.stderr)
        return 1
    print(f"produced {produced} events to {args.topic}"
          + (f" and {len(labels)} labels to {args.labels_topic}" if args.labels_topic else "")
          + f", key {model}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
