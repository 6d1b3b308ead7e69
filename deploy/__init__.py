"""Running the app as several processes behind nginx: a local deployment, health checks, rolling restarts.

``python -m deploy up`` starts PostgreSQL, a Chroma server, N app processes and nginx on
127.0.0.1; ``python -m deploy down`` stops them. The nginx site and systemd units a city
would use on servers are in ``deploy/nginx/`` and ``deploy/systemd/`` (deploy/README.md).
"""
