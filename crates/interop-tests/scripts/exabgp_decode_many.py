"""Runs ExaBGP's own `exabgp decode` on many messages in one Python process.

Used by Herald's differential decoding test (crates/interop-tests/src/differential.rs) with
the Python of ExaBGP's installation. Reads JSON lines `{"id": ID, "args": [ARG, ...]}` on
stdin, where ARGS are `exabgp decode` arguments (options, then the hex payload), and
writes for each a JSON line `{"id": ID, "output": TEXT}`: what `exabgp decode ARGS` prints
(or `ERROR ...` when it raised).
"""
import argparse
import contextlib
import io
import json
import sys

from exabgp.application import decode


def main():
    parser = argparse.ArgumentParser()
    decode.setargs(parser)
    for line in sys.stdin:
        request = json.loads(line)
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out):
                decode.cmdline(parser.parse_args(request['args']))
            text = out.getvalue()
        except BaseException as exc:  # SystemExit included: ExaBGP exits on bad input
            text = 'ERROR %s %s' % (type(exc).__name__, exc)
        sys.stdout.write(json.dumps({'id': request['id'], 'output': text}) + '\n')
        sys.stdout.flush()


if __name__ == '__main__':
    main()
