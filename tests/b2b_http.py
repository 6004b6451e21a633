"""Talking to the real server over HTTP as a user would (shared by the cross-addon tests)."""
import os
import re

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# what the tests leave to look at (screenshots of the browser test)
OUTPUT = os.path.join(ROOT, ".run", "test-output")


def login(base, login_name, password):
    session = requests.Session()
    page = session.get(base + "/web/login", timeout=30)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    answer = session.post(base + "/web/login", timeout=60, data={
        "login": login_name, "password": password, "csrf_token": token, "redirect": ""})
    return session, answer
