"""Files for other programs and for readers beyond the browser, one module per artifact.

Calendars (RFC 5545), an Atom feed (RFC 4287), CSV tables, one JSON file per plan and the
offline search index. Each module has an artifact function, RenderContext -> {path: bytes},
listed in planpress.render.artifacts.ARTIFACTS; `paths` names every file, for code and templates.
"""
