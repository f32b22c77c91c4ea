#!/usr/bin/env python3
"""An SMTP server for the alert mail tests: a real peer for libcurl.

Listens on 127.0.0.1 (port 0 by default: the kernel picks a free one) and
prints the port it got on the first line of standard output, so the test
waits for that line instead of sleeping. Each message it accepts is stored
as the raw bytes received (CRLF, dot-stuffing undone) in --dir, one file per
message and recipient, named after the recipient; the file `connections`
holds how many connections it has had.

  --refuse ADDR   answer RCPT TO:<ADDR> with 550 (repeatable)
  --drop ADDR     for a message to ADDR, answer DATA with 354, read the
                  first line of the message, then drop the connection:
                  the client never hears a 250 (repeatable)
"""
import argparse
import asyncio
import os
import sys

from aiosmtpd.smtp import SMTP


class Handler:
    def __init__(self, directory, refuse):
        self.directory = directory
        self.refuse = {a.lower() for a in refuse}
        self.count = 0
        self.connections = 0

    async def handle_RCPT(self, server, session, envelope, address, options):
        if address.lower() in self.refuse:
            return '550 5.1.1 <%s>: mailbox unavailable (sink told to refuse)' % address
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server, session, envelope):
        for rcpt in envelope.rcpt_tos:
            self.count += 1
            name = '%03d-%s.eml' % (self.count, rcpt.replace('/', '_'))
            tmp = os.path.join(self.directory, '.' + name)
            with open(tmp, 'wb') as f:
                f.write(envelope.original_content)
            # Renamed into place before the 250: once the client has its
            # answer the file is there whole.
            os.rename(tmp, os.path.join(self.directory, name))
        return '250 2.0.0 Ok: queued'


class DroppingSMTP(SMTP):
    def __init__(self, handler, drop, **kwargs):
        super().__init__(handler, **kwargs)
        self.handler = handler
        self.drop = {a.lower() for a in drop}

    def connection_made(self, transport):
        # Counted so a test can see the client keep its connection.
        self.handler.connections += 1
        with open(os.path.join(self.handler.directory, 'connections'), 'w') as f:
            f.write(str(self.handler.connections))
        super().connection_made(transport)

    async def smtp_DATA(self, arg):
        if any(r.lower() in self.drop for r in self.envelope.rcpt_tos):
            await self.push('354 End data with <CR><LF>.<CR><LF>')
            await self._reader.readuntil(b'\r\n')
            self.transport.abort()
            return
        await super().smtp_DATA(arg)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--dir', required=True)
    p.add_argument('--port', type=int, default=0)
    p.add_argument('--refuse', action='append', default=[])
    p.add_argument('--drop', action='append', default=[])
    args = p.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    handler = Handler(args.dir, args.refuse)
    loop = asyncio.new_event_loop()
    server = loop.run_until_complete(loop.create_server(
        lambda: DroppingSMTP(handler, args.drop, enable_SMTPUTF8=False,
                             decode_data=False, hostname='sink.test'),
        host='127.0.0.1', port=args.port))
    print(server.sockets[0].getsockname()[1], flush=True)
    try:
        loop.run_forever()
    except KeyboardInterrupt:
        pass


if __name__ == '__main__':
    sys.exit(main())
