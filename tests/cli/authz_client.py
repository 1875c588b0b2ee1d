"""A client of `policy authz serve` for tests/cli/test_authz.sh and
bench/authz.sh: what curl cannot do alone (many requests at once, a body
cut short, requests in a loop with timing).

Usage: authz_client.py COMMAND SOCKET [ARGS]
  concurrent SOCKET N     N requests at once, half to allow and half to deny,
                          each naming its own container; checks every answer
                          is its own ("concurrent: N answered, M wrong")
  truncated SOCKET        a body shorter than its Content-Length, then the
                          client stops writing; prints what came back
  short-length SOCKET     a Content-Length shorter than the body
  load SOCKET N PID       N create requests, 8 at a time; prints the server's
                          VmRSS (KiB) after N/4 and after N requests
  bench SOCKET SECONDS C  create requests from C clients for SECONDS; prints
                          requests per second and latency percentiles
"""
import base64
import os
import http.client
import json
import socket
import sys
import threading
import time

# Wall-time bounds scale with POLICY_TEST_SLOW (5 under the sanitizers).
SLOW = int(os.environ.get("POLICY_TEST_SLOW", "1") or "1")


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout=30 * SLOW):
        super().__init__("localhost", timeout=timeout)
        self.unix_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.unix_path)


def authz(method, uri, body=None):
    req = {"User": "", "RequestMethod": method, "RequestUri": uri,
           "RequestHeaders": {"Content-Type": "application/json"}}
    if body is not None:
        req["RequestBody"] = base64.b64encode(json.dumps(body).encode()).decode()
    return json.dumps(req).encode()


def create(name, privileged):
    return authz("POST", "/v1.47/containers/create?name=%s" % name,
                 {"Image": "registry.example.com/app:1.0", "User": "1000",
                  "HostConfig": {"Privileged": privileged, "ReadonlyRootfs": True,
                                 "Memory": 268435456, "PidsLimit": 64}})


def post(conn, payload, endpoint="/AuthZPlugin.AuthZReq"):
    conn.request("POST", endpoint, body=payload,
                 headers={"Content-Type": "application/json",
                          "Accept": "application/vnd.docker.plugins.v1+json"})
    r = conn.getresponse()
    return r.status, json.loads(r.read())


def concurrent(path, n):
    results = [None] * n
    start = threading.Barrier(n)

    def one(i):
        conn = UnixHTTPConnection(path)
        try:
            start.wait()
            name = "c%04d" % i
            status, answer = post(conn, create(name, privileged=(i % 2 == 1)))
            results[i] = (status, answer, name)
        except Exception as e:  # noqa: BLE001 - reported as a wrong answer
            results[i] = (0, {"error": str(e)}, "c%04d" % i)
        finally:
            conn.close()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wrong = []
    for i, (status, answer, name) in enumerate(results):
        if i % 2 == 0:
            good = status == 200 and answer.get("Allow") is True
        else:
            msg = answer.get("Msg", "")
            good = (status == 200 and answer.get("Allow") is False and
                    "container %s runs privileged" % name in msg and msg.count("container c") == 1)
        if not good:
            wrong.append((i, status, answer))
    for w in wrong[:5]:
        print("wrong:", w)
    print("concurrent: %d answered, %d wrong" % (n, len(wrong)))
    return 1 if wrong else 0


def raw(path, data, shutdown):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(20 * SLOW)
    s.connect(path)
    s.sendall(data)
    if shutdown:
        s.shutdown(socket.SHUT_WR)
    chunks = []
    try:
        while True:
            c = s.recv(65536)
            if not c:
                break
            chunks.append(c)
            if b"}" in c:
                break
    except socket.timeout:
        chunks.append(b"(timeout)")
    s.close()
    return b"".join(chunks).decode(errors="replace")


def head(length):
    return (b"POST /AuthZPlugin.AuthZReq HTTP/1.1\r\nHost: plugin\r\n"
            b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % length)


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def load(path, n, pid):
    payload = create("load", privileged=False)
    lock = threading.Lock()
    done = [0]
    marks = {}

    def worker():
        conn = UnixHTTPConnection(path)
        while True:
            with lock:
                if done[0] >= n:
                    break
                done[0] += 1
                k = done[0]
            status, answer = post(conn, payload)
            if status != 200 or answer.get("Allow") is not True:
                print("unexpected answer:", status, answer)
                sys.exit(1)
            if k in (n // 4, n):
                marks[k] = rss_kib(pid)
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    time.sleep(0.2)
    print("load: %d requests, rss after %d: %d KiB, after %d: %d KiB, at the end: %d KiB"
          % (n, n // 4, marks.get(n // 4, -1), n, marks.get(n, -1), rss_kib(pid)))
    return 0


def bench(path, seconds, clients):
    payload = create("bench", privileged=False)
    lat = []
    lock = threading.Lock()
    stop = time.time() + seconds

    def worker():
        conn = UnixHTTPConnection(path)
        mine = []
        while time.time() < stop:
            t = time.perf_counter()
            post(conn, payload)
            mine.append(time.perf_counter() - t)
        conn.close()
        with lock:
            lat.extend(mine)

    start = time.time()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.time() - start
    lat.sort()

    def pct(p):
        return lat[min(len(lat) - 1, int(p / 100.0 * len(lat)))] * 1000

    print("bench: %d clients, %d requests in %.1f s: %.0f requests/s, latency ms "
          "p50 %.2f p90 %.2f p99 %.2f max %.2f"
          % (clients, len(lat), wall, len(lat) / wall, pct(50), pct(90), pct(99), lat[-1] * 1000))
    return 0


def main():
    cmd, path = sys.argv[1], sys.argv[2]
    if cmd == "concurrent":
        return concurrent(path, int(sys.argv[3]))
    if cmd == "truncated":
        body = authz("GET", "/v1.47/containers/json")
        print(repr(raw(path, head(len(body) + 100) + body, True)))
        return 0
    if cmd == "short-length":
        body = authz("GET", "/v1.47/containers/json")
        print(raw(path, head(len(body) - 10) + body, False))
        return 0
    if cmd == "load":
        return load(path, int(sys.argv[3]), int(sys.argv[4]))
    if cmd == "bench":
        return bench(path, float(sys.argv[3]), int(sys.argv[4]))
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
