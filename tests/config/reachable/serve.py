#!/usr/bin/python3
"""serve.py — every real service the keepalived samples' health checks talk to, in one process.

Run inside the test namespace by hosts.sh (stdlib only):

    serve.py --ready FILE [--cert PEM --key PEM] KIND:ADDR:PORT...

KIND is one of
    tcp    accept and close at once (TCP_CHECK only connects)
    http   HTTP/1.0 200 with BODY for any path, then close
    https  the same over TLS (a self-signed certificate: the checkers do not verify it)
    smtp   banner 220, 250 to HELO/EHLO (and anything else), 221 to QUIT
    udp    echo every datagram back (UDP_CHECK)
ADDR is an IPv4 address or [IPv6].  Every socket is bound before FILE is written, so once
FILE exists every service answers; a bind error exits 1 before that.
"""
import argparse
import os
import socket
import socketserver
import ssl
import sys
import threading

# A fixed body: its MD5 matches none of the samples' `digest`s, so those URLs fail in both
# keepalived and ulvsd, the same way (digest mismatch after a 200).
BODY = b"ulvs reachable test host\n"
TIMEOUT = 5  # a checker that stalls is dropped after this, so no thread lingers


def http_answer(sock):
    """Read one request head and answer 200 + BODY; a non-HTTP first byte gets 400 at once
    (an SSL_GET pointed at a plain HTTP port must fail fast, not by timeout)."""
    data = b""
    while b"\r\n\r\n" not in data and b"\n\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            return
        data += chunk
        if not data[:1].isalpha():
            sock.sendall(b"HTTP/1.0 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return
        if len(data) > 65536:
            return
    sock.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n"
                 b"Connection: close\r\n\r\n%s" % (len(BODY), BODY))


def smtp_session(sock):
    f = sock.makefile("rb")
    sock.sendall(b"220 rs.ulvs.test ESMTP ulvs-test\r\n")
    for line in f:
        verb = line.strip().split(b" ", 1)[0].upper()
        if verb == b"QUIT":
            sock.sendall(b"221 rs.ulvs.test closing\r\n")
            return
        if verb in (b"HELO", b"EHLO"):
            sock.sendall(b"250 rs.ulvs.test\r\n")
        else:
            sock.sendall(b"250 OK\r\n")


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        sock = self.request
        sock.settimeout(TIMEOUT)
        kind = self.server.kind
        try:
            if kind == "tcp":
                return
            if kind == "https":
                sock = self.server.tls.wrap_socket(sock, server_side=True)
            if kind in ("http", "https"):
                http_answer(sock)
            elif kind == "smtp":
                smtp_session(sock)
        except (OSError, ssl.SSLError):
            pass  # a checker hanging up or failing its handshake is its business
        finally:
            if sock is not self.request:
                try:
                    sock.close()
                except OSError:
                    pass


class UdpEcho(socketserver.BaseRequestHandler):
    def handle(self):
        data, sock = self.request
        sock.sendto(data, self.client_address)


def server_class(family, udp):
    base = socketserver.ThreadingUDPServer if udp else socketserver.ThreadingTCPServer

    class Server(base):
        address_family = family
        allow_reuse_address = True
        daemon_threads = True
        request_queue_size = 64
    return Server


def parse(spec):
    kind, rest = spec.split(":", 1)
    if rest.startswith("["):
        addr, port = rest[1:].split("]:")
        return kind, socket.AF_INET6, addr, int(port)
    addr, port = rest.rsplit(":", 1)
    return kind, socket.AF_INET, addr, int(port)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ready", required=True)
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("services", nargs="+")
    a = ap.parse_args()
    tls = None
    if a.cert:
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(a.cert, a.key)
    servers = []
    for spec in a.services:
        kind, family, addr, port = parse(spec)
        if kind not in ("tcp", "http", "https", "smtp", "udp"):
            sys.exit(f"serve.py: unknown kind in {spec}")
        if kind == "https" and not tls:
            sys.exit("serve.py: https needs --cert and --key")
        try:
            srv = server_class(family, kind == "udp")((addr, port), UdpEcho if kind == "udp" else Handler)
        except OSError as e:
            sys.exit(f"serve.py: {spec}: {e}")
        srv.kind, srv.tls = kind, tls
        servers.append(srv)
    for srv in servers:
        threading.Thread(target=srv.serve_forever, daemon=True).start()
    with open(a.ready + ".tmp", "w") as f:
        f.write(f"{os.getpid()}\n")
    os.rename(a.ready + ".tmp", a.ready)
    threading.Event().wait()


if __name__ == "__main__":
    main()
