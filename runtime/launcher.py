"""The suite's ``odoo`` entry point.

1. applies the Python 3.11 compatibility layer (runtime/b2b_compat) before anything imports odoo;
2. renders the configuration: odoo.conf (or the file given with -c/--config) with its relative paths
   (addons_path, data_dir, logfile, pidfile) resolved against that file's folder, written to
   .run/odoo.conf, so the checkout can live anywhere;
3. puts the patched-Qt wkhtmltopdf of the virtualenv first on PATH and lets lessc find its modules;
4. hands over to Odoo's own command line (``server``, ``shell``, ... and all of Odoo's options).

``gevent`` is not one of Odoo's commands but a mode of ``server``: with ``workers`` > 0 Odoo's prefork
server starts its long-polling process (the bus, ``/longpolling/poll`` on ``longpolling_port``) as
``sys.argv[0] gevent <its options>``, and ``odoo/__init__.py`` monkey-patches with gevent, sets
psycopg2's wait callback and runs the evented server when ``sys.argv[1] == 'gevent'`` at its first
import, then drops the word. The launcher does the same as ``odoo-bin gevent``: it patches first,
before anything else is imported, and imports Odoo with ``gevent`` still in ``sys.argv``.
"""
import configparser
import os
import sys

RUNTIME = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(RUNTIME)
PATH_OPTIONS = ("data_dir", "logfile", "pidfile")


def resolve(value, base):
    value = os.path.expanduser(os.path.expandvars(value.strip()))
    return os.path.normpath(os.path.join(base, value))


def render_config(source, target):
    """Write ``target``: ``source`` with its relative paths made absolute. Returns ``target``."""
    parser = configparser.RawConfigParser()
    if not parser.read(source, encoding="utf-8"):
        raise SystemExit("configuration file not found: %s" % source)
    base = os.path.dirname(os.path.abspath(source))
    if parser.has_option("options", "addons_path"):
        paths = [resolve(p, base) for p in parser.get("options", "addons_path").split(",") if p.strip()]
        parser.set("options", "addons_path", ",".join(paths))
    for key in PATH_OPTIONS:
        if parser.has_option("options", key) and parser.get("options", key).strip() not in ("", "False"):
            parser.set("options", key, resolve(parser.get("options", key), base))
    os.makedirs(os.path.dirname(target), exist_ok=True)
    # written aside and renamed: Odoo's long-polling process renders it again while the workers
    # of the same server (or another run) read it
    partial = "%s.%d" % (target, os.getpid())
    with open(partial, "w", encoding="utf-8") as fh:
        parser.write(fh)
    os.replace(partial, target)
    return target


def split_config_arg(args):
    """Remove -c/--config from ``args``; return (config file or None, remaining args)."""
    rest, conf, i = [], None, 0
    while i < len(args):
        arg = args[i]
        if arg in ("-c", "--config") and i + 1 < len(args):
            conf, i = args[i + 1], i + 2
            continue
        if arg.startswith("--config="):
            conf = arg.split("=", 1)[1]
        else:
            rest.append(arg)
        i += 1
    return conf, rest


def prepare_environment():
    venv_bin = os.path.dirname(sys.executable)
    path = os.environ.get("PATH", "").split(os.pathsep)
    if venv_bin not in path:
        os.environ["PATH"] = os.pathsep.join([venv_bin] + path)
    if os.path.isdir("/usr/share/nodejs"):
        node_path = os.environ.get("NODE_PATH", "")
        if "/usr/share/nodejs" not in node_path.split(os.pathsep):
            os.environ["NODE_PATH"] = os.pathsep.join(p for p in ["/usr/share/nodejs", node_path] if p)


def only_tests(names):
    """Run only the test modules named in ``names`` (comma-separated, e.g. ``test_cart``), for a
    developer's quick loop (``suite.py test --only``); ``make test`` runs them all."""
    if not names:
        return
    import odoo.modules.module as module
    wanted = {name.strip() for name in names.split(",") if name.strip()}
    every = module.get_test_modules

    def selected(addon):
        return [mod for mod in every(addon) if mod.__name__.rsplit(".", 1)[-1] in wanted]
    module.get_test_modules = selected


def main(argv=None):
    args = list(sys.argv[1:] if argv is None else argv)
    evented = bool(args) and args[0] == "gevent"
    if evented:
        # the long-polling process: gevent patches the standard library before it is used
        import gevent.monkey
        gevent.monkey.patch_all()
    conf, args = split_config_arg(args)
    source = os.path.abspath(conf) if conf else os.path.join(ROOT, "odoo.conf")
    rendered = render_config(source, os.path.join(ROOT, ".run", "odoo.conf"))
    # Odoo's CLI takes an optional command name first, then the options
    if args and not args[0].startswith("-"):
        args = [args[0], "-c", rendered] + args[1:]
    else:
        args = ["-c", rendered] + args
    prepare_environment()

    import warnings
    warnings.filterwarnings("ignore", message="pkg_resources is deprecated")
    sys.path.insert(0, RUNTIME)
    import b2b_compat
    b2b_compat.apply()

    # odoo/__init__.py reads sys.argv[1] == 'gevent' when first imported (evented mode) and removes it;
    # Odoo's command line then runs ``server`` with the remaining options
    sys.argv = [sys.argv[0]] + args
    import odoo
    only_tests(os.environ.get("B2B_TEST_ONLY"))
    if evented and not odoo.evented:
        raise SystemExit("odoo was imported before the launcher could start it in gevent mode")
    odoo.cli.main()


if __name__ == "__main__":
    main()
