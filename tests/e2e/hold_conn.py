#!/usr/bin/env python3
"""Opens N TCP connections to HOST:PORT, keeps them open for SECONDS, prints each local port.

  hold_conn.py HOST PORT N SECONDS
Used to look at live connections on the real server (e.g. ulvs-rs toa show) while they last.
"""
import socket
import sys
import time

host, port, n, secs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
family = socket.AF_INET6 if ":" in host else socket.AF_INET
socks = []
for _ in range(n):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.settimeout(5)
    s.connect((host, port))
    socks.append(s)
    print(s.getsockname()[1], flush=True)
time.sleep(secs)
