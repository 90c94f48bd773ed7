"""A local process posing as the bridge: connects to an OpenFlow controller, says hello
(OpenFlow 1.3), answers the features request with the datapath id it claims and echo requests,
and reports on stdout whether the controller closed the connection before the deadline.

usage: posing-switch.py HOST PORT DATAPATH_ID_HEX DEADLINE_SECONDS
prints: "local PORT" once connected, then "closed after S s; received TYPES" or
        "open after S s; received TYPES". Standard library only.
"""
import socket
import struct
import sys
import time

OF13, HELLO, ECHO_REQUEST, ECHO_REPLY, FEATURES_REQUEST, FEATURES_REPLY = 4, 0, 2, 3, 5, 6


def message(kind, xid, body=b''):
    return struct.pack('!BBHI', OF13, kind, 8 + len(body), xid) + body


def read_exact(s, n, until):
    data = b''
    while len(data) < n:
        left = until - time.monotonic()
        if left <= 0:
            raise TimeoutError()
        s.settimeout(left)
        chunk = s.recv(n - len(data))
        if not chunk:
            raise EOFError()
        data += chunk
    return data


def main():
    host, port, dpid, deadline = sys.argv[1], int(sys.argv[2]), int(sys.argv[3], 16), float(sys.argv[4])
    start = time.monotonic()
    until = start + deadline
    received = []
    s = socket.create_connection((host, port), timeout=deadline)
    print('local %d' % s.getsockname()[1], flush=True)
    s.sendall(message(HELLO, 1))
    outcome = 'open'
    try:
        while True:
            kind_head = read_exact(s, 8, until)
            _, kind, length, xid = struct.unpack('!BBHI', kind_head)
            body = read_exact(s, length - 8, until) if length > 8 else b''
            received.append(kind)
            if kind == FEATURES_REQUEST:
                # datapath id, n_buffers, n_tables, auxiliary id, 2 pad, capabilities, reserved
                s.sendall(message(FEATURES_REPLY, xid, struct.pack('!QIBB2xII', dpid, 0, 254, 0, 0x4f, 0)))
            elif kind == ECHO_REQUEST:
                s.sendall(message(ECHO_REPLY, xid, body))
    except TimeoutError:
        outcome = 'open'
    except (EOFError, ConnectionResetError, BrokenPipeError):
        outcome = 'closed'
    finally:
        s.close()
    print('%s after %.1f s; received %s' % (outcome, time.monotonic() - start, received), flush=True)


if __name__ == '__main__':
    main()
