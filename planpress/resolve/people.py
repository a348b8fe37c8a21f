"""People and teams: read people.yaml, and match the names plans use to their keys."""

from __future__ import annotations

from collections import defaultdict

from planpress.diagnostics import Diagnostics, SourceLoc, did_you_mean, format_path
from planpress.load.yamltree import YamlTree
from planpress.resolve.fields import FieldReader
from planpress.resolve.ids import id_problem, slugify, unique_id
from planpress.resolve.model import Party, Person, Team

PEOPLE_KEYS = ("people", "teams")
PERSON_KEYS = ("name", "role", "team", "email")
TEAM_KEYS = ("name", "lead", "members")


def read_parties(tree: YamlTree, path: str, diagnostics: Diagnostics) -> dict[str, Party]:
    """People and teams as declared; references between them are checked too."""
    reader = FieldReader(tree, path, diagnostics)
    top = reader.mapping((), tree.data, PEOPLE_KEYS, "the people file")
    parties: dict[str, Party] = {}
    for key, value in _entries(reader, ("people",), top.get("people")):
        fields = reader.mapping(("people", key), value, PERSON_KEYS, "a person")
        parties[key] = Person(
            key=key,
            name=reader.text(("people", key, "name"), fields.get("name")) or key,
            role=reader.text(("people", key, "role"), fields.get("role")),
            team=reader.optional_text(("people", key, "team"), fields.get("team")),
            email=reader.text(("people", key, "email"), fields.get("email")),
            known=True,
            loc=reader.key_loc(("people", key)),
        )
    for key, value in _entries(reader, ("teams",), top.get("teams")):
        if key in parties:
            reader.error(("teams", key), f"'{key}' is already a person's key", "rename one of them")
            continue
        fields = reader.mapping(("teams", key), value, TEAM_KEYS, "a team")
        parties[key] = Team(
            key=key,
            name=reader.text(("teams", key, "name"), fields.get("name")) or key,
            lead=reader.optional_text(("teams", key, "lead"), fields.get("lead")),
            members=reader.strings(("teams", key, "members"), fields.get("members")),
            known=True,
            loc=reader.key_loc(("teams", key)),
        )
    return _link_teams(parties, reader)


def _entries(reader: FieldReader, keypath: tuple, value: object) -> list[tuple[str, object]]:
    if value is None:
        return []
    if not isinstance(value, dict):
        reader.error(keypath, "expected a mapping of key: {name: …}")
        return []
    entries = []
    for key, entry in value.items():
        problem = id_problem(key, allow_slash=False)
        if problem:
            reader.diagnostics.error(reader.key_loc((*keypath, key)), problem)
            continue
        entries.append((key, entry))
    return entries


def _link_teams(parties: dict[str, Party], reader: FieldReader) -> dict[str, Party]:
    """Check every team, lead and member reference; a person's team adds them as member."""
    members: dict[str, list[str]] = defaultdict(list)
    for party in parties.values():
        if isinstance(party, Person) and party.team:
            if isinstance(parties.get(party.team), Team):
                members[party.team].append(party.key)
            else:
                _unknown(reader, ("people", party.key, "team"), party.team, "team", parties)
    for party in list(parties.values()):
        if not isinstance(party, Team):
            continue
        for index, member in enumerate(party.members):
            if isinstance(parties.get(member), Person):
                members[party.key].append(member)
            else:
                _unknown(reader, ("teams", party.key, "members", index), member, "person", parties)
        if party.lead and not isinstance(parties.get(party.lead), Person):
            _unknown(reader, ("teams", party.key, "lead"), party.lead, "person", parties)
        all_members = tuple(sorted(set(members[party.key])))
        parties[party.key] = Team(party.key, party.name, party.lead, all_members, True, party.loc)
    return dict(sorted(parties.items()))


def _unknown(reader: FieldReader, keypath: tuple, name: str, what: str, parties: dict) -> None:
    reader.error(keypath, f"unknown {what} '{name}'", did_you_mean(name, parties))


class PartyIndex:
    """Matches a name as written in a plan to a person or team, ignoring case.

    An unknown name still becomes a party (so it gets a page), with a warning.
    """

    def __init__(self, parties: dict[str, Party], diagnostics: Diagnostics) -> None:
        self.parties = dict(parties)
        self.diagnostics = diagnostics
        self.by_text: dict[str, str] = {}
        for key, party in parties.items():
            self.by_text.setdefault(party.name.casefold(), key)
        for key in parties:
            self.by_text[key.casefold()] = key
        self._known_names = [p.name for p in parties.values()] + list(parties)

    def resolve(self, name: str, loc: SourceLoc, keypath: tuple = ()) -> str:
        text = name.strip().removeprefix("@")
        key = self.by_text.get(text.casefold())
        if key is not None:
            return key
        hint = did_you_mean(text, self._known_names) or "add them to content/people.yaml"
        where = f"{format_path(keypath)}: " if keypath else ""
        self.diagnostics.warning(loc, f"{where}unknown person or team '{text}'", hint)
        key = unique_id(slugify(text), set(self.parties))
        self.parties[key] = Person(key, text, "", None, "", known=False, loc=None)
        self.by_text[text.casefold()] = key
        return key
