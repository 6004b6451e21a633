"""Headless Chromium driven through the DevTools protocol over a pipe (no extra library).

Chromium started with ``--remote-debugging-pipe`` reads protocol messages (JSON, each ended by a
NUL byte) on its file descriptor 3 and writes answers and events on descriptor 4. This module
starts Debian's chromium that way, opens one page, and offers what the browser tests need: go to
a URL, wait for a condition, run JavaScript, type and click, attach a file to an input, take a
screenshot.
"""
import base64
import json
import os
import shutil
import subprocess
import tempfile
import time

CANDIDATES = ("chromium", "chromium-browser", "google-chrome")


def find_chromium():
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


class BrowserError(Exception):
    pass


class Browser(object):

    def __init__(self, binary=None, width=1280, height=900, timeout=60):
        self.binary = binary or find_chromium()
        if not self.binary:
            raise BrowserError("chromium is not installed (runtime/bootstrap.sh installs it)")
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="b2b-chromium-")
        # the pipes end up as the child's descriptors 3 (commands in) and 4 (answers out)
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()
        high_r = os.dup2(to_child_r, 100) if to_child_r != 100 else to_child_r
        high_w = os.dup2(from_child_w, 101) if from_child_w != 101 else from_child_w
        os.close(to_child_r)
        os.close(from_child_w)

        def wire():
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        self.log = open(os.path.join(self.profile, "chromium.log"), "w")
        self.proc = subprocess.Popen(
            [self.binary, "--headless", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu",
             "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
             "--disable-extensions", "--disable-background-networking", "--lang=ru-RU",
             "--user-data-dir=%s" % self.profile, "--window-size=%d,%d" % (width, height),
             "about:blank"],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT,
            pass_fds=(3, 4), preexec_fn=wire, close_fds=True)
        os.close(high_r)
        os.close(high_w)
        self._buffer = b""
        self._next_id = 0
        self.session = None
        self.events = []
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.send("Page.enable")
        self.send("Runtime.enable")
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=height,
                  deviceScaleFactor=1, mobile=False)

    # ------------------------------------------------------------------ protocol
    def _read_message(self, deadline):
        while b"\0" not in self._buffer:
            if time.time() > deadline:
                raise BrowserError("chromium did not answer in time")
            chunk = os.read(self._from_child, 1 << 20)
            if not chunk:
                raise BrowserError("chromium closed the pipe (see %s)" % self.log.name)
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw.decode("utf-8"))

    def send(self, method, **params):
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params}
        if self.session and not method.startswith(("Target.", "Browser.")):
            message["sessionId"] = self.session
        os.write(self._to_child, json.dumps(message).encode("utf-8") + b"\0")
        deadline = time.time() + self.timeout
        while True:
            answer = self._read_message(deadline)
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise BrowserError("%s: %s" % (method, answer["error"].get("message")))
                return answer.get("result", {})
            if "method" in answer:
                self.events.append(answer)

    # ------------------------------------------------------------------ page
    def evaluate(self, expression):
        """The value of a JavaScript expression (promises awaited); errors raised."""
        result = self.send("Runtime.evaluate", expression=expression, awaitPromise=True,
                           returnByValue=True)
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise BrowserError("JavaScript error: %s" % text)
        return result.get("result", {}).get("value")

    def wait_for(self, expression, timeout=None, what=None):
        """Wait until the JavaScript ``expression`` is truthy (a DOM element counts: the test is
        made in the page, not on a serialised copy)."""
        deadline = time.time() + (timeout or self.timeout)
        last_error = None
        while time.time() < deadline:
            try:
                if self.evaluate("!!(%s)" % expression):
                    return True
            except BrowserError as exc:  # the page may be between two documents
                last_error = exc
            time.sleep(0.1)
        raise BrowserError("timed out waiting for %s (%s); page: %s" % (
            what or expression, last_error, self.evaluate("location.href")))

    def goto(self, url):
        self.send("Page.navigate", url=url)
        self.wait_for("document.readyState === 'complete' && location.href !== 'about:blank'",
                      what="the page %s" % url)

    def path(self):
        return self.evaluate("location.pathname")

    def fill(self, selector, value):
        self.evaluate("""(function () {
            var el = document.querySelector(%s);
            if (!el) { throw new Error('no element ' + %s); }
            el.value = %s;
            el.dispatchEvent(new Event('input', {bubbles: true}));
            el.dispatchEvent(new Event('change', {bubbles: true}));
        })()""" % (json.dumps(selector), json.dumps(selector), json.dumps(value)))

    def click(self, selector):
        self.evaluate("""(function () {
            var el = document.querySelector(%s);
            if (!el) { throw new Error('no element ' + %s); }
            el.click();
        })()""" % (json.dumps(selector), json.dumps(selector)))

    def text(self, selector):
        return self.evaluate("(document.querySelector(%s) || {}).textContent" % json.dumps(selector))

    def attach_file(self, selector, path):
        document = self.send("DOM.getDocument")["root"]["nodeId"]
        node = self.send("DOM.querySelector", nodeId=document, selector=selector)["nodeId"]
        if not node:
            raise BrowserError("no file input %s" % selector)
        self.send("DOM.setFileInputFiles", nodeId=node, files=[os.path.abspath(path)])

    def screenshot(self, path):
        data = self.send("Page.captureScreenshot", format="png", captureBeyondViewport=True)["data"]
        with open(path, "wb") as out:
            out.write(base64.b64decode(data))
        return path

    def close(self):
        try:
            self.send("Browser.close")
        except BrowserError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self._to_child, self._from_child):
            try:
                os.close(fd)
            except OSError:
                pass
        self.log.close()
        shutil.rmtree(self.profile, ignore_errors=True)


def log_in(browser, base, login):
    """Log ``login`` (whose password is its login, as the demo users') in on the portal's login
    page and wait for the portal's home."""
    browser.goto(base + "/web/login")
    browser.fill("#login", login)
    browser.fill("#password", login)
    browser.evaluate("document.querySelector('form.oe_login_form').submit()")
    browser.wait_for("/\\/my$/.test(location.pathname) && document.readyState === 'complete'",
                     what="the portal home after login")
