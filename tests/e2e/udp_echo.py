#!/usr/bin/env python3
"""A DNS-like UDP echo for the e2e tests.

  udp_echo.py serve NAME PORT [ADDR]     answers every datagram with "NAME <sender ip>"
      (bound to ADDR, e.g. a DR/TUN VIP on lo, so answers leave from it; default: all)
  udp_echo.py ask HOST PORT N [--same-port]
      sends N datagrams (each from a new source port, or all from one) and prints one
      answer per line ("NAME <ip the server saw>"), or "TIMEOUT".
"""
import socket
import sys


def serve(name, port, addr=None):
    if addr and ":" not in addr:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((addr, port))
    else:
        s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)  # IPv4 too, as ::ffff:a.b.c.d
        s.bind((addr or "::", port))
    while True:
        data, peer = s.recvfrom(2048)
        ip = peer[0].removeprefix("::ffff:")
        s.sendto(f"{name} {ip}".encode(), peer)


def ask(host, port, n, same_port):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = None
    for i in range(n):
        if sock is None or not same_port:
            if sock:
                sock.close()
            sock = socket.socket(family, socket.SOCK_DGRAM)
            sock.settimeout(2)
        sock.sendto(f"q{i}".encode(), (host, port))
        try:
            print(sock.recv(2048).decode())
        except socket.timeout:
            print("TIMEOUT")


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(sys.argv[2], int(sys.argv[3]), sys.argv[4] if len(sys.argv) > 4 else None)
    else:
        ask(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), "--same-port" in sys.argv)
