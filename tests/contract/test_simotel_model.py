"""A model of the Simotel PBX's users driven over the wire; searches must return what the model holds.

Each step adds, updates or removes users (``pbx/users/*``); after every step a full search
must return exactly the modelled users (ids, names, numbers) with ``secret`` masked, and a
search by number must find exactly the one user holding it. Add a rule per newly implemented
service and a matching ``@invariant``; other generic CRUD resources can reuse this machine's shape.
"""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.stateful import Bundle, consumes, invariant, rule

from emulator.conformance.model import ApiModelMachine
from emulator.conformance.profiles import model_settings

DONE = "Requested operation is done successfully"
NUMBERS = st.sampled_from(["101", "150", "151", "152", "153", "160"])  # 101 exists in the fixture
NAMES = st.text(st.sampled_from("abcxyz علی"), min_size=1, max_size=12)
ALL = {"alike": False, "conditions": {}, "pagination": {"start": 0, "count": 1000}}


class SimotelUsersModel(ApiModelMachine):
    users = Bundle("users")

    def __init__(self) -> None:
        super().__init__()
        self.model = {user["_id"]: (user["name"], user["number"]) for user in self._search()}

    def _search(self, **conditions: str) -> list[dict]:
        status, answer = self.simotel("pbx/users/search", **{**ALL, "conditions": conditions})
        assert (status, answer["success"]) == (200, 1), answer
        return answer["data"]

    def _numbers(self) -> set[str]:
        return {number for _, number in self.model.values()}

    @rule(target=users, name=NAMES, number=NUMBERS)
    def add(self, name, number):
        status, answer = self.simotel("pbx/users/add", name=name, number=number, secret="Secret123")
        assert status == 200
        if number in self._numbers():
            assert (answer["success"], answer["message"]) == (0, "This number already exists"), answer
            return "000000000000000000000000"
        assert (answer["success"], answer["message"]) == (1, DONE), answer
        self.model[answer["data"]["_id"]] = (name, number)
        return answer["data"]["_id"]

    @rule(user=users, name=NAMES, number=st.none() | NUMBERS)
    def update(self, user, name, number):
        changes = {"name": name} if number is None else {"name": name, "number": number}
        status, answer = self.simotel("pbx/users/update", _id=user, **changes)
        if user not in self.model:
            assert answer["success"] == 0, answer
            return
        taken = number is not None and any(n == number for i, (_, n) in self.model.items() if i != user)
        if taken:
            assert (answer["success"], answer["message"]) == (0, "This number already exists"), answer
            return
        assert (status, answer["success"], answer["message"]) == (200, 1, DONE), answer
        self.model[user] = (name, number or self.model[user][1])

    @rule(user=consumes(users))
    def remove(self, user):
        status, answer = self.simotel("pbx/users/remove", _id=user)
        if self.model.pop(user, None) is None:
            assert (answer["success"], answer["message"]) == (0, "Requested operation failed"), answer
        else:
            assert (status, answer["success"], answer["message"]) == (200, 1, DONE), answer

    @invariant()
    def search_returns_exactly_the_modelled_users(self):
        found = self._search()
        assert {user["_id"]: (user["name"], user["number"]) for user in found} == self.model
        assert all(user.get("secret", "******") == "******" for user in found)

    @invariant()
    def search_by_number_finds_its_one_user(self):
        for user_id, (_, number) in self.model.items():
            assert [user["_id"] for user in self._search(number=number)] == [user_id]


SimotelUsersModel.TestCase.settings = model_settings()
test_simotel_users_model_invariants_hold_after_every_step = SimotelUsersModel.TestCase
