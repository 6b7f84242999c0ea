"""gunicorn's configuration for massline behind nginx (docs/deploy.md).

    gunicorn --config deploy/gunicorn.conf.py massline.wsgi:application

The same defaults and environment variables as ``massline serve`` (HOST, PORT, WEB_CONCURRENCY, WEB_THREADS,
FORWARDED_ALLOW_IPS), plus what a long-running service wants: workers recycled now and then, a graceful stop
as long as the slowest request, HUP to reload the code without dropping a request."""

import os

# Only nginx on this machine talks to gunicorn: Django trusts the X-Forwarded-Proto header it receives
# (SECURE_PROXY_SSL_HEADER), so gunicorn must never be reachable from anywhere else.
bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# Synchronous workers: about (2 × cores) + 1 on a machine that runs nothing else; nginx buffers slow clients.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("WEB_THREADS", "1"))
timeout = 30  # nginx's proxy_read_timeout is a little longer, so gunicorn's own timeout is the one that acts
graceful_timeout = 30
keepalive = 5  # nginx keeps its upstream connections open (upstream keepalive)
max_requests = 5000  # a worker is replaced after this many requests, in case anything grows slowly
max_requests_jitter = 500
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# No access log: its line has the query string (the staff search takes telephone numbers and names there); the
# application's massline.request line says the same with the request ID and without it (docs/observability.md).
accesslog = None
errorlog = "-"
proc_name = "massline-web"
