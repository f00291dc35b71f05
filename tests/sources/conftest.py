"""The scripted HTTP server's fixtures, made available to every test in this folder.

Imported here rather than in each test module: a fixture imported into a test module and then taken as
an argument reads to linters as a name redefined while unused.
"""

from http_fixtures import http_server, refused_url  # noqa: F401

