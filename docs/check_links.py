"""Check every internal link of the built documentation.

Usage: ``python docs/check_links.py docs/_build/html``

Every ``href`` and ``src`` of every HTML page that points inside the site must name a
file that exists and, when it carries a ``#fragment``, an element with that ``id`` in the
target page. Links to other sites are not followed (the build machine may have no network).
Exits with status 1 and one line per broken link.
"""

import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Folders of the build that hold copied assets (the theme's template fragments), not pages.
_NOT_PAGES = {"_static", "_sources", "_downloads", "_images"}


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        for key in ("href", "src"):
            if attrs.get(key):
                self.links.append(attrs[key])


def _parse(path, cache):
    if path not in cache:
        page = _Page()
        page.feed(path.read_text(encoding="utf-8", errors="replace"))
        cache[path] = page
    return cache[path]


def broken_links(root):
    """Return ``(page, link, problem)`` for each broken internal link under ``root``."""
    root = Path(root).resolve()
    cache, problems = {}, []
    for page_path in sorted(root.rglob("*.html")):
        if page_path.relative_to(root).parts[0] in _NOT_PAGES:
            continue
        for link in _parse(page_path, cache).links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "javascript:")):
                continue
            target = page_path if not parts.path else (page_path.parent / unquote(parts.path))
            target = target.resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_relative_to(root):
                problems.append((page_path, link, "points outside the site"))
            elif not target.exists():
                problems.append((page_path, link, "missing file"))
            elif (
                parts.fragment
                and target.suffix == ".html"
                and unquote(parts.fragment) not in _parse(target, cache).ids
            ):
                problems.append((page_path, link, "missing anchor"))
    return problems, len(cache)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print("usage: python docs/check_links.py BUILT_HTML_DIRECTORY", file=sys.stderr)
        return 2
    root = Path(argv[0])
    problems, n_pages = broken_links(root)
    for page, link, problem in problems:
        print(f"{page.relative_to(root.resolve())}: {link}: {problem}")
    print(f"checked the internal links of {n_pages} pages: {len(problems)} broken")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
