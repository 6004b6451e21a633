"""Talking to the real server over HTTP as a user would (shared by the cross-addon tests)."""
import os
import re

import requests

from b2b_base.tools.checkout import root

ROOT = root()
# what the tests leave to look at (screenshots of the browser test)
OUTPUT = os.path.join(ROOT, ".run", "test-output")


def login(base, login_name, password):
    session = requests.Session()
    page = session.get(base + "/web/login", timeout=30)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    answer = session.post(base + "/web/login", timeout=60, data={
        "login": login_name, "password": password, "csrf_token": token, "redirect": ""})
    return session, answer
