"""Row-level visibility: every SELECT that touches documents, in every session of a Registry, sees only what the
signed-in user may see (clearance for the secret books; a chuyên viên, only what was routed to their unit).

One condition, added by a session event to each ORM statement (SQLAlchemy's with_loader_criteria reaches joins,
subqueries and Session.get too), so no query in the services can forget it. Statements run on the connection
directly (the fast id list of search) add it with restrict(). The issuer directory has a condition of its own
(organizations()): an issuer only secret documents name is out of sight of those not cleared for them."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, event, exists, or_, select
from sqlalchemy.orm import ORMExecuteState, with_loader_criteria

from app.core.access import Principal, levels_up_to
from app.core.enums import BookCategory
from app.db.engine import Database
from app.models import Document, Organization, Routing, RoutingAssignment

_KEY = "vanthu.visibility"
S = TypeVar("S", bound=Select[Any])


class Visibility:
    """Holds the current conditions on Document and on Organization (None: sees everything); shared by every
    session of a Registry."""

    def __init__(self) -> None:
        self.condition: ColumnElement[bool] | None = None
        self.organizations: ColumnElement[bool] | None = None

    def set(self, principal: Principal) -> None:
        self.condition = document_condition(principal)
        self.organizations = organization_condition(principal)


def document_condition(principal: Principal) -> ColumnElement[bool] | None:
    if principal.sees_everything:
        return None
    levels = levels_up_to(principal.clearance)
    # Registration keeps the two together: an entry has a secrecy level exactly when it is in a secret book. The
    # category is in the listing index, so the uncleared user's lists stay index-only (bench/bench_visibility.py).
    ordinary = Document.category == BookCategory.ORDINARY
    parts = [or_(ordinary, Document.secrecy.in_(levels)) if levels else ordinary]
    if principal.unit_only:
        # IN (…) rather than a correlated EXISTS: the unit's documents are found once through the assignments'
        # department index, not looked up again for every row of a year's list (bench/bench_visibility.py).
        parts.append(Document.id.in_(
            select(Routing.document_id).join(RoutingAssignment, RoutingAssignment.routing_id == Routing.id)
            .where(RoutingAssignment.department_id == (principal.department_id or -1))))
    return and_(*parts) if len(parts) > 1 else parts[0]


def organization_condition(principal: Principal) -> ColumnElement[bool] | None:
    """The issuers a user may see: every one an ordinary document names, and one only secret documents name when
    cleared for the lowest of their levels (Organization.secrecy, kept by app.services.directory). Any entry the
    user sees has its issuer among them."""
    if principal.sees_everything:
        return None
    levels = levels_up_to(principal.clearance)
    public = Organization.secrecy.is_(None)
    return or_(public, Organization.secrecy.in_(levels)) if levels else public


def install(db: Database) -> Visibility:
    visibility = Visibility()
    for factory in db.session_factories:
        factory.configure(info={_KEY: visibility})
        event.listen(factory, "do_orm_execute", _add_condition)
    return visibility


def _add_condition(state: ORMExecuteState) -> None:
    visibility: Visibility | None = state.session.info.get(_KEY)
    if visibility is not None and visibility.condition is not None and state.is_select:
        state.statement = state.statement.options(
            with_loader_criteria(Document, visibility.condition, include_aliases=True))


def restrict(session: Any, statement: S) -> S:
    """The same condition for a statement executed on the connection (no ORM event runs there)."""
    visibility: Visibility | None = session.info.get(_KEY)
    if visibility is None or visibility.condition is None:
        return statement
    return statement.where(visibility.condition)


def invisible(session: Any, doc_ids: Any) -> list[int]:
    """The ids among doc_ids this session may not see (or that do not exist), in the given order."""
    wanted = list(dict.fromkeys(int(i) for i in doc_ids))
    seen: set[int] = set()
    for start in range(0, len(wanted), 500):
        block = wanted[start:start + 500]
        seen.update(session.scalars(select(Document.id).where(Document.id.in_(block))))
    return [i for i in wanted if i not in seen]


def organizations(session: Any) -> ColumnElement[bool] | None:
    """The condition on Organization for this session's user (None: every issuer). Not added by the session
    event: finding an issuer by name to register a document must see them all (app.services.directory)."""
    holder: Visibility | None = session.info.get(_KEY)
    return None if holder is None else holder.organizations


def visible_organization(session: Any, org_id: Any) -> ColumnElement[bool] | None:
    """EXISTS (the issuer with that id, visible to this session's user), for rows naming an issuer by id (the
    audit trail's events); None when the user sees every issuer. A primary-key probe per row."""
    condition = organizations(session)
    if condition is None:
        return None
    return exists(select(Organization.id).where(Organization.id == org_id, condition))


def restricted(session: Any) -> bool:
    """True when this session's user does not see every entry."""
    holder: Visibility | None = session.info.get(_KEY)
    return holder is not None and holder.condition is not None
