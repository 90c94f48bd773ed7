#!/usr/bin/env python3
"""A server that tells each client the address it saw, and a client that tells where the answer
came from: what the Services checks of the lab compare (services-lab.sh).

  svc-probe.py serve NAME PORT SECONDS
      Listens on TCP and UDP PORT (all addresses) for SECONDS at most; answers every TCP line and
      every UDP datagram with "NAME PEER_IP:PEER_PORT" (the client as this server saw it).
  svc-probe.py ask tcp|udp IP PORT
      Sends one line to IP:PORT and prints "FROM NAME PEER" on one line: FROM is the address the
      answer came from (UDP: as received on an unconnected socket, so an answer from the wrong
      address shows; TCP: the connection's peer, which is IP:PORT whenever the handshake worked),
      then the server's answer. 2 s at most; exit 1 with a reason on stderr when nothing came.
"""
import socket
import sys
import threading
import time


def serve(name, port, seconds):
    deadline = time.monotonic() + seconds
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    tcp.bind(("0.0.0.0", port))
    tcp.listen(16)
    tcp.settimeout(0.5)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("0.0.0.0", port))
    udp.settimeout(0.5)

    def answer(peer):
        return ("%s %s:%d\n" % (name, peer[0], peer[1])).encode()

    def udp_loop():
        while time.monotonic() < deadline:
            try:
                _, peer = udp.recvfrom(2048)
            except socket.timeout:
                continue
            udp.sendto(answer(peer), peer)

    threading.Thread(target=udp_loop, daemon=True).start()
    print("ready", flush=True)
    while time.monotonic() < deadline:
        try:
            conn, peer = tcp.accept()
        except socket.timeout:
            continue
        with conn:
            conn.settimeout(2)
            try:
                conn.recv(2048)
                conn.sendall(answer(peer))
            except OSError:
                pass
    return 0


def ask(proto, ip, port):
    try:
        if proto == "tcp":
            with socket.create_connection((ip, port), timeout=2) as s:
                s.sendall(b"who\n")
                data = s.recv(2048)
                src = s.getpeername()
        else:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                s.settimeout(2)
                s.sendto(b"who\n", (ip, port))
                data, src = s.recvfrom(2048)
    except OSError as e:
        print("svc-probe: %s %s:%d: %s" % (proto, ip, port, e), file=sys.stderr)
        return 1
    if not data:
        print("svc-probe: %s %s:%d: closed without an answer" % (proto, ip, port), file=sys.stderr)
        return 1
    print("%s:%d %s" % (src[0], src[1], data.decode(errors="replace").strip()))
    return 0


def main(argv):
    if len(argv) == 5 and argv[1] == "serve":
        return serve(argv[2], int(argv[3]), float(argv[4]))
    if len(argv) == 5 and argv[1] == "ask" and argv[2] in ("tcp", "udp"):
        return ask(argv[2], argv[3], int(argv[4]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
