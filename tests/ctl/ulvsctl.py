#!/usr/bin/env python3
"""ulvsctl.py — a tiny test client for ulvsd's control socket (one JSON line each way).

    ulvsctl.py SOCKET '{"version":1,"op":"get_services"}' ...   # prints one reply line each
    echo '{"version":1,"op":"flush"}' | ulvsctl.py SOCKET          # requests from stdin

Exit status: 0 when every reply has error 0, 1 when one has not, 3 when the socket cannot
be reached (the reason on stderr).  Used by tests/ctl/*.sh so they do not depend on ulvsadm.
"""
import json
import socket
import sys


def main():
    path = sys.argv[1]
    requests = sys.argv[2:] or [l for l in sys.stdin.read().splitlines() if l.strip()]
    try:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(path)
    except OSError as e:
        print(f"ulvsctl: cannot connect to {path}: {e.strerror}", file=sys.stderr)
        return 3
    f = s.makefile("rw")
    status = 0
    for req in requests:
        f.write(req.strip() + "\n")
        f.flush()
        line = f.readline()
        if not line:
            print("ulvsctl: ulvsd closed the connection", file=sys.stderr)
            return 3
        print(line, end="")
        if json.loads(line).get("error", 0) != 0:
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
