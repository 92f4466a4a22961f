"""aiohttp.web peer of the HTTP server benchmark (benchmarks/http-server/run.sh), on uvloop.

An aiohttp.web Application with two routes, run by web.run_app without an access log. GET / answers
"Hello, World!"; GET /json answers web.json_response(document), which encodes the 1 KiB document with the
json module for every request (compact separators, so that the body is the same bytes as the other servers').

Usage: python3 aiohttp_server.py PORT PAYLOAD.json  (Debian's python3-aiohttp and python3-uvloop)
"""
import asyncio
import functools
import json
import sys

import aiohttp
import uvloop
from aiohttp import web


def main():
    port = int(sys.argv[1])
    with open(sys.argv[2], encoding="utf-8") as f:
        document = json.load(f)
    dumps = functools.partial(json.dumps, separators=(",", ":"))

    async def plaintext(request):
        return web.Response(body=b"Hello, World!", content_type="text/plain")

    async def json_handler(request):
        return web.json_response(document, dumps=dumps)

    async def on_startup(app):
        loop = asyncio.get_running_loop()
        if not isinstance(loop, uvloop.Loop):
            raise SystemExit(f"not running on uvloop but on {type(loop)}")
        print(f"aiohttp {aiohttp.__version__} on uvloop {uvloop.__version__} ({type(loop).__name__}) "
              f"listening on 127.0.0.1:{port}", flush=True)

    app = web.Application()
    app.on_startup.append(on_startup)
    app.router.add_get("/", plaintext)
    app.router.add_get("/json", json_handler)
    uvloop.install()
    web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=None)


if __name__ == "__main__":
    main()
