"""Serves a folder on localhost with the right MIME types, and FILE.gz for FILE when the client accepts gzip: python3 serve.py DIR PORT."""
import email.utils
import functools
import http.server
import os
import sys

# Always revalidated, so a rebuilt site is seen on the next visit.
NO_CACHE = {"sw.js", "index.html", "embed.html"}


def accepts_gzip(header):
    """Whether an Accept-Encoding header takes gzip (named, or by *, and not with q=0)."""
    for part in header.split(","):
        name, _, params = part.strip().partition(";")
        if name.strip().lower() in ("gzip", "*"):
            q = params.strip().lower()
            try:
                return not (q.startswith("q=") and float(q[2:] or 0) == 0)
            except ValueError:
                return False
    return False


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".css": "text/css",
        ".html": "text/html",
        ".webmanifest": "application/manifest+json",
    }

    def send_head(self):
        path = self.plain_path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the folder's "/"
            path = os.path.join(path, "index.html")
        self.plain_path = path
        gz = path + ".gz"
        accepts = accepts_gzip(self.headers.get("Accept-Encoding", ""))
        if not (accepts and os.path.isfile(path) and os.path.isfile(gz) and os.path.getmtime(gz) >= os.path.getmtime(path)):
            return super().send_head()
        since = self.headers.get("If-Modified-Since")
        try:
            fresh = since is not None and email.utils.parsedate_to_datetime(since).timestamp() >= int(os.path.getmtime(gz))
        except (TypeError, ValueError):
            fresh = False
        if fresh:
            self.send_response(304)
            self.end_headers()
            return None
        f = open(gz, "rb")
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(os.fstat(f.fileno()).st_size))
        self.send_header("Last-Modified", self.date_time_string(os.path.getmtime(gz)))
        self.end_headers()
        return f

    def end_headers(self):
        path = getattr(self, "plain_path", "")
        if path and os.path.isfile(path + ".gz"):
            self.send_header("Vary", "Accept-Encoding")
        if os.path.basename(path) in NO_CACHE:
            self.send_header("Cache-Control", "no-cache")
        super().end_headers()


def main():
    root, port = sys.argv[1], int(sys.argv[2])
    handler = functools.partial(Handler, directory=root)
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        print(f"serving {root}/ at http://localhost:{port}/ (Ctrl-C to stop)", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
