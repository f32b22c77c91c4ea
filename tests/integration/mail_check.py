#!/usr/bin/env python3
"""Reads the messages an smtp_sink.py stored, as a mail reader would.

For each *.eml file in DIR (in name order) checks what any mail reader
relies on -- CRLF line ends only, lines of at most 78 characters, ASCII
only on the wire, the MIME headers -- and prints, decoded with Python's
email package:

  === FILE
  From: ... / To: ... / Subject: (decoded) / Message-ID: ... / Date: ...

  (the decoded body)

Exits 1, naming the file and the rule, when a message breaks one.
"""
import email
import email.policy
import email.utils
import os
import sys


def check(path):
    raw = open(path, 'rb').read()
    problems = []
    if b'\n' in raw.replace(b'\r\n', b''):
        problems.append('a bare LF')
    if any(len(line) > 78 for line in raw.split(b'\r\n')):
        problems.append('a line longer than 78')
    if any(b > 0x7e or (b < 0x20 and b not in (0x0d, 0x0a)) for b in raw):
        problems.append('8-bit or control bytes on the wire')
    m = email.message_from_bytes(raw, policy=email.policy.default)
    for header in ('From', 'To', 'Subject', 'Date', 'Message-ID'):
        if m[header] is None:
            problems.append('no ' + header)
    if m['MIME-Version'] != '1.0':
        problems.append('MIME-Version is not 1.0')
    if m.get_content_type() != 'text/plain':
        problems.append('not text/plain')
    if (m.get_content_charset() or '').lower() != 'utf-8':
        problems.append('charset is not UTF-8')
    if m['Content-Transfer-Encoding'] not in ('quoted-printable', 'base64'):
        problems.append('transfer encoding neither quoted-printable nor base64')
    if m['Date'] is not None and email.utils.parsedate_to_datetime(
            str(m['Date'])) is None:
        problems.append('a Date that does not parse')
    if problems:
        print('%s: %s' % (path, ', '.join(problems)), file=sys.stderr)
        return None
    out = '=== %s\n' % os.path.basename(path)
    for header in ('From', 'To', 'Subject', 'Message-ID', 'Date'):
        out += '%s: %s\n' % (header, m[header])
    # Decoded text in Python keeps the wire's CRLF; the test looks for
    # lines.
    return out + '\n' + m.get_content().replace('\r\n', '\n')


def main():
    directory = sys.argv[1]
    failed = False
    for name in sorted(os.listdir(directory)):
        if not name.endswith('.eml') or name.startswith('.'):
            continue
        text = check(os.path.join(directory, name))
        if text is None:
            failed = True
        else:
            sys.stdout.write(text)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
