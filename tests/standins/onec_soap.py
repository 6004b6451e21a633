"""A stand-in for the supplier's 1C web service: a small SOAP 1.1 server on 127.0.0.1.

It serves the suite's WSDL (``b2b_1c_bridge/static/wsdl/b2b_portal_1c.wsdl``, its path given as
``wsdl_path``) with its own address written in, checks HTTP Basic authentication and answers the
WSDL's operations with SOAP 1.1 envelopes:

- ``RequestReconciliationAct``: accepted, with ``ActId`` / ``ActNumber`` and, when ``act_pdf``
  is set, the act as ``ActPdf``;
- ``CheckAvailability``: every line available in the quantity of ``available`` [product id]
  (default: as requested), with ``expected_dates`` [product id] for the rest;
- ``SubmitCommissionReport``: accepted, with a ``DocumentId``;
- ``RegisterCounterparty``: accepted, with the ``CounterpartyId`` sent (1C keeps the portal's Ид).

``fault`` set to a text makes every operation answer a SOAP Fault (HTTP 500) with that text.
``received`` lists every call as (operation, {field: text}) with the lines as lists of dicts.

    server = OnecSoapServer(wsdl_path, login="ws", password="secret")
    server.start()
    ... server.wsdl_url ...
    server.stop()
"""
import base64
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from lxml import etree

PLACEHOLDER = "http://1c.example/base/ws/b2bportal.1cws"
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
TNS = "urn:b2b-portal:1c"
SAFE = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def local(tag):
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def as_dict(element):
    """{child name: text} of ``element``; ``Lines`` as a list of dicts."""
    values = {}
    for child in element:
        name = local(child.tag)
        if name == "Lines":
            values[name] = [{local(f.tag): (f.text or "") for f in line} for line in child]
        else:
            values[name] = child.text or ""
    return values


class OnecSoapServer:

    def __init__(self, wsdl_path, login="ws", password="secret", host="127.0.0.1", port=0):
        self.wsdl_path = wsdl_path
        self.login = login
        self.password = password
        self.fault = None
        self.act_pdf = None
        self.act_number = "АС-000123"
        self.available = {}
        self.expected_dates = {}
        self.received = []
        self.wsdl_requests = 0
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _authorised(self):
                expected = "Basic " + base64.b64encode(
                    ("%s:%s" % (owner.login, owner.password)).encode("utf-8")).decode("ascii")
                if self.headers.get("Authorization") == expected:
                    return True
                self._send(401, b"unauthorised", "text/plain",
                           [("WWW-Authenticate", 'Basic realm="1C"')])
                return False

            def _send(self, status, body, content_type, headers=()):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                if not self._authorised():
                    return
                owner.wsdl_requests += 1
                self._send(200, owner.wsdl(), "text/xml; charset=utf-8")

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                if not self._authorised():
                    return
                status, answer = owner.answer(body)
                self._send(status, answer, "text/xml; charset=utf-8")

        self.httpd = ThreadingHTTPServer((host, port), Handler)
        self.httpd.daemon_threads = True
        self.thread = None

    # ------------------------------------------------------------------ life
    @property
    def url(self):
        host, port = self.httpd.server_address[:2]
        return "http://%s:%d/ws/b2bportal.1cws" % (host, port)

    @property
    def wsdl_url(self):
        return self.url + "?wsdl"

    def start(self):
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        if self.thread:
            self.thread.join(5)

    def wsdl(self):
        with open(self.wsdl_path, "rb") as fh:
            return fh.read().replace(PLACEHOLDER.encode(), self.url.encode())

    # ------------------------------------------------------------------ SOAP
    def answer(self, body):
        """(HTTP status, SOAP envelope bytes) for a request envelope."""
        try:
            envelope = etree.fromstring(body, SAFE)
            payload = envelope.find("{%s}Body" % SOAP_ENV)[0]
        except (etree.XMLSyntaxError, TypeError, IndexError):
            return 500, self.envelope_fault("soap:Client", "malformed request")
        operation = local(payload.tag)
        values = as_dict(payload)
        self.received.append((operation, values))
        if self.fault:
            return 500, self.envelope_fault("soap:Server", self.fault)
        handler = getattr(self, "op_" + operation, None)
        if handler is None:
            return 500, self.envelope_fault("soap:Client", "unknown operation %s" % operation)
        result = etree.Element("{%s}%sResponse" % (TNS, operation), nsmap={"m": TNS})
        ret = etree.SubElement(result, "{%s}return" % TNS)
        handler(values, ret)
        return 200, self.envelope(result)

    @staticmethod
    def _add(parent, name, text):
        element = etree.SubElement(parent, "{%s}%s" % (TNS, name))
        element.text = text
        return element

    def op_RequestReconciliationAct(self, values, ret):
        self._add(ret, "Accepted", "true")
        self._add(ret, "Message", "act for %s queued in 1C" % values.get("RequestNumber", ""))
        self._add(ret, "ActId", "act-" + values.get("RequestId", ""))
        self._add(ret, "ActNumber", self.act_number)
        if self.act_pdf:
            self._add(ret, "ActPdf", base64.b64encode(self.act_pdf).decode("ascii"))

    def op_CheckAvailability(self, values, ret):
        self._add(ret, "Accepted", "true")
        lines = self._add(ret, "Lines", None)
        for line in values.get("Lines", []):
            product = line.get("ProductId", "")
            item = self._add(lines, "Line", None)
            self._add(item, "ProductId", product)
            self._add(item, "Requested", line.get("Quantity", "0"))
            self._add(item, "Available", str(self.available.get(product, line.get("Quantity", "0"))))
            if product in self.expected_dates:
                self._add(item, "ExpectedDate", self.expected_dates[product])

    def op_SubmitCommissionReport(self, values, ret):
        self._add(ret, "Accepted", "true")
        self._add(ret, "DocumentId", "report-" + values.get("RequestId", ""))

    def op_RegisterCounterparty(self, values, ret):
        self._add(ret, "Accepted", "true")
        self._add(ret, "CounterpartyId", values.get("CounterpartyId", ""))

    @staticmethod
    def envelope(content):
        env = etree.Element("{%s}Envelope" % SOAP_ENV, nsmap={"soap": SOAP_ENV})
        body = etree.SubElement(env, "{%s}Body" % SOAP_ENV)
        body.append(content)
        return etree.tostring(env, xml_declaration=True, encoding="UTF-8")

    @classmethod
    def envelope_fault(cls, code, text):
        fault = etree.Element("{%s}Fault" % SOAP_ENV)
        etree.SubElement(fault, "faultcode").text = code
        etree.SubElement(fault, "faultstring").text = text
        return cls.envelope(fault)
