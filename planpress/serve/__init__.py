"""Live rebuilding: `planpress serve` (a preview server) and `planpress watch` (no server).

    changes.py   which file events mean "rebuild", and when (pure: no threads, no I/O)
    watcher.py   watchdog glue: native events, or polling when asked or when inotify is full
    builder.py   one rebuild at a time, its report, the state the server reads
    server.py    the preview server: the output folder, the reload script, the error overlay
    loop.py      watcher -> debounce -> rebuild, until stopped
    command.py   the two commands' options and their run functions

Nothing here is imported by `planpress build` or `planpress --version`; watchdog is
imported only when serve or watch runs.
"""
