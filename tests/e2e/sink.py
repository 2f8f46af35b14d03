#!/usr/bin/env python3
"""A TCP sink for upload tests.

  sink.py serve PORT              for each connection: read to EOF, answer "<bytes> <sha256>"
  sink.py send HOST PORT BYTES    send BYTES random bytes, half-close, print "ok <bytes>" if the
                                  server's count and digest match what was sent, else "bad ..."
"""
import hashlib
import os
import socket
import sys
import threading


def handle(conn):
    h, n = hashlib.sha256(), 0
    while True:
        b = conn.recv(65536)
        if not b:
            break
        h.update(b)
        n += len(b)
    conn.sendall(f"{n} {h.hexdigest()}".encode())
    conn.close()


def serve(port):
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("::", port))
    s.listen(128)
    while True:
        conn, _ = s.accept()
        threading.Thread(target=handle, args=(conn,), daemon=True).start()


def send(host, port, size):
    data = os.urandom(size)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.create_connection((host, port), timeout=30) if family == socket.AF_INET else \
        socket.create_connection((host, port, 0, 0), timeout=30)
    s.sendall(data)
    s.shutdown(socket.SHUT_WR)
    reply = b""
    while True:
        b = s.recv(4096)
        if not b:
            break
        reply += b
    want = f"{size} {hashlib.sha256(data).hexdigest()}"
    print(f"ok {size}" if reply.decode() == want else f"bad {reply.decode()!r} want {want!r}")


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(int(sys.argv[2]))
    else:
        send(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
