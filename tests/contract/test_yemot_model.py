"""A model of one Yemot customer driven over the wire; invariants are checked after every step.

Modelled: tasks (at most 10 active), SIP accounts (at most the account limit), units of two
systems (balance = initial - charges - transfers out + transfers in) and the two-step
verification counter (0..threshold, back to 0 six hours after its window opened).
Add a rule per newly implemented method; keep one ``@invariant`` per documented rule.
"""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.stateful import Bundle, consumes, invariant, multiple, precondition, rule

from emulator.conformance.model import ApiModelMachine
from emulator.conformance.profiles import model_settings

MAX_ACTIVE_TASKS = 10
TOO_MANY_TASKS = "You can not have more than 10 active tasks"
VALIDATION_WINDOW_S = 6 * 3600
SECOND = {"number": "0773137780", "token": "0773137780:5678"}
PHONES = ["0527000001", "0527000002", "0537000003", "0547000004"]
TOLERANCE = 1e-6


class YemotModel(ApiModelMachine):
    tasks = Bundle("tasks")
    sessions = Bundle("sessions")

    def __init__(self) -> None:
        super().__init__()
        self.main = self.credentials.yemot_token
        listed = self.yemot("GetTasks", limit=1000)["tasks"]
        self.task_active = {task["id"]: bool(task["active"]) for task in listed}
        sip = self.yemot("GetSipAccountsInCustomer")
        self.sip_accounts = {account["accountNumber"] for account in sip["accounts"]}
        self.sip_limit = sip["accountLimit"]
        self.units = {self.main: self._units(self.main), SECOND["token"]: self._units(SECOND["token"])}
        system = self.runtime.world.yemot.systems[self.main.partition(":")[0]]
        self.validation_calls = system.validation_calls
        self.validation_threshold = system.validation_call_threshold
        self.window_opened: float | None = None
        self.elapsed = 0.0

    def _units(self, token: str) -> float:
        return float(self.yemot("GetSession", token)["units"])

    def _active(self) -> int:
        return sum(self.task_active.values())

    # -- tasks -----------------------------------------------------------------------------------------

    @rule(target=tasks, active=st.booleans(), minute=st.integers(0, 59), count=st.integers(1, 6))
    def create_tasks(self, active, minute, count):
        created = [self._create_task(active, minute) for _ in range(count)]
        return multiple(*(task for task in created if task is not None))

    def _create_task(self, active, minute):
        answer = self.yemot(
            "CreateTask", taskType="MoveOnFile", folder="ivr2:/1", target="ivr2:/2", active=active, minute=minute
        )
        if active and self._active() >= MAX_ACTIVE_TASKS:
            assert (answer["responseStatus"], answer["message"]) == (
                "ERROR",
                "You can not have more than 10 active tasks",
            )
            return None
        assert answer["responseStatus"] == "OK", answer
        self.task_active[answer["id"]] = active
        return answer["id"]

    @rule(task=tasks, active=st.booleans())
    def update_task(self, task, active):
        answer = self.yemot("UpdateTask", TaskId=task, active=active)
        if task not in self.task_active:
            assert (answer["responseStatus"], answer["message"]) == ("ERROR", "TaskId not found")
        elif active and not self.task_active[task] and self._active() >= MAX_ACTIVE_TASKS:
            assert answer["message"] == TOO_MANY_TASKS
        else:
            assert answer["responseStatus"] == "OK", answer
            self.task_active[task] = active

    @rule(task=consumes(tasks))
    def delete_task(self, task):
        answer = self.yemot("DeleteTask", TaskId=task)
        assert answer["responseStatus"] == "OK", answer
        assert answer["status"] == (1 if self.task_active.pop(task, None) is not None else 0)

    @invariant()
    def active_tasks_at_most_ten_and_listed_as_modelled(self):
        listed = self.yemot("GetTasks", limit=1000)["tasks"]
        assert {task["id"]: bool(task["active"]) for task in listed} == self.task_active
        assert self._active() <= MAX_ACTIVE_TASKS

    # -- SIP accounts ----------------------------------------------------------------------------------

    @rule(count=st.integers(1, 4))
    def create_sip_accounts(self, count):
        for _ in range(count):
            answer = self.yemot("CreateSipAccount")
            if len(self.sip_accounts) >= self.sip_limit:
                assert (answer["responseStatus"], answer["message"]) == ("ERROR", "SIP account limit reached")
                continue
            assert answer["responseStatus"] == "OK", answer
            assert answer["accountNumber"] not in self.sip_accounts
            self.sip_accounts.add(answer["accountNumber"])

    @precondition(lambda self: self.sip_accounts)
    @rule(data=st.data())
    def delete_sip_account(self, data):
        number = data.draw(st.sampled_from(sorted(self.sip_accounts)))
        answer = self.yemot("DeleteSipAccount", accountNumber=number)
        assert (answer["responseStatus"], answer["affected_rows"]) == ("OK", 1), answer
        self.sip_accounts.discard(number)

    @invariant()
    def sip_accounts_within_limit_and_listed_as_modelled(self):
        listed = self.yemot("GetSipAccountsInCustomer")
        assert {account["accountNumber"] for account in listed["accounts"]} == self.sip_accounts
        assert len(self.sip_accounts) <= listed["accountLimit"] == self.sip_limit

    # -- units -----------------------------------------------------------------------------------------

    @rule(text=st.text(st.sampled_from("abc אבג"), min_size=1, max_size=150), count=st.integers(1, 4))
    def send_sms(self, text, count):
        answer = self.yemot("SendSms", message=text, phones=":".join(PHONES[:count]))
        if answer["responseStatus"] == "OK":
            assert answer["Billing"] >= 0 and answer["sendCount"] == count
            self.units[self.main] -= answer["Billing"]
        else:
            assert answer["message"] == "Not enough balance", answer

    @rule(outgoing=st.booleans(), amount=st.sampled_from([0.5, 1, 3, 7.25, 40]))
    def transfer_units(self, outgoing, amount):
        source, destination = (self.main, SECOND) if outgoing else (SECOND["token"], None)
        to_number = destination["number"] if destination else self.main.partition(":")[0]
        answer = self.yemot("TransferUnits", source, destination=to_number, amount=amount)
        receiver = SECOND["token"] if outgoing else self.main
        if self.units[source] + TOLERANCE < amount:
            assert answer["message"] == "Not enough balance", answer
            return
        assert answer["responseStatus"] == "OK", answer
        self.units[source] -= amount
        self.units[receiver] += amount

    @invariant()
    def balances_equal_initial_minus_charges_plus_transfers(self):
        for token, expected in self.units.items():
            actual = self._units(token)
            assert abs(actual - expected) < 1e-3, (token, actual, expected)
            assert actual >= -TOLERANCE

    # -- two-step verification counter -----------------------------------------------------------------

    @rule(target=sessions)
    def login(self):
        number, _, password = self.main.partition(":")
        answer = self.yemot("Login", username=number, password=password)
        assert answer["responseStatus"] == "OK", answer
        return answer["token"]

    @rule(session=sessions)
    def send_code(self, session):
        answer = self.yemot("DoubleAuth", session, action="SendCode")
        if answer["responseStatus"] == "FORBIDDEN":  # the session idled out (clock advanced 30+ minutes)
            assert answer["message"] in ("session is expired",), answer
            return
        if answer["responseStatus"] == "EXCEPTION":
            assert answer["message"] == "IllegalStateException(session token is invalid)", answer
            return
        if self.validation_calls >= self.validation_threshold:
            assert answer["message"] == "Too many validation Calls. Try for a few more hours", answer
            return
        assert answer["responseStatus"] == "OK", answer
        if self.window_opened is None:
            self.window_opened = self.elapsed
        self.validation_calls += 1

    @rule(minutes=st.sampled_from([1, 45, 200, 361]))
    def advance_clock(self, minutes):
        self.advance(minutes * 60)
        self.elapsed += minutes * 60
        if self.window_opened is not None and self.elapsed - self.window_opened >= VALIDATION_WINDOW_S:
            self.validation_calls, self.window_opened = 0, None

    @invariant()
    def validation_counter_within_bounds(self):
        system = self.runtime.world.yemot.systems[self.main.partition(":")[0]]
        assert 0 <= system.validation_calls <= self.validation_threshold
        assert system.validation_calls == self.validation_calls


YemotModel.TestCase.settings = model_settings()
test_yemot_model_invariants_hold_after_every_step = YemotModel.TestCase
