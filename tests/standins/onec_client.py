"""A stand-in for 1C's site-exchange module: the HTTP client side of the CommerceML exchange.

It makes the calls 1C makes, in 1C's order, and nothing else:

1. ``?type=T&mode=checkauth`` with HTTP Basic authentication; the answer ``success``, a cookie
   name and a cookie value; every later call sends ``Cookie: <name>=<value>`` (and no other
   cookie: 1C keeps none of the server's ``Set-Cookie`` headers);
2. ``?type=T&mode=init``; reads ``zip=yes|no`` and ``file_limit=<bytes>``;
3. ``?type=T&mode=file&filename=NAME`` POSTs with the raw bytes as body, in chunks of at most
   ``file_limit`` bytes; with ``zip=yes`` all files of the package are sent as one zip archive;
4. ``?type=T&mode=import&filename=NAME`` for each XML file of the package (the names of the
   files, also when they travelled zipped), repeated while the answer is ``progress``;
5. for orders: ``?type=sale&mode=query`` (the orders document) then ``?type=sale&mode=success``.

It stops at the first answer that is not ``success`` (or ``progress`` during import), as 1C does.
Use it from an HttpCase with the test server's base URL, or against any running portal.
"""
import io
import posixpath
import zipfile

import requests

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

    def __init__(self, base_url, login, password, http=None, path=EXCHANGE_PATH, timeout=120):
        self.url = base_url.rstrip("/") + path
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
    def call(self, exchange_type, mode, filename=None, body=None, basic_auth=False, cookie=True):
        """One call; returns its Answer (never raises on a refusal)."""
        params = [("type", exchange_type), ("mode", mode)]
        if filename is not None:
            params.append(("filename", filename))
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

    def import_file(self, exchange_type, filename, max_rounds=1000):
        """``mode=import`` for ``filename``, repeated while the answer is ``progress``."""
        answers = []
        for _round in range(max_rounds):
            answer = self.call(exchange_type, "import", filename)
            answers.append(answer)
            if answer.status != 200 or answer.verdict != "progress":
                return answers
        raise RuntimeError("import of %s still in progress after %d calls" % (filename, max_rounds))

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
            imports = [name for name, _data in files
                       if name.lower().endswith(".xml") and posixpath.dirname(name) == ""]
        for name in imports:
            for answer in self.import_file(exchange_type, name):
                self._expect(answer)
        return self.answers

    def orders_exchange(self):
        """The orders exchange: checkauth, init, query, success. Returns the query's Answer."""
        self._expect(self.checkauth("sale"))
        self._expect(self.init("sale"))
        query = self.call("sale", "query")
        if query.status != 200:
            raise ExchangeStopped(query)
        self._expect(self.call("sale", "success"))
        return query

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
