"""Where each non-page output lives, relative to the site's root.

Templates see this module as `downloads` (downloads.plan_calendar(plan.id)), so links and files
cannot drift apart. Ids and keys are restricted to [a-z0-9_.-] (and '/' in plan ids, which
becomes a folder), so they are safe in paths and URLs as they are.
"""

from __future__ import annotations

SITE_CALENDAR = "calendar.ics"
FEED = "feed.xml"
TASKS_CSV = "csv/tasks.csv"
MILESTONES_CSV = "csv/milestones.csv"
SEARCH_INDEX = "search-index.js"
SEARCH_SCRIPT = "static/search.js"  # a theme asset: themes/default/static/search.js


def plan_calendar(plan_id: str) -> str:
    return f"calendars/plans/{plan_id}.ics"


def party_calendar(key: str) -> str:
    return f"calendars/people/{key}.ics"


def plan_json(plan_id: str) -> str:
    return f"json/{plan_id}.json"
