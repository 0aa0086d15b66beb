#!/usr/bin/env bash
# streamlearn's topics with kcat (Debian: apt-get install kcat):
#
#   examples/kcat.sh produce [FILE]   JSON events, one a line (FILE or stdin), to the events topic, keyed by MODEL
#   examples/kcat.sh consume [COUNT]  the committed predictions (read_committed), one JSON record a line; COUNT of
#                                     them (default: all there are now), then exit
#
# Settings by environment: BOOTSTRAP (localhost:9092), MODEL (electricity), EVENTS_TOPIC (events),
# PREDICTIONS_TOPIC (predictions). The two one-liners it runs:
#
#   kcat -b localhost:9092 -t events -P -k electricity -l events.jsonl
#   kcat -b localhost:9092 -t predictions -C -X isolation.level=read_committed -o beginning -e -q -f '%s\n'
set -euo pipefail
bootstrap="${BOOTSTRAP:-localhost:9092}"
model="${MODEL:-electricity}"

case "${1:-}" in
  produce)
    # The record key is the model name: all of a model's events land in one partition, in order (docs/topics.md).
    # -l: a file is read a line a message, as stdin is (without it kcat sends each file as one message).
    if [ -n "${2:-}" ]; then
      kcat -b "$bootstrap" -t "${EVENTS_TOPIC:-events}" -P -k "$model" -l "$2"
    else
      kcat -b "$bootstrap" -t "${EVENTS_TOPIC:-events}" -P -k "$model"
    fi
    ;;
  consume)
    # The trainer writes a prediction in the transaction of its learning step: read_committed sees only committed ones.
    kcat -b "$bootstrap" -t "${PREDICTIONS_TOPIC:-predictions}" -C -X isolation.level=read_committed \
      -o beginning -e -q -f '%s\n' ${2:+-c "$2"}
    ;;
  *)
    echo "usage: $0 produce [FILE] | consume [COUNT]" >&2
    exit 2
    ;;
esac
