#!/usr/bin/env python3
"""Print the predictions streamlearn commits to its `predictions` topic, one JSON record a line.

The trainer writes each prediction in the same Kafka transaction as the learning step it comes from, so the consumer
reads with isolation.level=read_committed: a prediction of a step that was aborted (a crash, a fenced instance) is
never seen. Served predictions (logged by the prediction servers) carry "source": "serving".

Needs confluent-kafka (Debian: apt-get install python3-confluent-kafka, for /usr/bin/python3; or pip install
confluent-kafka). Example: the first 10 predictions, then exit:

    python3 examples/python/consume_predictions.py --bootstrap-servers localhost:9092 --max 10
"""
import argparse
import json
import sys
import time

from confluent_kafka import Consumer, KafkaError


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap-servers", default="localhost:9092")
    parser.add_argument("--topic", default="predictions", help="the predictions topic (default: predictions)")
    parser.add_argument("--group", default="streamlearn-example",
                        help="the consumer group; a new group starts at the oldest record")
    parser.add_argument("--max", type=int, help="exit after printing this many predictions (default: run until ^C)")
    parser.add_argument("--timeout", type=float,
                        help="with --max: give up (exit 1) after this many seconds without enough predictions")
    parser.add_argument("-X", dest="config", action="append", default=[], metavar="KEY=VALUE",
                        help="a consumer setting (librdkafka's names), e.g. -X security.protocol=SASL_SSL")
    return parser.parse_args()


def main():
    args = parse_args()
    config = {"bootstrap.servers": args.bootstrap_servers, "group.id": args.group,
              "isolation.level": "read_committed", "auto.offset.reset": "earliest"}
    config.update(setting.split("=", 1) for setting in args.config)
    consumer = Consumer(config)
    consumer.subscribe([args.topic])
    deadline = time.monotonic() + args.timeout if args.timeout else None
    printed = 0
    try:
        while args.max is None or printed < args.max:
            if deadline is not None and time.monotonic() > deadline:
                print(f"only {printed} of {args.max} predictions within {args.timeout} s", file=sys.stderr)
                return 1
            message = consumer.poll(1.0)
            if message is None:
                continue
            if message.error():
                if message.error().code() == KafkaError._PARTITION_EOF:
                    continue
                print(f"consumer error: {message.error()}", file=sys.stderr)
                return 1
            prediction = json.loads(message.value())
            print(json.dumps(prediction), flush=True)
            printed += 1
    except KeyboardInterrupt:
        pass
    finally:
        consumer.close()  # commits the offsets read, so the group goes on from here next time
    return 0


if __name__ == "__main__":
    sys.exit(main())
