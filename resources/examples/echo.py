#!/usr/bin/env python3
"""A Maelstrom echo node: one JSON message per line on stdin, replies on stdout.

Answers `init` with `init_ok` and `echo` with `echo_ok` carrying the same
`echo` value. Anything else gets a Maelstrom error 10 (not supported).
Logs go to stderr, since stdout carries only protocol messages.
"""
import json
import sys

NOT_SUPPORTED = 10

node_id = None
next_msg_id = 0


def log(text):
    print(text, file=sys.stderr, flush=True)


def reply(request, body):
    global next_msg_id
    next_msg_id += 1
    body = dict(body, msg_id=next_msg_id)
    if "msg_id" in request["body"]:
        body["in_reply_to"] = request["body"]["msg_id"]
    message = {"src": node_id or request.get("dest"), "dest": request["src"], "body": body}
    # One message per line, flushed at once: the switch reads line by line.
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def handle(request):
    global node_id
    body = request["body"]
    kind = body.get("type")
    if kind == "init":
        node_id = body["node_id"]
        log(f"{node_id} initialized among {body.get('node_ids')}")
        reply(request, {"type": "init_ok"})
    elif kind == "echo":
        reply(request, {"type": "echo_ok", "echo": body.get("echo")})
    else:
        reply(request, {"type": "error", "code": NOT_SUPPORTED, "text": f"unsupported message type {kind!r}"})


def main():
    # readline returns each line as soon as it arrives, never waiting for more input.
    while True:
        line = sys.stdin.readline()
        if not line:
            break  # stdin closed: the switch is shutting the node down
        line = line.strip()
        if not line:
            continue
        try:
            request = json.loads(line)
        except json.JSONDecodeError as error:
            log(f"ignoring a line that is not JSON: {error}")
            continue
        handle(request)


if __name__ == "__main__":
    main()
