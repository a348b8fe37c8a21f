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
        self._declared = frozenset(self.by_text)  # names people.yaml gives
        # (name, key, created) for each name people.yaml does not give, while recording:
        # what a plan built with this index took from other plans (see `replay`)
        self.calls: list[tuple[str, str, bool]] | None = None

    def copy(self) -> PartyIndex:
        """An index with the same names, to build plans with apart from this one."""
        twin = PartyIndex.__new__(PartyIndex)
        twin.parties = dict(self.parties)
        twin.diagnostics = self.diagnostics
        twin.by_text = dict(self.by_text)
        twin._known_names = self._known_names
        twin._declared = self._declared
        twin.calls = None
        return twin

    def resolve(self, name: str, loc: SourceLoc, keypath: tuple = ()) -> str:
        text = name.strip().removeprefix("@")
        folded = text.casefold()
        key = self.by_text.get(folded)
        if key is not None:
            if self.calls is not None and folded not in self._declared:
                self.calls.append((text, key, False))
            return key
        hint = did_you_mean(text, self._known_names) or "add them to content/people.yaml"
        where = f"{format_path(keypath)}: " if keypath else ""
        self.diagnostics.warning(loc, f"{where}unknown person or team '{text}'", hint)
        key = self._add_unknown(text)
        if self.calls is not None:
            self.calls.append((text, key, True))
        return key

    def _add_unknown(self, text: str) -> str:
        key = unique_id(slugify(text), set(self.parties))
        self.parties[key] = Person(key, text, "", None, "", known=False, loc=None)
        self.by_text[text.casefold()] = key
        return key

    def replay(self, calls: tuple[tuple[str, str, bool], ...] | list) -> bool:
        """Repeat what building one plan did to this index, if it would do the same now.

        `calls` were recorded while the plan was built, maybe in another build or process.
        True (and the unknown names it introduced added) when every name resolves to the
        same key and is new exactly where it was new then: the plan would come out the same.
        False, with the index untouched, otherwise.
        """
        added: dict[str, str] = {}  # folded name -> key, introduced by these calls
        taken: set[str] | None = None  # made only for a plan that introduced a name
        for text, key, created in calls:
            folded = text.casefold()
            current = added.get(folded, self.by_text.get(folded))
            if created:
                taken = set(self.parties) if taken is None else taken
                if current is not None or unique_id(slugify(text), set(taken)) != key:
                    return False
                taken.add(key)
                added[folded] = key
            elif current != key:
                return False
        for text, key, created in calls:
            if created:
                self.parties[key] = Person(key, text, "", None, "", known=False, loc=None)
                self.by_text[text.casefold()] = key
        return True
