"""A stand-in for 1C's site-exchange module: the HTTP client side of the CommerceML exchange.

It makes the calls 1C makes, in 1C's order, and nothing else:

1. ``?type=T&mode=checkauth`` with HTTP Basic authentication; the answer ``success``, a cookie
   name and a cookie value; every later call sends ``Cookie: <name>=<value>`` (and no other
   cookie: 1C keeps none of the server's ``Set-Cookie`` headers);
2. ``?type=T&mode=init``; reads ``zip=yes|no`` and ``file_limit=<bytes>``;
3. ``?type=T&mode=file&filename=NAME`` POSTs with the raw bytes as body, in chunks of at most
   ``file_limit`` bytes; with ``zip=yes`` all files of the package are sent as one zip archive;
4. ``?type=T&mode=import&filename=NAME`` for each XML file of the package (the names of the
   files, also when they travelled zipped), repeated while the answer is ``progress`` (with a
   short pause between calls, up to a bound);
5. for orders: ``?type=sale&mode=query`` (the orders document) then ``?type=sale&mode=success``;
   for the portal's own requests the same with ``type=b2b``.

It stops at the first answer that is not ``success`` (or ``progress`` during import), as 1C does.
Use it from an HttpCase with the test server's base URL, or against any running portal; from the
command line it replays a package (a folder or a zip archive)::

    python tests/standins/onec_client.py --url http://127.0.0.1:8069 \
        --login 1c-exchange --password 1c-exchange path/to/package_dir_or.zip
"""
import argparse
import io
import os
import posixpath
import sys
import time
import zipfile

import requests

# The order in which 1C imports the files of one exchange: the catalog before the offers, then
# the split files of newer modules, then anything else (alphabetically).
IMPORT_ORDER = ("import", "offers", "prices", "rests", "goods", "properties", "units",
                "contragents", "counterparties", "contracts")

EXCHANGE_PATH = "/b2b/1c/exchange"


class Answer:
    """One answer of the server: HTTP status, body, first line (the verdict) and other lines."""

    def __init__(self, mode, filename, response):
        self.mode = mode
        self.filename = filename
        self.status = response.status_code
        self.content = response.content
        self.headers = response.headers
        self.text = response.content.decode("utf-8", errors="replace")
        lines = self.text.replace("\r\n", "\n").split("\n")
        while lines and lines[-1] == "":
            lines.pop()
        self.verdict = lines[0].strip() if lines else ""
        self.lines = lines[1:]

    @property
    def ok(self):
        return self.status == 200 and self.verdict in ("success", "progress")

    def __repr__(self):
        return "<Answer %s %s: %d %r>" % (self.mode, self.filename or "", self.status, self.text[:200])


class ExchangeTimeout(Exception):
    """An import still answered ``progress`` after the client's bound (rounds or seconds)."""


class ExchangeStopped(Exception):
    """The server refused a call; 1C would stop the exchange here. ``answer`` is that answer."""

    def __init__(self, answer):
        self.answer = answer
        super().__init__("%s %s refused: %d %s" % (answer.mode, answer.filename or "",
                                                     answer.status, answer.text.strip()))


class OnecExchangeClient:
    """Runs exchanges against ``base_url`` (e.g. ``http://127.0.0.1:8069``) as 1C would.

    ``http`` is a ``requests.Session`` to use (its own by default). ``answers`` lists every
    answer received, in order; ``sent`` maps each uploaded name to the bytes sent for it.
    """

    def __init__(self, base_url, login, password, http=None, path=EXCHANGE_PATH, timeout=120,
                 progress_pause=0.2, progress_limit=600.0):
        self.url = base_url.rstrip("/") + path
        self.progress_pause = progress_pause  # seconds between two calls answered "progress"
        self.progress_limit = progress_limit  # seconds an import may keep answering "progress"
        self.login = login
        self.password = password
        self.own_http = http is None
        self.http = http or requests.Session()
        self.timeout = timeout
        self.cookie = None
        self.zip = None
        self.file_limit = None
        self.answers = []
        self.sent = {}  # file name -> every byte sent for it by upload()

    # ------------------------------------------------------------------ single calls
    def call(self, exchange_type, mode, filename=None, body=None, basic_auth=False, cookie=True,
             extra=()):
        """One call; returns its Answer (never raises on a refusal). ``extra``: more query
        parameters, as (name, value) pairs."""
        params = [("type", exchange_type), ("mode", mode)]
        if filename is not None:
            params.append(("filename", filename))
        params.extend(extra)
        headers = {}
        if cookie and self.cookie:
            headers["Cookie"] = "%s=%s" % self.cookie
        auth = (self.login, self.password) if basic_auth else None
        if body is not None:
            headers["Content-Type"] = "application/octet-stream"
            response = self.http.post(self.url, params=params, data=body, headers=headers,
                                      auth=auth, timeout=self.timeout)
        else:
            response = self.http.get(self.url, params=params, headers=headers, auth=auth,
                                     timeout=self.timeout)
        if self.own_http:
            self.http.cookies.clear()  # 1C keeps only the cookie named by checkauth
        answer = Answer(mode, filename, response)
        self.answers.append(answer)
        return answer

    def checkauth(self, exchange_type="catalog"):
        answer = self.call(exchange_type, "checkauth", basic_auth=True, cookie=False)
        if answer.status == 200 and answer.verdict == "success" and len(answer.lines) >= 2:
            self.cookie = (answer.lines[0].strip(), answer.lines[1].strip())
        return answer

    def init(self, exchange_type="catalog"):
        answer = self.call(exchange_type, "init")
        values = dict(line.split("=", 1) for line in [answer.verdict] + answer.lines if "=" in line)
        if answer.status == 200 and "file_limit" in values:
            self.zip = values.get("zip", "no").strip() == "yes"
            self.file_limit = int(values["file_limit"])
        return answer

    def upload(self, exchange_type, filename, data, chunk_size=None):
        """Send ``data`` as ``filename`` in chunks of at most ``chunk_size`` (default: the
        ``file_limit`` of init). Returns the answers; stops at the first refusal."""
        size = chunk_size or self.file_limit or len(data) or 1
        self.sent[filename] = data
        answers = []
        offsets = range(0, len(data), size) if data else [0]
        for offset in offsets:
            answer = self.call(exchange_type, "file", filename, body=data[offset:offset + size])
            answers.append(answer)
            if not answer.ok:
                break
        return answers

    def import_file(self, exchange_type, filename, max_rounds=10000):
        """``mode=import`` for ``filename``, repeated while the answer is ``progress``: after a
        ``progress`` answer the client pauses ``progress_pause`` seconds; it gives up (raises
        ExchangeTimeout) after ``max_rounds`` calls or ``progress_limit`` seconds."""
        answers = []
        deadline = time.monotonic() + self.progress_limit
        for _round in range(max_rounds):
            answer = self.call(exchange_type, "import", filename)
            answers.append(answer)
            if answer.status != 200 or answer.verdict != "progress":
                return answers
            if time.monotonic() >= deadline:
                break
            time.sleep(self.progress_pause)
        raise ExchangeTimeout("import of %s still in progress after %d calls"
                              % (filename, len(answers)))

    # ------------------------------------------------------------------ whole exchanges
    @staticmethod
    def pack(files):
        """A zip archive (bytes) of ``files`` [(name, bytes)] as 1C builds it."""
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in files:
                archive.writestr(name, data)
        return buf.getvalue()

    def exchange(self, files, exchange_type="catalog", zip_name="exchange.zip", imports=None):
        """A full upload exchange: checkauth, init, file (zipped or not, chunked), import.

        ``files`` is a list of (name, bytes); ``imports`` the names to import, in order (default:
        the ``.xml`` files of the package that are not in a subfolder, in the given order).
        Returns the answers; raises ExchangeStopped at the first refusal, as 1C stops there.
        """
        files = list(files)
        self._expect(self.checkauth(exchange_type))
        self._expect(self.init(exchange_type))
        if self.zip:
            for answer in self.upload(exchange_type, zip_name, self.pack(files)):
                self._expect(answer)
        else:
            for name, data in files:
                for answer in self.upload(exchange_type, name, data):
                    self._expect(answer)
        if imports is None:
            imports = import_names([name for name, _data in files])
        for name in imports:
            for answer in self.import_file(exchange_type, name):
                self._expect(answer)
        return self.answers

    def orders_exchange(self, exchange_type="sale"):
        """The orders exchange: checkauth, init, query, success. Returns the query's Answer.

        ``exchange_type="b2b"`` collects the portal's own requests the same way."""
        self._expect(self.checkauth(exchange_type))
        self._expect(self.init(exchange_type))
        query = self.call(exchange_type, "query")
        if query.status != 200 or query.verdict == "failure":
            raise ExchangeStopped(query)
        self._expect(self.call(exchange_type, "success"))
        return query

    def b2b_exchange(self):
        """``type=b2b``: checkauth, init, query (the requests waiting for 1C), success."""
        return self.orders_exchange("b2b")

    def complete(self, exchange_type="catalog"):
        """``mode=complete``: 1C ends a catalog exchange."""
        return self._expect(self.call(exchange_type, "complete"))

    def deactivate(self, started=None, exchange_type="catalog"):
        """``mode=deactivate``: after a full catalog, 1C (CommerceML 2.10 protocol) asks the site
        to deactivate what the exchange did not list; ``timestamp`` is when the exchange began
        (Unix time)."""
        stamp = int(started if started is not None else time.time())
        return self._expect(self.call(exchange_type, "deactivate",
                                      extra=[("timestamp", str(stamp))]))

    @staticmethod
    def _expect(answer):
        if answer.status != 200 or answer.verdict == "failure":
            raise ExchangeStopped(answer)
        if answer.mode == "init":
            if not any(line.startswith("file_limit=") for line in [answer.verdict] + answer.lines):
                raise ExchangeStopped(answer)
        elif answer.verdict not in ("success", "progress"):
            raise ExchangeStopped(answer)
        return answer


def import_names(names):
    """The files of a package 1C calls ``mode=import`` for, in its order: the XML files at the
    top of the package (not those in folders such as ``import_files/``)."""
    xml = [n for n in names if n.lower().endswith(".xml") and posixpath.dirname(n) == ""]

    def rank(name):
        base = name.lower()
        for index, prefix in enumerate(IMPORT_ORDER):
            if base.startswith(prefix):
                return index, base
        return len(IMPORT_ORDER), base
    return sorted(xml, key=rank)


def read_package(path):
    """The files of a package as [(name, bytes)]: a folder (every file under it, by relative
    path) or a zip archive (its entries)."""
    files = []
    if os.path.isdir(path):
        for folder, dirs, names in os.walk(path):
            dirs.sort()
            for name in sorted(names):
                full = os.path.join(folder, name)
                rel = os.path.relpath(full, path).replace(os.sep, "/")
                with open(full, "rb") as fh:
                    files.append((rel, fh.read()))
    else:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if not info.is_dir():
                    files.append((info.filename, archive.read(info)))
    return files


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Replay a package against a portal's 1C exchange endpoint, as 1C does.")
    parser.add_argument("--url", required=True, help="the portal, e.g. http://127.0.0.1:8069")
    parser.add_argument("--login", required=True, help="the 1C exchange user's login")
    parser.add_argument("--password", required=True)
    parser.add_argument("--type", default="catalog", choices=("catalog", "sale", "b2b"),
                        help="the exchange type (default catalog)")
    parser.add_argument("--complete", action="store_true",
                        help="end a catalog exchange with mode=complete")
    parser.add_argument("--orders", action="store_true",
                        help="then run the orders exchange (type=sale query/success)")
    parser.add_argument("--quiet", action="store_true", help="print only refusals")
    parser.add_argument("package", nargs="?", help="a package folder or zip archive")
    args = parser.parse_args(argv)
    client = OnecExchangeClient(args.url, args.login, args.password)
    try:
        if args.package:
            files = read_package(args.package)
            zip_name = os.path.basename(args.package.rstrip("/")) or "exchange"
            if not zip_name.lower().endswith(".zip"):
                zip_name += ".zip"
            client.exchange(files, exchange_type=args.type, zip_name=zip_name)
            if args.complete and args.type == "catalog":
                client.complete()
        if args.orders:
            client.orders_exchange()
    except (ExchangeStopped, ExchangeTimeout, requests.RequestException) as exc:
        for answer in client.answers:
            if not args.quiet:
                print(answer)
        print("refused: %s" % exc, file=sys.stderr)
        return 1
    if not args.quiet:
        for answer in client.answers:
            print(answer)
    return 0


if __name__ == "__main__":
    sys.exit(main())
