"""A real SMTP server for Sammen's tests, on aiosmtpd (PyPI).

    python3 tests/smtp/smtp_server.py --port 2525 --folder /tmp/mail

It speaks SMTP on 127.0.0.1:PORT, stores every message it accepts as one
JSON file in FOLDER (the envelope, the headers, the decoded subject and
plain text, the raw message), and refuses for good (550) any recipient
whose address starts with "refused". It prints "ready" once it listens and
stops on SIGTERM or SIGINT.
"""

import argparse
import email
import email.policy
import json
import os
import signal
import threading
import uuid

from aiosmtpd.controller import Controller


class Handler:
    def __init__(self, folder):
        self.folder = folder
        self.received = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().startswith("refused"):
            return "550 5.1.1 <%s>: no such mailbox here" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "headers": {name: str(value) for name, value in message.items()},
            "subject": str(message["subject"]),
            "body": body.get_content() if body is not None else "",
            "raw": raw.decode("utf-8", "replace"),
            # The order messages arrived in (one event loop: no two alike).
            "received": self.received,
        }
        self.received += 1
        name = "%s.json" % uuid.uuid4()
        partial = os.path.join(self.folder, name + ".part")
        with open(partial, "w", encoding="utf-8") as out:
            json.dump(record, out, ensure_ascii=False)
        # A reader sees the whole message or none.
        os.rename(partial, os.path.join(self.folder, name))
        return "250 2.0.0 Message accepted"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--folder", required=True)
    args = parser.parse_args()
    os.makedirs(args.folder, exist_ok=True)
    controller = Controller(Handler(args.folder), hostname="127.0.0.1", port=args.port)
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print("ready", flush=True)
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
