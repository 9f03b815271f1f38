"""Clients that misbehave on an Andon service socket, one per case, each reporting what it saw as one JSON line.

    python3 bad_client.py SOCKET CASE

CASE: malformed, oversize, wrong-version, silent, flood, stalled, ok-console. Standard library only.
"""
import json
import socket
import struct
import sys
import time


def frame(message):
    body = json.dumps(message).encode()
    return struct.pack(">I", len(body)) + body


def read_frame(sock, timeout=5.0):
    sock.settimeout(timeout)
    header = b""
    while len(header) < 4:
        chunk = sock.recv(4 - len(header))
        if not chunk:
            return None
        header += chunk
    (length,) = struct.unpack(">I", header)
    body = b""
    while len(body) < length:
        chunk = sock.recv(min(65536, length - len(body)))
        if not chunk:
            return None
        body += chunk
    return json.loads(body)


def hello(version=1, client="console"):
    return {"hello": {"_0": {"protocolVersion": version, "client": client, "program": "bad_client.py", "session": "bad-%d" % time.time_ns(),
                             "isReadOnly": False, "snapshotsPerSecond": 4}}}


def connect(path):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(path)
    return sock


def closed_by_peer(sock, wait=8.0):
    """True when the runtime closes the connection within `wait` seconds (reading whatever comes first)."""
    deadline = time.time() + wait
    sock.settimeout(0.5)
    while time.time() < deadline:
        try:
            if not sock.recv(65536):
                return True
        except socket.timeout:
            continue
        except (ConnectionResetError, BrokenPipeError):
            return True
    return False


def main():
    path, case = sys.argv[1], sys.argv[2]
    sock = connect(path)
    result = {"case": case}
    if case == "malformed":
        sock.sendall(frame(hello()))
        result["welcome"] = "welcome" in (read_frame(sock) or {})
        sock.sendall(struct.pack(">I", 9) + b"not json!")
        result["closed"] = closed_by_peer(sock)
    elif case == "oversize":
        sock.sendall(struct.pack(">I", 512 * 1024 * 1024) + b"x" * 1024)
        result["closed"] = closed_by_peer(sock)
    elif case == "wrong-version":
        sock.sendall(frame(hello(version=99)))
        answer = read_frame(sock) or {}
        result["refused"] = answer.get("refused", {}).get("reason", "")
        result["closed"] = closed_by_peer(sock)
    elif case == "silent":
        result["closed"] = closed_by_peer(sock, wait=12.0)
    elif case == "flood":
        sock.sendall(frame(hello()))
        read_frame(sock)
        result["dropped"] = False
        for i in range(300):
            try:
                sock.sendall(frame({"command": {"requestID": i + 1, "command": {"setPaused": {"_0": False}}}}))
            except (ConnectionResetError, BrokenPipeError):
                # Dropped before the flood was even sent whole: what the runtime does to a flood.
                result["dropped"] = True
                break
        throttled = 0
        results = 0
        deadline = time.time() + 10
        while not result["dropped"] and time.time() < deadline and results < 300:
            try:
                message = read_frame(sock, timeout=2)
            except socket.timeout:
                break
            except (ConnectionResetError, BrokenPipeError):
                result["dropped"] = True
                break
            if message is None:
                result["dropped"] = True
                break
            if "result" in message:
                results += 1
                if "throttled" in json.dumps(message):
                    throttled += 1
        result["results"] = results
        result["throttled"] = throttled
    elif case == "stalled":
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.sendall(frame(hello()))
        time.sleep(15)  # never reads: the runtime must not care
        result["done"] = True
    elif case == "ok-console":
        sock.sendall(frame(hello()))
        welcome = read_frame(sock) or {}
        times = []
        deadline = time.time() + 4
        while time.time() < deadline:
            message = read_frame(sock) or {}
            if "snapshot" in message:
                times.append(message["snapshot"]["_1"]["time"])
            if "patch" in message:
                times.append(-1)
        result["welcome"] = "welcome" in welcome
        result["snapshots"] = len(times)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
