"""Load and faults on loopback: gunicorn with N workers on PostgreSQL.

    python bench/load.py [--workers 3] [--clients 50] [--requests 2000]
                         [--import-rows 50000] [--scale 0.05] [--port 8108] [--rate 8]

``--rate R`` sends the requests open loop, one every 1/R s (as users arrive, each
request timed from its scheduled arrival, so waiting for a client counts too); without
it the clients send back to back (closed loop), which on a small machine measures the
queue for the CPU rather than waiting for locks.

1. baseline: ``--clients`` concurrent clients send ``--requests`` requests, a mix of
   token reads (clue list), audited writes (register a petition) and logins;
   throughput, p50/p95/p99 per kind, errors (must be 0);
2. the same while a ``--import-rows``-row people import and a board close (多色榜结账,
   ``jiandu board close``) run: p99 of logins and writes sent while either still ran
   must stay < 1 s;
3. kill -9 of a gunicorn worker in the middle of writes: every petition that exists has
   its audit row and vice versa (nothing partial), and the audit chain verifies.

Loopback only; the database (``--db``, default ``jiandu_load``) is dropped and created
afresh. Bounded: a fixed number of requests per phase.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import http.cookiejar
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def jiandu(*args: str, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PY, "-m", "jiandu.cli", *args], env=env, capture_output=True, text=True, check=check
    )


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class Load:
    def __init__(self, port: int, read_token: str, write_token: str, password: str):
        self.port = port
        self.read_token = read_token
        self.write_token = write_token
        self.password = password
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = {"read": [], "write": [], "login": []}
        self.spans: list[tuple[str, float, float]] = []  # kind, start, seconds
        self.errors: list[str] = []
        self.created: list[int] = []

    def _request(self, method: str, path: str, body: bytes | None, headers: dict[str, str]):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def read(self) -> None:
        status, _ = self._request(
            "GET",
            "/api/v1/clues/clues?limit=20",
            None,
            {"Authorization": f"Bearer {self.read_token}"},
        )
        if status != 200:
            raise RuntimeError(f"read {status}")

    def write(self) -> None:
        payload = {
            "received_date": dt.date.today().isoformat(),
            "channel": "letter",
            "title": f"压测登记{random.randrange(10**9)}",
            "content": "压测内容",
        }
        status, body = self._request(
            "POST",
            "/api/v1/clues/petitions",
            json.dumps(payload).encode(),
            {"Authorization": f"Bearer {self.write_token}", "Content-Type": "application/json"},
        )
        if status != 201:
            raise RuntimeError(f"write {status} {body[:200]!r}")
        with self.lock:
            self.created.append(json.loads(body)["id"])

    def login(self) -> None:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
        base = f"http://127.0.0.1:{self.port}"
        opener.open(f"{base}/accounts/login/", timeout=60).read()
        csrf = next(c.value for c in jar if c.name == "csrftoken")
        data = urllib.parse.urlencode(
            {"username": "city", "password": self.password, "csrfmiddlewaretoken": csrf}
        ).encode()
        request = urllib.request.Request(
            f"{base}/accounts/login/", data=data, headers={"Referer": f"{base}/accounts/login/"}
        )
        try:
            opener.open(request, timeout=60)
            raise RuntimeError("login did not redirect")
        except urllib.error.HTTPError as exc:
            if exc.code != 302:
                raise RuntimeError(f"login {exc.code}") from exc

    def one(self, kind: str, due: float | None = None) -> None:
        if due is not None:  # open loop: wait for the scheduled arrival, count from it
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
        start = due if due is not None else time.monotonic()
        try:
            getattr(self, kind)()
        except Exception as exc:  # counted, the run goes on
            with self.lock:
                self.errors.append(f"{kind}: {exc}")
            return
        seconds = time.monotonic() - start
        with self.lock:
            self.times[kind].append(seconds)
            self.spans.append((kind, start, seconds))

    def between(self, lo: float, hi: float) -> dict:
        """Percentiles of the requests that started in [lo, hi] (monotonic clock)."""
        out = {}
        for kind in self.times:
            values = [t for k, s, t in self.spans if k == kind and lo <= s <= hi]
            out[kind] = {
                "n": len(values),
                "p50": pct(values, 0.5),
                "p95": pct(values, 0.95),
                "p99": pct(values, 0.99),
                "max": max(values) if values else float("nan"),
            }
        return out

    def run(self, *, clients: int, requests: int, mix: dict[str, float], rate: float = 0.0) -> dict:
        """Closed loop (``rate`` 0): ``clients`` threads send back to back. Open loop: one
        arrival every ``1/rate`` s, served by up to ``clients`` threads; a request's time
        runs from its scheduled arrival, so waiting for a free client counts too."""
        kinds = random.choices(list(mix), weights=list(mix.values()), k=requests)
        start = time.monotonic()
        dues = [start + i / rate if rate else None for i in range(requests)]
        with ThreadPoolExecutor(max_workers=clients) as pool:
            list(pool.map(self.one, kinds, dues))
        seconds = time.monotonic() - start
        out = {"requests": requests, "seconds": seconds, "per_second": requests / seconds}
        for kind, values in self.times.items():
            out[kind] = {
                "n": len(values),
                "p50": pct(values, 0.5),
                "p95": pct(values, 0.95),
                "p99": pct(values, 0.99),
                "max": max(values) if values else float("nan"),
            }
        out["errors"] = len(self.errors)
        out["error_samples"] = self.errors[:5]
        return out


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def people_file(path: Path, rows: int, org_name: str) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from openpyxl import Workbook

    from jiandu.core import idnumbers

    book = Workbook(write_only=True)
    sheet = book.create_sheet("人员")
    sheet.append(["姓名", "身份证号码", "政治面貌", "登记单位", "备注"])
    start = dt.date(1960, 1, 1)
    for i in range(rows):
        birth = start + dt.timedelta(days=i // 900)
        number = idnumbers.make("530102", birth, 100 + i % 900)
        sheet.append([f"压测人员{i}", number, "", org_name, ""])
    book.save(path)


class WatchEnd(threading.Thread):
    """Waits for ``process`` in the background: ``seconds`` from ``started`` to its end."""

    def __init__(self, process: subprocess.Popen, started: float) -> None:
        super().__init__(daemon=True)
        self.process, self.started, self.seconds = process, started, float("nan")
        self.start()

    def run(self) -> None:
        while self.process.poll() is None:
            time.sleep(0.2)
        self.seconds = time.monotonic() - self.started


def board_close_start(env: dict[str, str]) -> subprocess.Popen | None:
    """Start ``jiandu board close`` of the first board (built-in boards installed if the
    demo has none): the latest closed month again (a recalculation), or last month."""
    listed = jiandu("board", "list", "--json", env=env, check=False)
    boards = json.loads(listed.stdout) if listed.stdout.strip().startswith("[") else []
    if not boards:
        jiandu("board", "install-builtins", env=env, check=False)
        listed = jiandu("board", "list", "--json", env=env, check=False)
        boards = json.loads(listed.stdout) if listed.stdout.strip().startswith("[") else []
    boards = [b for b in boards if not b["archived"]]
    if not boards:
        print("  no board to close")
        return None
    board = boards[0]
    if board["latest_month"]:
        month = str(board["latest_month"])[:7]
    else:
        first = dt.date.today().replace(day=1)
        month = f"{first - dt.timedelta(days=1):%Y-%m}"
    print(f"  closing board {board['key']} for {month} meanwhile")
    return subprocess.Popen(
        [
            *(PY, "-m", "jiandu.cli", "board", "close", "--board", board["key"]),
            *("--month", month, "--reason", "压测：结账期间的负载", "--json"),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def show(title: str, result: dict) -> None:
    print(
        f"\n== {title}: {result['requests']} requests in {result['seconds']:.1f} s "
        f"({result['per_second']:.0f}/s), errors {result['errors']}"
    )
    for kind in ("read", "write", "login"):
        r = result[kind]
        print(
            f"  {kind:6} n={r['n']:5}  p50 {r['p50'] * 1000:7.1f} ms  p95 {r['p95'] * 1000:7.1f} ms"
            f"  p99 {r['p99'] * 1000:7.1f} ms  max {r['max'] * 1000:7.1f} ms"
        )
    for sample in result["error_samples"]:
        print("   error:", sample)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="jiandu_load")
    parser.add_argument("--port", type=int, default=8108)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--import-rows", type=int, default=50000)
    parser.add_argument("--scale", type=float, default=0.05)
    parser.add_argument(
        "--rate",
        type=float,
        default=0.0,
        help="open loop: requests per second arriving at fixed intervals (0 = closed loop, "
        "every client sends back to back)",
    )
    args = parser.parse_args()

    url = f"postgres://postgres@127.0.0.1:5432/{args.db}"
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT / "src")}
    env["JIANDU_TASKS_MODE"] = "worker"
    subprocess.run(
        ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", args.db], check=True
    )
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", args.db], check=True)
    t0 = time.monotonic()
    jiandu("migrate", "-v0", env=env)
    jiandu("roles", "sync", env=env)
    jiandu("demo", "--scale", str(args.scale), "--without-extras", "--json", env=env)
    print(f"database ready in {time.monotonic() - t0:.0f} s (demo scale {args.scale})")

    os.environ.update({"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "jiandu.settings"})
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from jiandu.accounts.models import User
    from jiandu.accounts.services import api_token_create
    from jiandu.demo.accounts import DEMO_PASSWORD

    city = User.objects.get(username="city")
    _, read_token = api_token_create(actor=city, name="压测读")
    _, write_token = api_token_create(actor=city, name="压测写")
    county = User.objects.get(username="wuhua")
    data_file = ROOT / "var" / f"load-people-{args.import_rows}.xlsx"
    data_file.parent.mkdir(exist_ok=True)
    people_file(data_file, args.import_rows, county.org.name)

    gunicorn = subprocess.Popen(
        [
            str(Path(PY).parent / "gunicorn"),
            "jiandu.wsgi",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--timeout",
            "300",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        for _ in range(120):
            try:
                http.client.HTTPConnection("127.0.0.1", args.port, timeout=2).request("GET", "/")
                break
            except OSError:
                time.sleep(0.5)
        mix = {"read": 0.7, "write": 0.2, "login": 0.1}
        load = Load(args.port, read_token, write_token, DEMO_PASSWORD)
        for kind in ("read", "write", "login"):
            load.one(kind)  # warm every worker's code paths a little
        load = Load(args.port, read_token, write_token, DEMO_PASSWORD)
        baseline = load.run(clients=args.clients, requests=args.requests, mix=mix, rate=args.rate)
        show("baseline", baseline)

        importer = subprocess.Popen(
            [
                PY,
                "-m",
                "jiandu.cli",
                "import",
                "people",
                str(data_file),
                "--actor",
                "wuhua",
                "--json",
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        started = time.monotonic()
        closer = board_close_start(env)
        ended = {"import": WatchEnd(importer, started)}
        if closer is not None:
            ended["close"] = WatchEnd(closer, started)
        time.sleep(2)
        load = Load(args.port, read_token, write_token, DEMO_PASSWORD)
        during = load.run(clients=args.clients, requests=args.requests, mix=mix, rate=args.rate)
        running_after = importer.poll() is None
        close_running_after = closer is not None and closer.poll() is None
        if closer is not None:
            _out, close_err = closer.communicate()
            ended["close"].join()
            close_seconds = ended["close"].seconds
            print(
                f"  board close: exit {closer.returncode} in {close_seconds:.0f} s; still "
                f"running when the phase ended: {close_running_after}"
                + ("" if closer.returncode == 0 else f"; {close_err.strip()[-300:]}")
            )
        out, err = importer.communicate()
        ended["import"].join()
        import_seconds = ended["import"].seconds
        result = (
            json.loads(out) if out.strip().startswith("{") else {"ok": False, "err": err[-500:]}
        )
        show("during the import", during)
        print(
            f"  import of {args.import_rows} rows: ok={result.get('ok')} in {import_seconds:.0f} s;"
            f" still running when the phase ended: {running_after}"
        )
        # Only the requests sent while the import or the close was still running count
        # for the verdict (at a fixed rate the phase can outlast both).
        busy_until = started + max(
            (watch.seconds for watch in ended.values() if watch.seconds == watch.seconds),
            default=float("inf"),
        )
        window = load.between(started, busy_until)
        print(f"  requests sent while the import or the close ran ({busy_until - started:.0f} s):")
        for kind in ("read", "write", "login"):
            r = window[kind]
            print(
                f"    {kind:6} n={r['n']:5}  p50 {r['p50'] * 1000:7.1f} ms  p95 "
                f"{r['p95'] * 1000:7.1f} ms  p99 {r['p99'] * 1000:7.1f} ms  max "
                f"{r['max'] * 1000:7.1f} ms"
            )
        for kind in ("login", "write"):
            verdict = "< 1 s" if window[kind]["p99"] < 1.0 else ">= 1 s (MISSED)"
            print(
                f"  p99 {kind} while the import and close ran: "
                f"{window[kind]['p99'] * 1000:.0f} ms {verdict}"
            )

        # Faults: kill -9 one worker while writes are in flight.
        workers = [
            int(p)
            for p in subprocess.run(
                ["pgrep", "-P", str(gunicorn.pid)], capture_output=True, text=True
            ).stdout.split()
        ]
        load = Load(args.port, read_token, write_token, DEMO_PASSWORD)
        killer = threading.Timer(1.0, lambda: os.kill(workers[0], signal.SIGKILL))
        killer.start()
        faults = load.run(
            clients=args.clients, requests=max(200, args.requests // 4), mix={"write": 1.0}
        )
        show(f"kill -9 of worker {workers[0]} during writes", faults)
    finally:
        gunicorn.terminate()
        gunicorn.wait(30)

    from django.db import connection

    from jiandu.clues.models import Petition
    from jiandu.core.audit import audit_seal, audit_verify
    from jiandu.core.models import AuditLog

    connection.close()
    audit_seal()
    bench_petitions = set(
        Petition.objects.filter(title__startswith="压测登记").values_list("pk", flat=True)
    )
    audited = {
        int(pk)
        for pk in AuditLog.objects.filter(
            object_type="clues.petition",
            action="create",
            object_id__in=[str(p) for p in bench_petitions],
        ).values_list("object_id", flat=True)
    }
    every_petition = {str(pk) for pk in Petition.objects.values_list("pk", flat=True)}
    orphans_audit = (
        AuditLog.objects.filter(object_type="clues.petition", action="create")
        .exclude(object_id__in=every_petition)
        .count()
    )
    report = audit_verify()
    print(
        f"\n== after the faults: {len(bench_petitions)} benchmark petitions, "
        f"{len(bench_petitions - audited)} without their audit row, {orphans_audit} audit rows "
        f"without their petition; chain ok={report.ok} ({report.rows_checked} rows, "
        f"{report.unsealed_rows} unsealed)"
    )


if __name__ == "__main__":
    main()
