"""The cases of `make bench` (bench/run.py) and the goals they are judged against.

Adding a case: one `Case(...)` entry in CASES (a name, the path, its JSON body — the
`@days30_first`, `@week_first`, `@year_first`, `@today` placeholders are filled in — the
caller (`owner`, `customer` or `doctor`) and, when there is one, the service function behind it
as `bare`). A case whose path or body holds `length`/`limit` is counted at 10 and 100 rows."""
import re
from dataclasses import dataclass, field
from typing import Callable

GOAL_MS = 100
# issue 13's goals (p95 ms) by case name; every other list: at most LIST_RATIO × its bare SQL
TARGETS = (("availability (one doctor)", 30), ("availability (all doctors)", 100),
           ("timeline (week", 50), ("patients/table search", 100),
           ("users/table search", 100))
LIST_RATIO = 1.5
LIST_CASE = re.compile(r"/(explore|search|table)\b")


# ---- the cases -------------------------------------------------------------------------------
@dataclass
class Case:
    """One request to time. `bare(ctx)` runs the same figure without the web layer; `explain`
    EXPLAINs the statements `bare` runs (report figures)."""

    name: str
    path: str
    body: dict = field(default_factory=dict)
    method: str = "POST"
    bare: Callable | None = None
    explain: bool = False
    goal: bool = False  # a report or dashboard figure: under GOAL_MS on MariaDB at full size
    caller: str = "owner"  # or "customer" (the one with most appointments), "doctor"
    typed: bool = False  # a text search: typed anew each time, so every timed run counts its
    #                      rows (no count remembered, services/engine/counts.py)

    @property
    def target(self):
        """The issue's goal for this case, as (measure, limit): ("p50", ms) for report and
        dashboard figures, ("p95", ms) for availability, the timeline and the table searches,
        ("× SQL", ratio) for every other list (explore, search, table); None otherwise."""
        if self.goal:
            return ("p50", GOAL_MS)
        for text, limit in TARGETS:
            if text in self.name:
                return ("p95", limit)
        if LIST_CASE.search(self.name):
            return ("× SQL", LIST_RATIO)
        return None


MONTH = {"tgl_awal": "@days30_first", "tgl_akhir": "@today"}  # the last 30 days
YEAR = {"tgl_awal": "@year_first", "tgl_akhir": "@today"}
TABLE = {"draw": 1, "start": 0, "length": 10}


def _figure(function, period):
    def bare(ctx):
        from services.reports import queries, question

        getattr(queries, function)(question.read_filters(ctx.fill(period)))
    return bare


def _dashboard(function):
    def bare(_ctx):
        from services.reports import dashboard

        getattr(dashboard, function)()
    return bare


def _overall(period):
    def bare(ctx):
        from services.reports import declarations

        declarations.overall_table(ctx.actor, {**TABLE, **ctx.fill(period)})
    return bare


def _upcoming(name):
    def bare(ctx):
        from services.reports import declarations

        declarations.upcoming_table(name, ctx.actor, TABLE)
    return bare


def _table(resource, params):
    def bare(ctx):
        from services.engine import core, get_resource

        core.table(get_resource(resource), ctx.actor, params)
    return bare


def _report_cases():
    cases = []
    for label, period in (("30 days", MONTH), ("year", YEAR)):
        cases += [
            Case(f"report/penjualan/stats ({label})", "/api/report/penjualan/stats", period,
                 bare=_figure("sales_stats", period), explain=True, goal=True),
            Case(f"report/penjualan/overall ({label})", "/api/report/penjualan/overall",
                 {**TABLE, **period}, bare=_overall(period), explain=True, goal=True),
            Case(f"report/penjualan/products ({label})", "/api/report/penjualan/products",
                 {**TABLE, **period}, bare=_figure("product_sales", period), explain=True,
                 goal=True),
            Case(f"report/penjualan/online_consultations ({label})",
                 "/api/report/penjualan/online_consultations", {**TABLE, **period},
                 bare=_figure("consultation_sales", period), explain=True, goal=True),
            Case(f"report/offline/appoinment/performance ({label})",
                 "/api/report/offline/appoinment/performance", {**TABLE, **period},
                 bare=_figure("appointment_performance", period), explain=True, goal=True),
        ]
    for name, function in (("pendapatan", "revenue_by_month"), ("invoice", "invoices_by_month"),
                           ("products", "top_products"), ("services", "top_services")):
        cases.append(Case(f"dashboard/total/{name} (year to date)", f"/api/dashboard/total/{name}",
                          bare=_dashboard(function), explain=True, goal=True))
    for name in ("offline_appoinments", "ecommerce", "promotions"):
        cases.append(Case(f"dashboard/upcoming/{name}", f"/api/dashboard/upcoming/{name}", TABLE,
                          bare=_upcoming(name), explain=True, goal=True))
    return cases


def _availability(doctor_id):
    def bare(_ctx):
        from services.appointments import queries

        queries.availability(doctor_id)
    return bare


def _timeline(period, doctor_id=None):
    def bare(ctx):
        from datetime import date

        from services.appointments import queries

        body = ctx.fill(period)
        queries.timeline(date.fromisoformat(body["date_from"]),
                         date.fromisoformat(body["date_to"]), ctx.actor, doctor_id)
    return bare


AVAILABILITY = "/api/user_schedules/check/doctor/availability"
WEEK = {"date_from": "@week_first", "date_to": "@today"}  # the last 7 days
PATIENTS_SEARCH = {**TABLE, "search[value]": "sari"}
PATIENTS_DEEP = {**TABLE, "start": 49_000}
SCHEDULES_DEEP = {**TABLE, "start": 190_000}
ORDERS_DEEP = {**TABLE, "start": 400_000}
USERS_TABLE = {"draw": "1", "start": "200", "length": "100", "search[value]": "sari",
               "order[0][column]": "2", "order[0][dir]": "desc"}

CASES = _report_cases() + [
    # the engine's list endpoints (the former bench/bench_lists.py)
    Case("users/explore length=100", "/api/users/explore?page=3&length=100"),
    Case("users/search role filter", "/api/users/search",
         {"role_codes": "CUSTOMER", "limit": 100}),
    Case("users/table search+order", "/api/users/table", USERS_TABLE,
         bare=_table("users", USERS_TABLE), explain=True, typed=True),
    # lists of the engine (issue 13): first and deep pages, searches
    Case("users/explore page 1", "/api/users/explore?page=1&length=10"),
    Case("users/explore deep page", "/api/users/explore?page=4900&length=10"),
    Case("users/table", "/api/users/table", TABLE, bare=_table("users", TABLE)),
    Case("patients/explore page 1", "/api/patients/explore?page=1&length=10"),
    Case("patients/explore deep page", "/api/patients/explore?page=4900&length=10"),
    Case("patients/search keyword", "/api/patients/search", {"keyword": "sari"}),
    Case("patients/table", "/api/patients/table", TABLE, bare=_table("patients", TABLE)),
    Case("patients/table search", "/api/patients/table", PATIENTS_SEARCH,
         bare=_table("patients", PATIENTS_SEARCH), typed=True),
    Case("patients/table deep start", "/api/patients/table", PATIENTS_DEEP,
         bare=_table("patients", PATIENTS_DEEP)),
    Case("user_schedules/explore page 1", "/api/user_schedules/explore?page=1&length=10"),
    Case("user_schedules/explore page 19000",
         "/api/user_schedules/explore?page=19000&length=10"),
    Case("user_schedules/table", "/api/user_schedules/table", TABLE,
         bare=_table("user_schedules", TABLE)),
    Case("user_schedules/table deep start", "/api/user_schedules/table", SCHEDULES_DEEP,
         bare=_table("user_schedules", SCHEDULES_DEEP)),
    Case("patient_rekam_medis/explore page 1",
         "/api/patient_rekam_medis/explore?page=1&length=10"),
    Case("patient_rekam_medis/explore deep page",
         "/api/patient_rekam_medis/explore?page=9900&length=10"),
    Case("patient_rekam_medis/table", "/api/patient_rekam_medis/table", TABLE,
         bare=_table("patient_rekam_medis", TABLE)),
    Case("orders/explore page 1", "/api/orders/explore?page=1&length=10"),
    Case("orders/explore deep page", "/api/orders/explore?page=40000&length=10",
         explain=True),
    Case("orders/explore status filter", "/api/orders/explore?page=1&length=10",
         {"status": "DONE"}, explain=True),
    Case("orders/table deep start", "/api/orders/table", ORDERS_DEEP,
         bare=_table("orders", ORDERS_DEEP)),
    Case("order_items/explore page 1", "/api/order_items/explore?page=1&length=10",
         explain=True),
    Case("order_items/explore deep page", "/api/order_items/explore?page=99000&length=10"),
    Case("order_items/table", "/api/order_items/table", TABLE,
         bare=_table("order_items", TABLE)),
    Case("order_extras/explore page 1", "/api/order_extras/explore?page=1&length=10"),
    Case("order_extras/explore deep page", "/api/order_extras/explore?page=6000&length=10"),
    Case("ratings/explore page 1", "/api/ratings/explore?page=1&length=10"),
    Case("logs/explore page 1", "/api/logs/explore?page=1&length=10"),
    Case("logs/explore deep page", "/api/logs/explore?page=29900&length=10"),
    Case("logs/table", "/api/logs/table", TABLE, bare=_table("logs", TABLE)),
    Case("menus/explore", "/api/menus/explore?page=1&length=10"),
    Case("menus/search", "/api/menus/search", {}),
    Case("menus/table", "/api/menus/table", TABLE, bare=_table("menus", TABLE)),
    Case("brandstore_menus/explore", "/api/brandstore_menus/explore?page=1&length=10"),
    Case("brandstore_menus/table", "/api/brandstore_menus/table", TABLE,
         bare=_table("brandstore_menus", TABLE)),
    # appointments: the booking window's free slots and the calendar's timeline
    Case("user_schedules/check/doctor/availability (one doctor)", AVAILABILITY,
         {"id_doctors": 1}, bare=_availability(1), explain=True),
    Case("user_schedules/check/doctor/availability (all doctors)", AVAILABILITY,
         bare=_availability(None), explain=True),
    Case("user_schedules/timeline (week, all doctors)", "/api/user_schedules/timeline", WEEK,
         bare=_timeline(WEEK), explain=True),
    Case("user_schedules/timeline (30 days, one doctor)", "/api/user_schedules/timeline",
         {"date_from": "@days30_first", "date_to": "@today", "id_doctors": 1},
         bare=_timeline({"date_from": "@days30_first", "date_to": "@today"}, 1), explain=True),
]


# every key endpoint at least once (the list): each resource's explore, search and
# table, one object by id, the signed-in user's data and the orders
PAGE = "?page=1&length=10"
LISTED = ("patients", "user_schedules", "patient_rekam_medis", "menus", "brandstore_menus",
          "orders")
CASES += [Case("users/data", "/api/users/data", method="GET")]
for _name in LISTED:
    CASES += [Case(f"{_name}/explore", f"/api/{_name}/explore{PAGE}"),
              Case(f"{_name}/search", f"/api/{_name}/search", {"limit": 10}),
              Case(f"{_name}/table", f"/api/{_name}/table", TABLE)]
CASES += [Case("menus/{id}", "/api/menus/1", method="GET"),
          Case("orders/{id}", "/api/orders/1", method="GET")]


# what the mobile app's users read: only their own rows, out of the chain's 200k appointments
CASES += [
    Case("user_schedules/explore (a customer's own)", f"/api/user_schedules/explore{PAGE}",
         caller="customer"),
    Case("user_schedules/timeline (30 days, a customer's own)", "/api/user_schedules/timeline",
         {"date_from": "@days30_first", "date_to": "@today"}, caller="customer"),
    Case("users/data (a customer)", "/api/users/data", method="GET", caller="customer"),
    Case("orders/explore (a customer's own)", f"/api/orders/explore{PAGE}", caller="customer"),
    Case("patient_rekam_medis/explore (a customer's own)",
         f"/api/patient_rekam_medis/explore{PAGE}", caller="customer"),
    Case("user_schedules/explore (a doctor's own)", f"/api/user_schedules/explore{PAGE}",
         caller="doctor"),
    Case("user_schedules/explore page 500 (a doctor's own)",
         "/api/user_schedules/explore?page=500&length=10", caller="doctor"),
]


def _unique(cases):
    """The cases, each name once (the first wins): a table row per name."""
    seen = set()
    return [case for case in cases if not (case.name in seen or seen.add(case.name))]


CASES = _unique(CASES)


__all__ = ["CASES", "GOAL_MS", "LIST_RATIO", "Case"]
